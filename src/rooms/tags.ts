/**
 * Room tags: a few short labels an anchor gives a room, for the home page's tag filter. Stored and
 * compared in one normal form (NFKC, lower case, single spaces), so 「ＲＰＧ」, "RPG" and "rpg" are
 * one tag; that form is also what listings show.
 */
import { badRequest } from '../http/errors.js';

export const MAX_TAGS = 5;
export const MAX_TAG_LENGTH = 24;

/** The tag's normal form; '' when nothing is left of it. Commas separate stored tags, so they go too. */
export function normalizeTag(raw: string): string {
  return raw.normalize('NFKC').toLowerCase().replace(/[,\s]+/gu, ' ').trim();
}

/** The tags to store: normalised, duplicates (after normalising) dropped, order kept; 400 when too many or too long. */
export function normalizeTags(raw: readonly string[]): string[] {
  const tags = [...new Set(raw.map(normalizeTag).filter((tag) => tag !== ''))];
  if (tags.length > MAX_TAGS) throw badRequest('too_many_tags', `A room can have at most ${MAX_TAGS} tags`);
  const long = tags.find((tag) => Array.from(tag).length > MAX_TAG_LENGTH);
  if (long !== undefined) throw badRequest('tag_too_long', `Tags are at most ${MAX_TAG_LENGTH} characters`);
  return tags;
}

export function joinTags(tags: readonly string[]): string {
  return tags.join(',');
}

export function splitTags(stored: string): string[] {
  return stored === '' ? [] : stored.split(',');
}
