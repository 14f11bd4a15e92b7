import { describe, expect, it } from 'vitest';
import { en, zhCN } from './dictionaries.ts';
import { detectLanguage, translate } from './language.ts';

describe('language choice', () => {
  it('follows the browser until the viewer picks one, then keeps their pick', () => {
    expect(detectLanguage(null, ['en-US', 'zh-CN'])).toBe('en');
    expect(detectLanguage(null, ['zh-TW'])).toBe('zh-CN');
    expect(detectLanguage(null, ['fr-FR'])).toBe('zh-CN');
    expect(detectLanguage('en', ['zh-CN'])).toBe('en');
    expect(detectLanguage('zh-CN', ['en-GB'])).toBe('zh-CN');
    expect(detectLanguage('klingon', ['en-GB'])).toBe('en');
  });

  it('fills in values', () => {
    expect(translate('en', 'home.viewers', { count: 12 })).toBe('12 watching');
    expect(translate('zh-CN', 'home.viewers', { count: 12 })).toBe('12 人在看');
  });

  it('has a translation for every interface text, with the same placeholders', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect(zhCN[key], key).toBeTruthy();
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
    }
    expect(zhCN['account.guest']).toBe('游客');
  });
});
