import { sql, type Insertable, type Selectable } from 'kysely';
import { isPostgres } from '../db/dialect.js';
import type { LiveMessagesTable, UserMessagesTable } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';

export type LiveMessageRow = Selectable<LiveMessagesTable>;
export type UserMessageRow = Selectable<UserMessagesTable>;
export type NewLiveMessage = Insertable<LiveMessagesTable>;

/** Rows per INSERT: 11 columns x 500 stays far below both engines' bound-parameter limits. */
const INSERT_CHUNK = 500;

const TRANSCRIPT_COLUMNS = ['floor', 'is_user', 'sender_name', 'message', 'send_date', 'original_send_date'] as const;

export class ChatRepository {
  constructor(private readonly db: Executor) {}

  /**
   * Records the anchor's activity on the room row (it keeps the room live). As the first statement
   * of a transaction it also takes the room's row lock, which serialises concurrent posts to one
   * room so floors are numbered one post at a time.
   */
  async touchRoomActivity(roomId: string, now: number, aiMessageAt: number | null): Promise<void> {
    await this.db
      .updateTable('rooms')
      .set(aiMessageAt === null ? { last_activity_at: now } : { last_activity_at: now, last_ai_message_at: aiMessageAt })
      .where('id', '=', roomId)
      .execute();
  }

  async maxFloor(roomId: string): Promise<number> {
    const row = await this.db
      .selectFrom('live_messages')
      .select((eb) => eb.fn.max<number | null>('floor').as('floor'))
      .where('room_id', '=', roomId)
      .executeTakeFirst();
    return row?.floor ?? -1;
  }

  async lastVisibleFloor(roomId: string): Promise<number> {
    const row = await this.db
      .selectFrom('live_messages')
      .select((eb) => eb.fn.max<number | null>('floor').as('floor'))
      .where('room_id', '=', roomId)
      .where('visible', '=', 1)
      .executeTakeFirst();
    return row?.floor ?? -1;
  }

  messagesInRange(roomId: string, fromFloor: number, toFloor: number): Promise<LiveMessageRow[]> {
    return this.db
      .selectFrom('live_messages')
      .selectAll()
      .where('room_id', '=', roomId)
      .where('floor', '>=', fromFloor)
      .where('floor', '<=', toFloor)
      .execute();
  }

  /** Inserts or replaces messages by floor, in chunks, inside the caller's transaction. */
  async upsertMessages(rows: NewLiveMessage[]): Promise<void> {
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      await this.db
        .insertInto('live_messages')
        .values(rows.slice(start, start + INSERT_CHUNK))
        .onConflict((oc) =>
          oc.columns(['room_id', 'floor']).doUpdateSet((eb) => ({
            is_user: eb.ref('excluded.is_user'),
            is_system: eb.ref('excluded.is_system'),
            visible: eb.ref('excluded.visible'),
            sender_name: eb.ref('excluded.sender_name'),
            message: eb.ref('excluded.message'),
            original_send_date: eb.ref('excluded.original_send_date'),
            extra: eb.ref('excluded.extra'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
  }

  /** Deletes floors >= `fromFloor`; returns the visible ones that went (viewers must drop them). */
  async deleteFloorsFrom(roomId: string, fromFloor: number): Promise<LiveMessageRow[]> {
    const gone = await this.db
      .selectFrom('live_messages')
      .selectAll()
      .where('room_id', '=', roomId)
      .where('floor', '>=', fromFloor)
      .where('visible', '=', 1)
      .orderBy('floor')
      .execute();
    await this.db.deleteFrom('live_messages').where('room_id', '=', roomId).where('floor', '>=', fromFloor).execute();
    return gone;
  }

  async deleteMessage(roomId: string, floor: number): Promise<LiveMessageRow | undefined> {
    const row = await this.db
      .selectFrom('live_messages')
      .selectAll()
      .where('room_id', '=', roomId)
      .where('floor', '=', floor)
      .executeTakeFirst();
    if (row) await this.db.deleteFrom('live_messages').where('room_id', '=', roomId).where('floor', '=', floor).execute();
    return row;
  }

  /** Remembers deleted floors for resuming viewers, and forgets tombstones older than `pruneBefore`. */
  async recordDeletions(roomId: string, floors: number[], now: number, pruneBefore: number): Promise<void> {
    await this.db.deleteFrom('live_message_deletions').where('room_id', '=', roomId).where('deleted_at', '<', pruneBefore).execute();
    for (let start = 0; start < floors.length; start += INSERT_CHUNK) {
      await this.db
        .insertInto('live_message_deletions')
        .values(floors.slice(start, start + INSERT_CHUNK).map((floor) => ({ room_id: roomId, floor, deleted_at: now })))
        .onConflict((oc) => oc.columns(['room_id', 'floor']).doUpdateSet({ deleted_at: now }))
        .execute();
    }
  }

  /** Lines up to `upToFloor` written at or after `since` (visible or not), ascending, at most `limit`. */
  messagesChangedSince(roomId: string, upToFloor: number, since: number, limit: number) {
    return this.db
      .selectFrom('live_messages')
      .select([...TRANSCRIPT_COLUMNS, 'visible'])
      .where('room_id', '=', roomId)
      .where('updated_at', '>=', since)
      .where('floor', '<=', upToFloor)
      .orderBy('floor')
      .limit(limit)
      .execute();
  }

  /** Floors up to `upToFloor` deleted at or after `since` and not written again, ascending, at most `limit`. */
  floorsDeletedSince(roomId: string, upToFloor: number, since: number, limit: number) {
    return this.db
      .selectFrom('live_message_deletions as d')
      .select(['d.floor', 'd.deleted_at'])
      .where('d.room_id', '=', roomId)
      .where('d.deleted_at', '>=', since)
      .where('d.floor', '<=', upToFloor)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('live_messages as m').select('m.floor').whereRef('m.room_id', '=', 'd.room_id').whereRef('m.floor', '=', 'd.floor'))),
      )
      .orderBy('d.floor')
      .limit(limit)
      .execute();
  }

  /** Ids up to `upToId` of viewer messages deleted at or after `since`, ascending, at most `limit`. */
  async userMessagesDeletedSince(roomId: string, upToId: number, since: number, limit: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('user_messages')
      .select('id')
      .where('room_id', '=', roomId)
      .where('deleted_at', '>=', since)
      .where('id', '<=', upToId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((row) => Number(row.id));
  }

  /** The latest `limit` visible messages below `beforeFloor`, ascending. */
  async visibleMessagesBefore(roomId: string, beforeFloor: number | undefined, limit: number) {
    let query = this.db
      .selectFrom('live_messages')
      .select(TRANSCRIPT_COLUMNS)
      .where('room_id', '=', roomId)
      .where('visible', '=', 1);
    if (beforeFloor !== undefined) query = query.where('floor', '<', beforeFloor);
    const rows = await query.orderBy('floor', 'desc').limit(limit).execute();
    return rows.reverse();
  }

  visibleMessagesAfter(roomId: string, afterFloor: number, limit: number) {
    return this.db
      .selectFrom('live_messages')
      .select(TRANSCRIPT_COLUMNS)
      .where('room_id', '=', roomId)
      .where('visible', '=', 1)
      .where('floor', '>', afterFloor)
      .orderBy('floor')
      .limit(limit)
      .execute();
  }

  /**
   * Inserts viewer messages in one statement; returns their ids in the rows' order. Both engines
   * number the rows of one INSERT in the order of its VALUES, but neither promises the order of
   * RETURNING, hence the sort.
   */
  async insertUserMessages(rows: Insertable<UserMessagesTable>[]): Promise<number[]> {
    const inserted = await this.db.insertInto('user_messages').values(rows).returning('id').execute();
    return inserted.map((row) => Number(row.id)).sort((a, b) => a - b);
  }

  /**
   * Makes viewer message ids increase in commit order, which resuming by after_user_message_id
   * relies on: two PostgreSQL transactions (two instances, or two pool connections) could otherwise
   * commit ids 11 then 10, and a viewer who saw 11 would never be replayed 10. Held until the
   * transaction ends. SQLite has one writer at a time, so ids are in commit order already.
   */
  async lockUserMessageOrder(): Promise<void> {
    if (!isPostgres(this.db)) return;
    await sql`select pg_advisory_xact_lock(hashtextextended(current_schema() || ':pecktra:user_messages', 0))`.execute(this.db);
  }

  /** A deleted account's messages stay, under `name`. */
  async renameAuthor(userId: string, name: string): Promise<void> {
    await this.db.updateTable('user_messages').set({ username: name }).where('user_id', '=', userId).execute();
  }

  /** The latest `limit` viewer messages, ascending. */
  async lastUserMessages(roomId: string, limit: number): Promise<UserMessageRow[]> {
    const rows = await this.db
      .selectFrom('user_messages')
      .selectAll()
      .where('room_id', '=', roomId)
      .where('deleted_at', 'is', null)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.reverse();
  }

  userMessagesAfter(roomId: string, afterId: number, limit: number): Promise<UserMessageRow[]> {
    return this.db
      .selectFrom('user_messages')
      .selectAll()
      .where('room_id', '=', roomId)
      .where('deleted_at', 'is', null)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  async lastUserMessageId(roomId: string): Promise<number> {
    const row = await this.db
      .selectFrom('user_messages')
      .select((eb) => eb.fn.max<number | null>('id').as('id'))
      .where('room_id', '=', roomId)
      .executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  /** The latest transcript lines, hidden and removed ones included, newest first (the operator console). */
  latestLinesForReview(roomId: string, limit: number) {
    return this.db
      .selectFrom('live_messages')
      .select(['floor', 'sender_name', 'message', 'is_user', 'visible', 'removed_at', 'send_date'])
      .where('room_id', '=', roomId)
      .orderBy('floor', 'desc')
      .limit(limit)
      .execute();
  }

  /** The latest viewer messages, removed ones included, newest first (the operator console). */
  latestUserMessagesForReview(roomId: string, limit: number) {
    return this.db
      .selectFrom('user_messages')
      .select(['id', 'user_id', 'username', 'message', 'created_at', 'deleted_at'])
      .where('room_id', '=', roomId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  async markLineRemoved(roomId: string, floor: number, now: number): Promise<void> {
    await this.db
      .updateTable('live_messages')
      .set({ visible: 0, removed_at: now, updated_at: now })
      .where('room_id', '=', roomId)
      .where('floor', '=', floor)
      .execute();
  }

  findUserMessage(roomId: string, id: number) {
    return this.db
      .selectFrom('user_messages')
      .select(['id', 'user_id', 'username', 'message', 'deleted_at'])
      .where('room_id', '=', roomId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async softDeleteUserMessage(roomId: string, id: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('user_messages')
      .set({ deleted_at: now })
      .where('room_id', '=', roomId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** The network of the guest's latest message in the room, if any. */
  async lastGuestNetwork(roomId: string, guestName: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('user_messages')
      .select('guest_network')
      .where('room_id', '=', roomId)
      .where('guest_name', '=', guestName)
      .where('guest_network', 'is not', null)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.guest_network ?? undefined;
  }

  async muteUntil(roomId: string, subject: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('room_mutes')
      .select('until')
      .where('room_id', '=', roomId)
      .where('subject', '=', subject)
      .executeTakeFirst();
    return row?.until;
  }

  async setMute(roomId: string, subject: string, until: number): Promise<void> {
    await this.db
      .insertInto('room_mutes')
      .values({ room_id: roomId, subject, until })
      .onConflict((oc) => oc.columns(['room_id', 'subject']).doUpdateSet({ until }))
      .execute();
  }

  async clearMute(roomId: string, subject: string): Promise<void> {
    await this.db.deleteFrom('room_mutes').where('room_id', '=', roomId).where('subject', '=', subject).execute();
  }
}
