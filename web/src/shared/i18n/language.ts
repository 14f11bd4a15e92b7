/** Which language to show: the viewer's saved choice, else the browser's preference. */
import { en, zhCN, type Dictionary, type MessageKey } from './dictionaries.ts';

export type Language = 'zh-CN' | 'en';

export const LANGUAGE_STORAGE_KEY = 'pecktra.lang';
/** Read by the server to serve pages in the viewer's language (src/web/page.ts). */
export const LANGUAGE_COOKIE = 'pk_lang';

export const dictionaries: Record<Language, Dictionary> = { 'zh-CN': zhCN, en };

export function detectLanguage(saved: string | null, browserLanguages: readonly string[]): Language {
  if (saved === 'zh-CN' || saved === 'en') return saved;
  for (const tag of browserLanguages) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  // The product's audience is mainly Chinese-speaking.
  return 'zh-CN';
}

export type Params = Record<string, string | number>;

export function translate(language: Language, key: MessageKey, params?: Params): string {
  const template = dictionaries[language][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}
