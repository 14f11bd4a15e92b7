import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The operator console: the operator role and bans on accounts, operator sessions (shorter, with
 * the time the password was last re-entered), take-downs of rooms, lines removed by an operator
 * (kept, hidden), viewers' reports, and the audit trail of every operator action. The audit trail
 * refuses UPDATE and DELETE at the database itself, so no code path can rewrite history.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('is_operator', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('banned_at', 'bigint').execute();
  await db.schema.alterTable('users').addColumn('ban_reason', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('operator', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('sessions').addColumn('reauth_at', 'bigint').execute();
  await db.schema.alterTable('rooms').addColumn('taken_down_at', 'bigint').execute();
  await db.schema.alterTable('rooms').addColumn('takedown_reason', 'text').execute();
  await db.schema.alterTable('live_messages').addColumn('removed_at', 'bigint').execute();

  await db.schema
    .createTable('operator_audit')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('operator_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('operator_name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('before', 'text', (c) => c.notNull())
    .addColumn('after', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('operator_audit_target').on('operator_audit').columns(['target_type', 'target_id']).execute();
  await db.schema.createIndex('operator_audit_action').on('operator_audit').columns(['action', 'id']).execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reporter_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
    /** `room`, `live:<floor>` (a transcript line) or `user:<message id>` (a viewer message). */
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull().defaultTo(''))
    /** Days since the epoch: one report per viewer, target and day. */
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    .addUniqueConstraint('reports_once_a_day', ['reporter_id', 'room_id', 'target', 'day'])
    .execute();
  await db.schema.createIndex('reports_open').on('reports').columns(['status', 'room_id', 'target']).execute();

  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create function operator_audit_append_only() returns trigger language plpgsql as $$
      begin raise exception 'operator_audit is append-only'; end $$`.execute(db);
    await sql`create trigger operator_audit_append_only before update or delete on operator_audit
      for each row execute function operator_audit_append_only()`.execute(db);
  } else {
    await sql`create trigger operator_audit_no_update before update on operator_audit
      begin select raise(abort, 'operator_audit is append-only'); end`.execute(db);
    await sql`create trigger operator_audit_no_delete before delete on operator_audit
      begin select raise(abort, 'operator_audit is append-only'); end`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop trigger operator_audit_append_only on operator_audit`.execute(db);
    await sql`drop function operator_audit_append_only()`.execute(db);
  }
  await db.schema.dropTable('reports').execute();
  await db.schema.dropTable('operator_audit').execute();
  await db.schema.alterTable('live_messages').dropColumn('removed_at').execute();
  await db.schema.alterTable('rooms').dropColumn('takedown_reason').execute();
  await db.schema.alterTable('rooms').dropColumn('taken_down_at').execute();
  await db.schema.alterTable('sessions').dropColumn('reauth_at').execute();
  await db.schema.alterTable('sessions').dropColumn('operator').execute();
  await db.schema.alterTable('users').dropColumn('ban_reason').execute();
  await db.schema.alterTable('users').dropColumn('banned_at').execute();
  await db.schema.alterTable('users').dropColumn('is_operator').execute();
}
