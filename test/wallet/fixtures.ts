/**
 * Wallet test fixtures: rooms are inserted straight into the rooms table (the rooms feature owns
 * their API), users straight into users when a test needs many without HTTP.
 */
import type { Kysely } from 'kysely';
import type { SessionUser } from '../../src/accounts/service.js';
import { newId } from '../../src/db/ids.js';
import type { Database } from '../../src/db/schema.js';
import { adjustDiamonds } from '../../src/wallet/index.js';

export const ROOM_FREE = 0;
export const ROOM_VIP = 1;
export const ROOM_PRIVATE = 2;

export async function createRoom(
  db: Kysely<Database>,
  room: { anchorId: string; roomType?: number; price?: number; name?: string },
): Promise<{ id: string; anchorId: string; roomName: string; price: number; roomType: number }> {
  const id = newId();
  const now = Date.now();
  const roomName = room.name ?? `room ${id}`;
  const roomType = room.roomType ?? ROOM_VIP;
  const price = room.price ?? (roomType === ROOM_FREE ? 0 : 50);
  await db
    .insertInto('rooms')
    .values({
      id,
      anchor_id: room.anchorId,
      character_name: `char ${id}`,
      character_date: '2025-07-03@18h17m20s',
      room_name: roomName,
      room_type: roomType,
      coin_num: price,
      last_activity_at: now,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { id, anchorId: room.anchorId, roomName, price, roomType };
}

export async function setRoomPrice(db: Kysely<Database>, roomId: string, price: number): Promise<void> {
  await db.updateTable('rooms').set({ coin_num: price }).where('id', '=', roomId).execute();
}

/** A user row without the HTTP round trip (the password hash is never checked). */
export async function insertUser(db: Kysely<Database>, options: { anchor?: boolean } = {}): Promise<SessionUser> {
  const id = newId();
  const username = `u_${id.replace(/[^A-Za-z0-9]/g, '_')}`;
  await db
    .insertInto('users')
    .values({ id, username, username_key: username.toLowerCase(), password_hash: 'x', is_anchor: options.anchor ? 1 : 0, created_at: Date.now() })
    .execute();
  return { id, username, isAnchor: Boolean(options.anchor) };
}

/** Gives a user diamonds the way an operator would (a ledger adjustment). */
export async function grantDiamonds(db: Kysely<Database>, userId: string, amount: number): Promise<void> {
  await adjustDiamonds(db, { userId, amount, reason: 'test grant', now: Date.now() });
}
