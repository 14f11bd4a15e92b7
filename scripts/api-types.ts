/**
 * The web client's wire types, generated from the server's own OpenAPI document (`/docs/json`):
 * the app is built in-process on a throwaway in-memory database with a fixed configuration, so the
 * output depends on the route schemas only, never on this machine's environment.
 */
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import pino from 'pino';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { MemoryRateLimiter } from '../src/infra/rate-limiter.js';
import { MemoryEventBus } from '../src/realtime/memory-event-bus.js';
import { MemoryPresence } from '../src/realtime/presence.js';

/** The generated module, relative to the repository root and as an absolute path. */
export const API_TYPES_FILE = 'web/src/shared/api/schema.gen.ts';
export const API_TYPES_PATH = fileURLToPath(new URL(`../${API_TYPES_FILE}`, import.meta.url));

const HEADER = `/**
 * Wire types of the Pecktra Live API, generated from the server's OpenAPI document by
 * \`npm run api:types\` (scripts/generate-api-types.ts). Do not edit: change the route schemas on
 * the server and regenerate; a test fails while this file differs from a fresh generation.
 */

`;

/** The OpenAPI document exactly as `/docs/json` serves it. */
export async function openApiDocument(): Promise<OpenAPI3> {
  const database = await openDatabase({ databaseUrl: '', sqlitePath: ':memory:' });
  try {
    await migrateToLatest(database.db);
    // An explicit environment: the default (simulated) payment provider, whose routes the app uses.
    const config = loadConfig({ COOKIE_SECRET: 'api-types', DEMO_DATA: 'false', LOG_LEVEL: 'silent' });
    const app = await buildApp({
      config,
      db: database.db,
      rateLimiter: new MemoryRateLimiter(),
      eventBus: new MemoryEventBus(),
      presence: new MemoryPresence(),
      logger: pino({ level: 'silent' }),
    });
    try {
      await app.ready();
      return app.swagger() as OpenAPI3;
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}

/** The text of the generated module. */
export async function generateApiTypes(): Promise<string> {
  const ast = await openapiTS(await openApiDocument(), { silent: true, alphabetize: true });
  return `${HEADER}${astToString(ast).trimEnd()}\n`;
}
