import { createHash, randomBytes } from 'node:crypto';

/** Opaque, unguessable id (16 url-safe characters, 96 random bits). */
export function newId(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * Id whose string order follows creation time (millisecond prefix + randomness), so newest-first
 * listings can page with `id < cursor` without a separate sequence.
 */
export function newSortableId(now = Date.now()): string {
  return now.toString(36).padStart(9, '0') + randomBytes(8).toString('hex');
}

/** Random 256-bit secret for session cookies and bearer tokens. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored hashed so a database leak does not leak live sessions. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
