/**
 * Test tier helpers. Every call to createTestApp gets a fresh database: an in-memory SQLite by
 * default, or a brand-new PostgreSQL schema when TEST_DATABASE_URL is set (CI runs both).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import pino from 'pino';
import { buildApp, type AppDependencies } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { MemoryRateLimiter } from '../../src/infra/rate-limiter.js';
import { MemoryEventBus } from '../../src/realtime/memory-event-bus.js';
import { MemoryPresence } from '../../src/realtime/presence.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? '';
export const dialectUnderTest = TEST_DATABASE_URL ? 'postgres' : 'sqlite';

export interface TestDatabase extends DatabaseHandle {
  /** The DATABASE_URL/SQLITE_PATH pair a child server process needs to use the same database. */
  env: Record<string, string>;
}

/**
 * A fresh database, migrated unless `migrate: false` (for servers that migrate it themselves);
 * `close()` also drops the PostgreSQL schema.
 */
export async function createTestDatabase(options: { sqlitePath?: string; pgPoolSize?: number; migrate?: boolean } = {}): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  if (!TEST_DATABASE_URL) {
    const sqlitePath = options.sqlitePath ?? ':memory:';
    const handle = await openDatabase({ databaseUrl: '', sqlitePath });
    if (migrate) await migrateToLatest(handle.db);
    return { ...handle, env: { SQLITE_PATH: sqlitePath, DATABASE_URL: '' } };
  }
  const schema = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const handle = await withSchemaChangeLock(async () => {
    const opened = await openDatabase({ databaseUrl: TEST_DATABASE_URL, sqlitePath: '', pgSchema: schema, pgPoolSize: options.pgPoolSize });
    if (migrate) await migrateToLatest(opened.db);
    return opened;
  });
  const url = new URL(TEST_DATABASE_URL);
  // %20, not URLSearchParams' "+": libpq (pg_dump, psql) reads "+" literally.
  url.search = `options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    ...handle,
    env: { DATABASE_URL: url.toString() },
    close: async () => {
      await handle.close();
      await withSchemaChangeLock(async (admin) => {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      });
    },
  };
}

// Test files run in parallel processes. Kysely's migrator introspects the tables of every schema, and
// that catalog query fails if another process drops its schema at the same moment, so creating and
// dropping test schemas take turns under one advisory lock.
const SCHEMA_CHANGE_LOCK = 727_001;

export async function withSchemaChangeLock<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock($1)', [SCHEMA_CHANGE_LOCK]);
    return await work(admin);
  } finally {
    await admin.query('select pg_advisory_unlock($1)', [SCHEMA_CHANGE_LOCK]).catch(() => undefined);
    await admin.end();
  }
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({
      COOKIE_SECRET: 'test-cookie-secret',
      DEMO_DATA: 'false',
      LOG_LEVEL: 'silent',
      // Cheap password hashes keep tests fast; production uses the default cost.
      PASSWORD_HASH_COST: '10',
      // Test files sign many users up from one loopback address; the limit tests set their own.
      REGISTER_MAX_PER_ORIGIN: '100000',
      LOGIN_MAX_ATTEMPTS_PER_ORIGIN: '100000',
      CHAT_GUEST_MESSAGES_PER_NETWORK: '100000',
    }),
    ...overrides,
  };
}

export interface TestApp {
  app: FastifyInstance;
  db: TestDatabase['db'];
  config: Config;
  deps: AppDependencies;
  close(): Promise<void>;
}

export async function createTestApp(
  overrides: {
    config?: Partial<Config>;
    deps?: Partial<Omit<AppDependencies, 'config' | 'db'>>;
    /** PostgreSQL pool size: concurrency tests want several real connections. */
    pgPoolSize?: number;
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase({ pgPoolSize: overrides.pgPoolSize });
  const config = testConfig(overrides.config);
  const deps: AppDependencies = {
    config,
    db: database.db,
    rateLimiter: new MemoryRateLimiter(),
    eventBus: new MemoryEventBus(),
    presence: new MemoryPresence(),
    logger: pino({ level: 'silent' }),
    serializersOnFirstUse: true,
    ...overrides.deps,
  };
  const app = await buildApp(deps);
  await app.ready();
  return {
    app,
    db: database.db,
    config,
    deps,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
