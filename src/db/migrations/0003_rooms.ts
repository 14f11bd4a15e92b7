import type { Kysely } from 'kysely';
import { autoIncrementType } from '../dialect.js';

/** Rooms (one per anchor chat), the anchor/AI transcript, viewer chat, follows and mutes. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rooms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('anchor_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('character_name', 'text', (c) => c.notNull())
    // The chat's creation stamp as the chat tool writes it, e.g. 2025-07-03@18h17m20s.
    .addColumn('character_date', 'text', (c) => c.notNull())
    .addColumn('room_name', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    // 0 free, 1 VIP (one-off payment of coin_num), 2 private (gated like VIP).
    .addColumn('room_type', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('coin_num', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('live_status', 'integer', (c) => c.notNull().defaultTo(0))
    // Last anchor activity (message post or live call); idle live rooms count as stopped.
    .addColumn('last_activity_at', 'bigint', (c) => c.notNull())
    // Time of the latest AI message, for ordering the live list.
    .addColumn('last_ai_message_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('rooms_anchor_chat', ['anchor_id', 'character_name', 'character_date'])
    .execute();

  await db.schema
    .createTable('live_messages')
    .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
    // 0-based position in the anchor's chat; posting to an existing floor replaces it.
    .addColumn('floor', 'integer', (c) => c.notNull())
    .addColumn('is_user', 'integer', (c) => c.notNull())
    .addColumn('is_system', 'integer', (c) => c.notNull().defaultTo(0))
    // 0 for system messages and streaming placeholders: stored, never shown to viewers.
    .addColumn('visible', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('sender_name', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    // When the server received it (ms); the tool's own stamp is kept verbatim beside it.
    .addColumn('send_date', 'bigint', (c) => c.notNull())
    .addColumn('original_send_date', 'text')
    .addColumn('extra', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('live_messages_pk', ['room_id', 'floor'])
    .execute();

  await db.schema
    .createTable('user_messages')
    .addColumn('id', autoIncrementType(db), (c) => c.primaryKey())
    .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
    .addColumn('user_id', 'text')
    .addColumn('guest_name', 'text')
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();
  await db.schema.createIndex('user_messages_room').on('user_messages').columns(['room_id', 'id']).execute();

  await db.schema
    .createTable('room_follows')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('room_follows_pk', ['user_id', 'room_id'])
    .execute();

  await db.schema
    .createTable('room_mutes')
    .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
    // `user:<uid>` or `guest:<guest_name>`
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('until', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('room_mutes_pk', ['room_id', 'subject'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['room_mutes', 'room_follows', 'user_messages', 'live_messages', 'rooms']) {
    await db.schema.dropTable(table).execute();
  }
}
