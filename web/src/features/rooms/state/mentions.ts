/**
 * @mentions in viewer chat: `@name` where name is a user or guest name (letters of any script,
 * digits, underscore). A mention of the viewer is highlighted, can be filtered on, and is what
 * "mentions only" announces.
 */
export type MentionToken = { type: 'text'; text: string } | { type: 'mention'; name: string; self: boolean };

/** Not inside a word: `alice@example.com` mentions nobody. */
const MENTION = /(?<![\p{L}\p{N}_])@([\p{L}\p{N}_]+)/gu;

export function mentionTokens(text: string, selfName: string | null): MentionToken[] {
  const self = selfName?.toLowerCase();
  const tokens: MentionToken[] = [];
  let last = 0;
  for (const match of text.matchAll(MENTION)) {
    if (match.index > last) tokens.push({ type: 'text', text: text.slice(last, match.index) });
    tokens.push({ type: 'mention', name: match[1]!, self: match[1]!.toLowerCase() === self });
    last = match.index + match[0].length;
  }
  if (last < text.length) tokens.push({ type: 'text', text: text.slice(last) });
  return tokens;
}

export function mentionsOf(text: string, selfName: string | null): boolean {
  return selfName !== null && mentionTokens(text, selfName).some((token) => token.type === 'mention' && token.self);
}

/** The text to put in the input to reply to someone. */
export function mentionPrefix(name: string): string {
  return `@${name} `;
}

/** Messages longer than this (characters or lines) are folded behind "show more". */
export const FOLD_CHARS = 180;
export const FOLD_LINES = 4;

export function isLongMessage(text: string): boolean {
  return Array.from(text).length > FOLD_CHARS || text.split('\n').length > FOLD_LINES;
}
