import { useCallback } from 'react';
import { useI18n } from '../../shared/i18n/I18nProvider.tsx';
import { adminText, type AdminKey } from './text.ts';

/** The console's `t`: its own words, in the language the rest of the app shows. */
export function useAdminText() {
  const { language } = useI18n();
  return useCallback((key: AdminKey, params?: Record<string, string | number>) => adminText(language, key, params), [language]);
}
