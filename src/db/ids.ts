import { hash, randomBytes } from 'node:crypto';

/** Opaque, unguessable id (16 url-safe characters, 96 random bits). */
export function newId(): string {
  return randomBytes(12).toString('base64url');
}

let lastSortableMs = -1;
let sameMsCounter = 0;

/**
 * Id whose string order follows creation time (millisecond prefix + randomness), so newest-first
 * listings can page with `id < cursor` without a separate sequence. Within one millisecond a
 * per-process counter keeps ids in creation order (e.g. several payments in a burst).
 */
export function newSortableId(now = Date.now()): string {
  sameMsCounter = now === lastSortableMs ? (sameMsCounter + 1) & 0xffff : 0;
  lastSortableMs = now;
  return now.toString(36).padStart(9, '0') + sameMsCounter.toString(16).padStart(4, '0') + randomBytes(6).toString('hex');
}

/** Random 256-bit secret for session cookies and bearer tokens. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Tokens are stored hashed so a database leak does not leak live sessions. Every signed-in request
 * hashes its cookie; the one-shot `hash` is ~4x cheaper than a createHash object.
 */
export function hashToken(token: string): string {
  return hash('sha256', token, 'base64url');
}
