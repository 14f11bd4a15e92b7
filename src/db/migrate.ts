import { Migrator, sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';
import { migrations } from './migrations/index.js';

/**
 * Catalog errors Kysely's table introspection (which reads every schema) can hit while another
 * client creates or drops a schema in the same database: undefined column, table or schema.
 */
const CONCURRENT_DDL_ERRORS = new Set(['42703', '42P01', '3F000']);
const MAX_ATTEMPTS = 4;

/** Applies every pending migration; the same files serve SQLite and PostgreSQL. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
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
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    // On PostgreSQL the migrations themselves run in one transaction, so a failed attempt left nothing behind.
    const code = (error as { code?: unknown }).code;
    const retryable = schema !== undefined && typeof code === 'string' && CONCURRENT_DDL_ERRORS.has(code);
    if (!retryable || attempt >= MAX_ATTEMPTS) throw error instanceof Error ? error : new Error(String(error));
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
  }
}
