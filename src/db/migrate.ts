import { Migrator, sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';
import { migrations } from './migrations/index.js';

/**
 * Kysely's migrator introspects the tables of every schema; a schema dropped meanwhile by someone
 * else (parallel test runs share one database) makes that query fail with invalid_schema_name.
 */
const INTROSPECTION_RACE = '3F000';

/** Applies every pending migration; the same files serve SQLite and PostgreSQL. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await migrateOnce(db);
    } catch (err) {
      if (attempt >= 5 || (err as { code?: unknown }).code !== INTROSPECTION_RACE) throw err;
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works on any schema
async function migrateOnce(db: Kysely<any>): Promise<string[]> {
  // Kysely looks for its bookkeeping tables in every schema unless told which one; with several
  // schemas in one database (parallel test runs) it would find another schema's and fail.
  const schema = isPostgres(db)
    ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
    : undefined;
  const migrator = new Migrator({
    db,
    ...(schema ? { migrationTableSchema: schema } : {}),
    provider: { getMigrations: async () => migrations },
    // Feature branches add numbered files independently; order among them does not matter.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
