import { sql, type Kysely } from 'kysely';

/**
 * What a resuming viewer needs to learn about transcript lines it already holds: which changed
 * (`live_messages.updated_at`, indexed here) and which were deleted (tombstones, since deleted lines
 * leave no row behind). Tombstones older than the resume window are pruned as new ones are written.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('live_messages_changed').on('live_messages').columns(['room_id', 'updated_at']).execute();
  await db.schema
    .createTable('live_message_deletions')
    .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
    .addColumn('floor', 'integer', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('live_message_deletions_pk', ['room_id', 'floor'])
    .execute();
  await db.schema.createIndex('live_message_deletions_at').on('live_message_deletions').columns(['room_id', 'deleted_at']).execute();
  // Partial: only removed messages are in it, so posting a message does not pay for this index.
  await db.schema
    .createIndex('user_messages_deleted')
    .on('user_messages')
    .columns(['room_id', 'deleted_at'])
    .where(sql.ref('deleted_at'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('user_messages_deleted').execute();
  await db.schema.dropTable('live_message_deletions').execute();
  await db.schema.dropIndex('live_messages_changed').execute();
}
