import { describe, expect, it } from 'vitest';
import { emojiTokens, searchEmoji } from './tokens.ts';

describe('emoji tokens', () => {
  it('finds short codes and emoji characters of the set, with or without the variation selector', () => {
    const tokens = emojiTokens('hi :heart: and ❤️ and ❤ 😂!');
    expect(tokens.map((t) => (t.type === 'text' ? t.text : `[${t.emoji.code}]`))).toEqual([
      'hi ',
      '[heart]',
      ' and ',
      '[heart]',
      ' and ',
      '[heart]',
      ' ',
      '[joy]',
      '!',
    ]);
  });

  it('leaves unknown codes, other emoji and plain text alone', () => {
    expect(emojiTokens(':nope: 12:30:45 🦄 text')).toEqual([{ type: 'text', text: ':nope: 12:30:45 🦄 text' }]);
    expect(emojiTokens('')).toEqual([]);
  });

  it('searches by code, English and Chinese name', () => {
    expect(searchEmoji('heart').map((e) => e.code)).toEqual(['heart_eyes', 'in_love', 'heart', 'broken_heart']);
    expect(searchEmoji('茶').map((e) => e.code)).toEqual(['tea']);
    expect(searchEmoji('').length).toBeGreaterThan(40);
  });
});
