import type { Kysely } from 'kysely';
import { autoIncrementType } from '../dialect.js';

/** Crypto recharge orders, the log of every provider callback/poll, and payments no order explains. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('payment_orders')
    // A UUID; sent to the provider as order_id and shown to the user.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    // Amounts are exact decimal strings ("19.916393"); never floats.
    .addColumn('price_amount', 'text', (c) => c.notNull())
    .addColumn('price_currency', 'text', (c) => c.notNull())
    .addColumn('pay_currency', 'text', (c) => c.notNull())
    .addColumn('coin_num', 'bigint', (c) => c.notNull())
    // creating (provider not answered yet), then the provider's payment_status values.
    .addColumn('status', 'text', (c) => c.notNull())
    // The provider's id, always stored as a string (it sends both strings and numbers).
    .addColumn('payment_id', 'text', (c) => c.unique())
    .addColumn('pay_address', 'text')
    .addColumn('pay_amount', 'text')
    .addColumn('actually_paid', 'text')
    .addColumn('coins_credited', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('credited_at', 'bigint')
    // Set when we expired the order ourselves; the provider may still report a payment later.
    .addColumn('local_expired_at', 'bigint')
    .addColumn('failure_reason', 'text')
    // Reconciliation backoff.
    .addColumn('check_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_check_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payment_orders_user').on('payment_orders').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('payment_orders_due').on('payment_orders').columns(['status', 'next_check_at']).execute();

  await db.schema
    .createTable('payment_events')
    .addColumn('id', autoIncrementType(db), (c) => c.primaryKey())
    .addColumn('order_id', 'text')
    .addColumn('payment_id', 'text')
    .addColumn('status', 'text')
    // ipn | reconcile
    .addColumn('source', 'text', (c) => c.notNull())
    // What we did with it: applied, unchanged, credited, mismatch, unknown_order, re_deposit, ...
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payment_events_order').on('payment_events').columns(['order_id', 'id']).execute();

  await db.schema
    .createTable('payment_unmatched')
    .addColumn('id', autoIncrementType(db), (c) => c.primaryKey())
    .addColumn('payment_id', 'text', (c) => c.notNull().unique())
    .addColumn('order_id', 'text')
    .addColumn('parent_payment_id', 'text')
    // re_deposit | unknown_order | mismatch
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('pay_currency', 'text')
    .addColumn('actually_paid', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('payment_unmatched').execute();
  await db.schema.dropTable('payment_events').execute();
  await db.schema.dropTable('payment_orders').execute();
}
