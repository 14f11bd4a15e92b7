/** Splits chat text into plain runs and the emoji of the set (as `:code:` or as the character). */
import { EMOJI, type EmojiEntry } from './emoji-set.ts';

export type EmojiToken = { type: 'text'; text: string } | { type: 'emoji'; emoji: EmojiEntry };

const byCode = new Map(EMOJI.map((entry) => [entry.code, entry]));
/** Characters without the variation selector, so "❤" and "❤️" both match. */
const byChar = new Map(EMOJI.map((entry) => [entry.char.replace(/\uFE0F/g, ''), entry]));

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const chars = [...byChar.keys()].sort((a, b) => b.length - a.length).map(escape);
const PATTERN = new RegExp(`:([a-z0-9_]+):|(${chars.join('|')})\\uFE0F?`, 'gu');

export function emojiTokens(text: string): EmojiToken[] {
  const tokens: EmojiToken[] = [];
  let last = 0;
  for (const match of text.matchAll(PATTERN)) {
    const emoji = match[1] !== undefined ? byCode.get(match[1]) : byChar.get(match[2]!);
    if (!emoji) continue;
    if (match.index > last) tokens.push({ type: 'text', text: text.slice(last, match.index) });
    tokens.push({ type: 'emoji', emoji });
    last = match.index + match[0].length;
  }
  if (last < text.length) tokens.push({ type: 'text', text: text.slice(last) });
  return tokens;
}

/** Emoji whose code or name contains `query` (the picker's search). */
export function searchEmoji(query: string): readonly EmojiEntry[] {
  const q = query.trim().toLowerCase();
  if (!q) return EMOJI;
  return EMOJI.filter((entry) => entry.code.includes(q) || entry.en.includes(q) || entry.zh.includes(q));
}
