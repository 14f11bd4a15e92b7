/** Account rows and viewers to what the rest of the server and the wire see. */
import { GUEST_UNAME } from './guests.js';
import type { UserRow } from './repository.js';
import type { UserInfo } from './schemas.js';
import type { SessionUser, Viewer } from './service.js';

export function mapSessionUser(
  row: Pick<UserRow, 'id' | 'username' | 'is_anchor'> & Partial<Pick<UserRow, 'banned_at' | 'ban_reason'>>,
): SessionUser {
  const user: SessionUser = { id: row.id, username: row.username, isAnchor: row.is_anchor === 1 };
  if (row.banned_at !== null && row.banned_at !== undefined) user.ban = { reason: row.ban_reason ?? '' };
  return user;
}

/** Guests get status:false, uname 游客 and their guest name; `coins` is the user's balance. */
export function mapUserInfo(viewer: Viewer, coins: number): UserInfo {
  if (viewer.kind === 'guest') return { uid: '', status: false, uname: GUEST_UNAME, coin_num: 0, guest_name: viewer.guestName };
  const info: UserInfo = { uid: viewer.user.id, status: true, uname: viewer.user.username, coin_num: coins };
  if (viewer.user.ban) info.ban_reason = viewer.user.ban.reason;
  if (viewer.user.operatorSession) info.operator = true;
  return info;
}
