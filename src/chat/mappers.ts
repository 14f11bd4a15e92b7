/** Chat rows to the wire: transcript lines, transcript changes and viewer messages. */
import type { ChatBadge, LiveMessageData, UserMessageData } from '../realtime/index.js';
import { renderLineHtml } from './line-html.js';
import type { LiveMessageRow, UserMessageRow } from './repository.js';
import type { TranscriptItem } from './schemas.js';

type LineRow = Pick<LiveMessageRow, 'floor' | 'is_user' | 'message' | 'sender_name' | 'send_date'>;

function mapLine(row: LineRow) {
  return {
    floor: row.floor,
    is_user: row.is_user === 1,
    live_message: row.message,
    live_message_html: renderLineHtml(row.message),
    sender_name: row.sender_name,
    send_date: new Date(row.send_date).toISOString(),
  };
}

/** A history line. */
export function mapTranscriptItem(row: LineRow & Pick<LiveMessageRow, 'original_send_date'>): TranscriptItem {
  return { ...mapLine(row), original_send_date: row.original_send_date };
}

/** A line viewers must add or replace. */
export function mapLiveMessage(row: LineRow, op: 'add' | 'replace'): LiveMessageData {
  return { ...mapLine(row), op };
}

/** A line viewers must drop (its text is not sent again). */
export function mapDeletedLine(row: LineRow): LiveMessageData {
  return { ...mapLine(row), live_message: '', live_message_html: '', op: 'delete' };
}

/** A deletion of which only the floor and time are known any more (the row is gone). */
export function mapDeletedFloor(floor: number, deletedAt: number): LiveMessageData {
  return { op: 'delete', floor, is_user: false, live_message: '', live_message_html: '', sender_name: '', send_date: new Date(deletedAt).toISOString() };
}

export function mapUserMessage(row: Pick<UserMessageRow, 'id' | 'user_id' | 'username' | 'message' | 'created_at' | 'badges'>): UserMessageData {
  return {
    id: row.id,
    uid: row.user_id ?? '',
    username: row.username,
    user_message: row.message,
    send_date: new Date(row.created_at).toISOString(),
    badges: parseBadges(row.badges),
  };
}

const BADGES: readonly ChatBadge[] = ['anchor', 'subscriber', 'vip'];

/** Badges as stored with a message: comma-separated, '' for none. */
export function formatBadges(badges: readonly ChatBadge[]): string {
  return badges.join(',');
}

function parseBadges(stored: string): ChatBadge[] {
  return stored === '' ? [] : stored.split(',').filter((badge): badge is ChatBadge => (BADGES as readonly string[]).includes(badge));
}
