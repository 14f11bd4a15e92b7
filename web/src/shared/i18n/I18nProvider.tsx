import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { MessageKey } from './dictionaries.ts';
import { detectLanguage, LANGUAGE_COOKIE, LANGUAGE_STORAGE_KEY, translate, type Language, type Params } from './language.ts';

export interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t(key: MessageKey, params?: Params): string;
  formatNumber(value: number): string;
  formatDateTime(value: string | number): string;
  formatTime(value: string | number): string;
}

const I18nContext = createContext<I18n | null>(null);

function readSavedLanguage(): string | null {
  try {
    return localStorage.getItem(LANGUAGE_STORAGE_KEY);
  } catch {
    return null;
  }
}

/** A value built on first use only, then kept. */
function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

/**
 * Intl formatters per language, each built when first needed and kept: building one loads locale
 * data, which on a slow phone is a noticeable part of the first render.
 */
const formatters = new Map<Language, { numbers: () => Intl.NumberFormat; dateTimes: () => Intl.DateTimeFormat; times: () => Intl.DateTimeFormat }>();
function formattersFor(language: Language) {
  let entry = formatters.get(language);
  if (!entry) {
    entry = {
      numbers: lazy(() => new Intl.NumberFormat(language)),
      dateTimes: lazy(() => new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' })),
      times: lazy(() => new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' })),
    };
    formatters.set(language, entry);
  }
  return entry;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() => detectLanguage(readSavedLanguage(), navigator.languages ?? [navigator.language]));

  useEffect(() => {
    document.documentElement.lang = language;
    // The server serves the next page in this language from the start (<html lang>, room tags).
    document.cookie = `${LANGUAGE_COOKIE}=${language}; path=/; max-age=31536000; samesite=lax`;
  }, [language]);

  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      localStorage.setItem(LANGUAGE_STORAGE_KEY, next);
    } catch {
      // Private mode without storage: the choice lasts for this page only.
    }
  }, []);

  const value = useMemo<I18n>(() => {
    const { numbers, dateTimes, times } = formattersFor(language);
    const toDate = (value: string | number) => new Date(value);
    return {
      language,
      setLanguage,
      t: (key, params) => translate(language, key, params),
      // Both languages write whole numbers under 1,000 as plain digits: no formatter needed.
      formatNumber: (value) => (Number.isInteger(value) && Math.abs(value) < 1000 ? String(value) : numbers().format(value)),
      formatDateTime: (value) => {
        const date = toDate(value);
        return Number.isNaN(date.getTime()) ? String(value) : dateTimes().format(date);
      },
      formatTime: (value) => {
        const date = toDate(value);
        return Number.isNaN(date.getTime()) ? '' : times().format(date);
      },
    };
  }, [language, setLanguage]);

  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n(): I18n {
  const value = use(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
