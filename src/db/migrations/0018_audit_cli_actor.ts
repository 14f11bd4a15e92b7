import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The operator role is granted and revoked on the server's shell (`npm run operator`), and those
 * changes belong on the audit trail too. Their actor is no account: `operator_id` becomes nullable
 * (null: not a console operator) and `operator_name` says who it was, e.g. `cli:alice` for the OS user.
 * SQLite cannot relax a NOT NULL column, so there the table is rebuilt with its indexes and its
 * append-only triggers (dropping a table fires none of its triggers). Going down fails while the
 * trail holds such entries: the append-only trail is not rewritten to fit the older shape.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table operator_audit alter column operator_id drop not null`.execute(db);
    return;
  }
  await rebuildOnSqlite(db, false);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table operator_audit alter column operator_id set not null`.execute(db);
    return;
  }
  await rebuildOnSqlite(db, true);
}

async function rebuildOnSqlite(db: Kysely<unknown>, operatorIdRequired: boolean): Promise<void> {
  await db.schema
    .createTable('operator_audit_rebuilt')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('operator_id', 'text', (c) => (operatorIdRequired ? c.notNull().references('users.id') : c.references('users.id')))
    .addColumn('operator_name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('before', 'text', (c) => c.notNull())
    .addColumn('after', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into operator_audit_rebuilt select id, operator_id, operator_name, action, target_type, target_id, reason, before, after, created_at from operator_audit`.execute(db);
  await db.schema.dropTable('operator_audit').execute();
  await sql`alter table operator_audit_rebuilt rename to operator_audit`.execute(db);
  await db.schema.createIndex('operator_audit_target').on('operator_audit').columns(['target_type', 'target_id']).execute();
  await db.schema.createIndex('operator_audit_action').on('operator_audit').columns(['action', 'id']).execute();
  await sql`create trigger operator_audit_no_update before update on operator_audit
    begin select raise(abort, 'operator_audit is append-only'); end`.execute(db);
  await sql`create trigger operator_audit_no_delete before delete on operator_audit
    begin select raise(abort, 'operator_audit is append-only'); end`.execute(db);
}
