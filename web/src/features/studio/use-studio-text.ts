import { useCallback } from 'react';
import { useI18n } from '../../shared/i18n/I18nProvider.tsx';
import { studioText, type StudioKey } from './text.ts';

/** The console's `t`: its own words, in the language the rest of the app shows. */
export function useStudioText() {
  const { language } = useI18n();
  return useCallback((key: StudioKey, params?: Record<string, string | number>) => studioText(language, key, params), [language]);
}
