import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

/** Migrations need the few places where SQLite and PostgreSQL spell a type differently. */
export function isPostgres(db: Pick<Kysely<unknown>, 'getExecutor'>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** An auto-incrementing integer primary key column type. */
export function autoIncrementType(db: Kysely<unknown>): RawBuilder<unknown> {
  return isPostgres(db) ? sql`bigserial` : sql`integer`;
}
