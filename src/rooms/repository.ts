import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import { isPostgres } from '../db/dialect.js';
import type { RoomsTable } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { fts5Query, searchDocument, tsQuery, type SearchQuery } from '../infra/search-terms.js';
import { joinTags } from './tags.js';

export type RoomRow = Selectable<RoomsTable>;
/** A room with its anchor's public name, as every listing needs both. */
export type RoomRecord = RoomRow & { anchor_username: string };
export type RoomPatch = Pick<Updateable<RoomsTable>, 'room_name' | 'title' | 'description' | 'room_type' | 'coin_num'>;
export type AnchorRoomRecord = RoomRecord & { live_message_count: number; user_message_count: number };

/** What a room is found by: its title and name, its character, its anchor, its tags. */
export function roomSearchDocument(room: Pick<RoomRecord, 'title' | 'room_name' | 'character_name' | 'anchor_username' | 'tags'>): string {
  return searchDocument([room.title, room.room_name, room.character_name, room.anchor_username, room.tags.replaceAll(',', ' ')]);
}

export class RoomsRepository {
  constructor(private readonly db: Executor) {}

  private selectRooms() {
    return this.db
      .selectFrom('rooms')
      .innerJoin('users', 'users.id', 'rooms.anchor_id')
      .selectAll('rooms')
      .select('users.username as anchor_username');
  }

  findById(roomId: string): Promise<RoomRecord | undefined> {
    return this.selectRooms().where('rooms.id', '=', roomId).executeTakeFirst();
  }

  findByChat(anchorId: string, characterName: string, characterDate: string): Promise<RoomRecord | undefined> {
    return this.selectRooms()
      .where('rooms.anchor_id', '=', anchorId)
      .where('rooms.character_name', '=', characterName)
      .where('rooms.character_date', '=', characterDate)
      .executeTakeFirst();
  }

  async insert(room: Insertable<RoomsTable>): Promise<void> {
    await this.db.insertInto('rooms').values(room).execute();
  }

  async update(roomId: string, patch: RoomPatch & { updated_at: number }): Promise<void> {
    await this.db.updateTable('rooms').set(patch).where('id', '=', roomId).execute();
  }

  async setTags(roomId: string, tags: readonly string[]): Promise<void> {
    await this.db.updateTable('rooms').set({ tags: joinTags(tags) }).where('id', '=', roomId).execute();
    await this.db.deleteFrom('room_tags').where('room_id', '=', roomId).execute();
    if (tags.length > 0) await this.db.insertInto('room_tags').values(tags.map((tag) => ({ tag, room_id: roomId }))).execute();
  }

  /** Writes the room's search document from its current row (call after every change to a searched field). */
  async indexForSearch(roomId: string): Promise<void> {
    const room = await this.findById(roomId);
    if (!room) return;
    const document = roomSearchDocument(room);
    await this.db
      .insertInto('room_search')
      .values({ room_id: roomId, document })
      .onConflict((oc) => oc.column('room_id').doUpdateSet({ document }))
      .execute();
  }

  /** After an anchor's rename: every room of theirs is found by the new name. */
  async reindexAnchorRooms(anchorId: string): Promise<void> {
    const rooms = await this.db.selectFrom('rooms').select('id').where('anchor_id', '=', anchorId).execute();
    for (const room of rooms) await this.indexForSearch(room.id);
  }

  /**
   * Rooms matching the query (and carrying `tag`, when given), newest first, at most `limit`;
   * archived rooms are left out (an archived match on SQLite takes a place of the page: rare).
   * Answered by the engine's full-text index (FTS5 on SQLite, the tsvector GIN index on PostgreSQL),
   * in one query with the rows. Newest first rather than by a relevance score: scoring every match
   * costs ten times the lookup on a common word, and the service puts matching live rooms first.
   */
  async search(query: SearchQuery, tag: string | undefined, limit: number): Promise<RoomRecord[]> {
    const tagJoin = tag === undefined ? sql`` : sql`join room_tags on room_tags.room_id = room_search.room_id and room_tags.tag = ${tag}`;
    const result = isPostgres(this.db as Kysely<unknown>)
      ? await sql<RoomRecord>`
          select rooms.*, users.username as anchor_username from room_search ${tagJoin}
          join rooms on rooms.id = room_search.room_id join users on users.id = rooms.anchor_id
          where room_search.terms @@ to_tsquery('simple', ${tsQuery(query)}) and rooms.archived_at is null and rooms.taken_down_at is null
          order by rooms.created_at desc, rooms.id desc
          limit ${limit}`.execute(this.db)
      : // The page of matches first (FTS5 walks its index newest first and stops), then their rows.
        await sql<RoomRecord>`
          select rooms.*, users.username as anchor_username from (
            select room_search.room_id, room_search_fts.rowid as position from room_search_fts
            join room_search on room_search.id = room_search_fts.rowid ${tagJoin}
            where room_search_fts match ${fts5Query(query)}
            order by room_search_fts.rowid desc
            limit ${limit}
          ) hits
          join rooms on rooms.id = hits.room_id join users on users.id = rooms.anchor_id
          where rooms.archived_at is null and rooms.taken_down_at is null
          order by hits.position desc`.execute(this.db);
    return result.rows;
  }

  /** Rooms with this tag, newest first, at most `limit` (the tag's index, no scan). */
  withTag(tag: string, limit: number): Promise<RoomRecord[]> {
    return this.selectRooms()
      .innerJoin('room_tags', 'room_tags.room_id', 'rooms.id')
      .where('room_tags.tag', '=', tag)
      .where('rooms.archived_at', 'is', null)
      .where('rooms.taken_down_at', 'is', null)
      .orderBy('rooms.created_at', 'desc')
      .orderBy('rooms.id', 'desc')
      .limit(limit)
      .execute();
  }

  /**
   * Claims the announcement of the room's going live: true for exactly one caller per cooldown,
   * however many instances or toggles race for it.
   */
  async claimLiveAnnouncement(roomId: string, now: number, cooldownMs: number): Promise<boolean> {
    const result = await this.db
      .updateTable('rooms')
      .set({ live_announced_at: now })
      .where('id', '=', roomId)
      .where((eb) => eb.or([eb('live_announced_at', 'is', null), eb('live_announced_at', '<=', now - cooldownMs)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Which of these users follow the room. */
  async followersAmong(roomId: string, userIds: readonly string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('room_follows')
      .select('user_id')
      .where('room_id', '=', roomId)
      .where('user_id', 'in', userIds)
      .execute();
    return rows.map((row) => row.user_id);
  }

  async setLiveStatus(roomId: string, live: boolean, now: number): Promise<void> {
    await this.db
      .updateTable('rooms')
      .set({ live_status: live ? 1 : 0, last_activity_at: now, updated_at: now })
      .where('id', '=', roomId)
      .execute();
  }

  async setImage(roomId: string, kind: 'cover' | 'avatar', imageKey: string | null, now: number): Promise<void> {
    await this.db
      .updateTable('rooms')
      .set(kind === 'cover' ? { cover_image: imageKey, updated_at: now } : { avatar_image: imageKey, updated_at: now })
      .where('id', '=', roomId)
      .execute();
  }

  /**
   * Inside a transaction: makes this anchor's concurrent room creations take turns until commit, so
   * counting their rooms and inserting one is atomic. PostgreSQL gets a transaction-scoped advisory
   * lock keyed by the anchor; SQLite runs one write transaction at a time already.
   */
  async lockAnchorRooms(anchorId: string): Promise<void> {
    if (!isPostgres(this.db as unknown as Kysely<unknown>)) return;
    await sql`select pg_advisory_xact_lock(hashtextextended(${`rooms:${anchorId}`}, 0))`.execute(this.db);
  }

  /** Archives (`archivedAt`) or restores (null) a room; an archived room is switched off. */
  async setArchived(roomId: string, archivedAt: number | null, now: number): Promise<void> {
    await this.db
      .updateTable('rooms')
      .set(archivedAt === null ? { archived_at: null, updated_at: now } : { archived_at: archivedAt, live_status: 0, updated_at: now })
      .where('id', '=', roomId)
      .execute();
  }

  /**
   * Deletes the room with everything in it (messages, follows, mutes cascade), but only while
   * nobody has paid into it: no unlock and no payment counted for it. Returns false when someone
   * has, and the room stays.
   */
  async deleteIfUnpaid(roomId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('rooms')
      .where('id', '=', roomId)
      .where((eb) =>
        eb.and([
          eb.not(eb.exists(eb.selectFrom('room_access').select('room_access.room_id').whereRef('room_access.room_id', '=', 'rooms.id'))),
          eb.not(eb.exists(eb.selectFrom('room_support').select('room_support.room_id').whereRef('room_support.room_id', '=', 'rooms.id'))),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Taking down also switches the room off; restoring leaves it off until its anchor goes live. */
  async setTakenDown(roomId: string, takedown: { at: number; reason: string } | null): Promise<void> {
    await this.db
      .updateTable('rooms')
      .set(
        takedown
          ? { taken_down_at: takedown.at, takedown_reason: takedown.reason, live_status: 0, updated_at: takedown.at }
          : { taken_down_at: null, takedown_reason: null },
      )
      .where('id', '=', roomId)
      .execute();
  }

  async countByAnchor(anchorId: string): Promise<number> {
    const row = await this.db
      .selectFrom('rooms')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('anchor_id', '=', anchorId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Newest first (creation time, then id), after a page cursor when given. */
  listByAnchor(anchorId: string, page: { after?: { createdAt: number; id: string }; limit?: number } = {}): Promise<AnchorRoomRecord[]> {
    let query = this.selectRooms()
      .select((eb) => [
        eb
          .selectFrom('live_messages')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('live_messages.room_id', '=', 'rooms.id')
          .where('live_messages.visible', '=', 1)
          .as('live_message_count'),
        eb
          .selectFrom('user_messages')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('user_messages.room_id', '=', 'rooms.id')
          .where('user_messages.deleted_at', 'is', null)
          .as('user_message_count'),
      ])
      .where('rooms.anchor_id', '=', anchorId)
      .orderBy('rooms.created_at', 'desc')
      .orderBy('rooms.id', 'desc');
    const { after, limit } = page;
    if (after) {
      query = query.where((eb) =>
        eb.or([eb('rooms.created_at', '<', after.createdAt), eb.and([eb('rooms.created_at', '=', after.createdAt), eb('rooms.id', '<', after.id)])]),
      );
    }
    if (limit !== undefined) query = query.limit(limit);
    return query.execute() as Promise<AnchorRoomRecord[]>;
  }

  /** Rooms switched on and active after `activeSince`: the live list's source. */
  listLive(activeSince: number): Promise<RoomRecord[]> {
    return this.selectRooms()
      .where('rooms.live_status', '=', 1)
      .where('rooms.archived_at', 'is', null)
      .where('rooms.last_activity_at', '>', activeSince)
      .where('rooms.taken_down_at', 'is', null)
      .execute();
  }

  async follow(userId: string, roomId: string, now: number): Promise<void> {
    await this.db
      .insertInto('room_follows')
      .values({ user_id: userId, room_id: roomId, created_at: now })
      .onConflict((oc) => oc.columns(['user_id', 'room_id']).doNothing())
      .execute();
  }

  async unfollow(userId: string, roomId: string): Promise<void> {
    await this.db.deleteFrom('room_follows').where('user_id', '=', userId).where('room_id', '=', roomId).execute();
  }

  async isFollowing(userId: string, roomId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('room_follows')
      .select('room_id')
      .where('user_id', '=', userId)
      .where('room_id', '=', roomId)
      .executeTakeFirst();
    return row !== undefined;
  }

  listFollowed(userId: string): Promise<RoomRecord[]> {
    return this.selectRooms()
      .innerJoin('room_follows', 'room_follows.room_id', 'rooms.id')
      .where('room_follows.user_id', '=', userId)
      .where('rooms.archived_at', 'is', null)
      .where('rooms.taken_down_at', 'is', null)
      .orderBy('room_follows.created_at', 'desc')
      .execute();
  }
}
