import type { Kysely } from 'kysely';

/**
 * What diamonds buy: permanent entry to a room, time-limited subscriptions to an anchor, the
 * anchor's subscription price, and the stored first answer for each client Idempotency-Key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('room_access')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
    // The ledger transfer that paid for it: every unlock is explained by exactly one payment.
    .addColumn('transfer_id', 'text', (c) => c.notNull().references('ledger_transfers.id'))
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('room_access_pk', ['user_id', 'room_id'])
    .execute();

  await db.schema
    .createTable('subscriptions')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('anchor_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('subscriptions_pk', ['user_id', 'anchor_id'])
    .execute();
  await db.schema.createIndex('subscriptions_anchor').on('subscriptions').columns(['anchor_id', 'expires_at']).execute();

  // Anchors without a row charge the configured default (SUBSCRIPTION_PRICE).
  await db.schema
    .createTable('subscription_plans')
    .addColumn('anchor_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('price', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('idempotency_records')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    // Operation + request fingerprint: reusing a key for a different request is refused.
    .addColumn('request', 'text', (c) => c.notNull())
    // Written in the same transaction as the operation, so a stored key always has its answer.
    .addColumn('response', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_records_pk', ['user_id', 'idempotency_key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['idempotency_records', 'subscription_plans', 'subscriptions', 'room_access']) {
    await db.schema.dropTable(table).execute();
  }
}
