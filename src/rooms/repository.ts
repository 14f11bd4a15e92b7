import type { Insertable, Selectable, Updateable } from 'kysely';
import type { RoomsTable } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';

export type RoomRow = Selectable<RoomsTable>;
/** A room with its anchor's public name, as every listing needs both. */
export type RoomRecord = RoomRow & { anchor_username: string };
export type RoomPatch = Pick<Updateable<RoomsTable>, 'room_name' | 'title' | 'description' | 'room_type' | 'coin_num'>;
export type AnchorRoomRecord = RoomRecord & { live_message_count: number; user_message_count: number };

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

  async setLiveStatus(roomId: string, live: boolean, now: number): Promise<void> {
    await this.db
      .updateTable('rooms')
      .set({ live_status: live ? 1 : 0, last_activity_at: now, updated_at: now })
      .where('id', '=', roomId)
      .execute();
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
      .where('rooms.taken_down_at', 'is', null)
      .orderBy('room_follows.created_at', 'desc')
      .execute();
  }
}
