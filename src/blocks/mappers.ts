/** Block rows to the wire. */
import type { BlockRow } from './repository.js';
import type { BlockedViewer } from './schemas.js';

const USER_PREFIX = 'user:';
const GUEST_PREFIX = 'guest:';

/** How a blocked viewer is stored: `user:<uid>` or `guest:<guest name>`. */
export function blockSubject(target: { uid: string } | { guest_name: string }): string {
  return 'uid' in target ? `${USER_PREFIX}${target.uid}` : `${GUEST_PREFIX}${target.guest_name}`;
}

export function mapBlockedViewer(row: BlockRow): BlockedViewer {
  const isUser = row.subject.startsWith(USER_PREFIX);
  const id = row.subject.slice(isUser ? USER_PREFIX.length : GUEST_PREFIX.length);
  return {
    uid: isUser ? id : '',
    guest_name: isUser ? '' : id,
    username: row.username,
    blocked_at: new Date(Number(row.created_at)).toISOString(),
  };
}
