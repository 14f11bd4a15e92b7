import type { Kysely } from 'kysely';

/**
 * What each viewer spent in each room per day (gifts, VIP unlocks, subscriptions bought in the room),
 * kept up to date in the same transaction as the payment so a room's leaderboard is a small indexed
 * read instead of a scan of the ledger.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('room_support')
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('diamonds', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('room_support_pk', ['room_id', 'day', 'user_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('room_support').execute();
}
