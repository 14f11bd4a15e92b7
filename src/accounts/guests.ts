/** Guests: viewers without an account, known by a random per-browser name kept in a signed cookie. */
import { randomInt } from 'node:crypto';

export const GUEST_UNAME = '游客';
const GUEST_SUFFIX_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

export function newGuestName(): string {
  let suffix = '';
  for (let i = 0; i < 6; i++) suffix += GUEST_SUFFIX_ALPHABET[randomInt(GUEST_SUFFIX_ALPHABET.length)];
  return GUEST_UNAME + suffix;
}

export function isGuestName(value: string): boolean {
  return value.startsWith(GUEST_UNAME) && value.length === GUEST_UNAME.length + 6;
}
