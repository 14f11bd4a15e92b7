/**
 * `npm run backup` while diamonds keep moving, then a restore as the README describes it: the
 * restored database passes `npm run ledger:verify` and holds every transfer committed before the
 * backup began. SQLite by default; with TEST_DATABASE_URL, pg_dump and pg_restore.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { runCoinsCommand } from '../../src/wallet/cli-commands.js';
import { createTestDatabase, TEST_DATABASE_URL, withSchemaChangeLock, type TestDatabase } from '../helpers/app.js';
import { insertUser } from '../wallet/fixtures.js';

const run = promisify(execFile);
let dir: string;
let database: TestDatabase;
/** PostgreSQL: the schema the restore replaces, kept aside until the end. */
let lostSchema: string | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pecktra-backup-'));
  database = await createTestDatabase({ sqlitePath: join(dir, 'live.db') });
});
afterAll(async () => {
  await database.close();
  if (lostSchema) await withSchemaChangeLock((admin) => admin.query(`DROP SCHEMA IF EXISTS ${lostSchema} CASCADE`));
  rmSync(dir, { recursive: true, force: true });
});

async function transferCount(db: TestDatabase['db']): Promise<number> {
  const row = await db.selectFrom('ledger_transfers').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

describe('backup and restore', () => {
  it('a backup taken during writes restores to a database that passes ledger:verify', async () => {
    const users = await Promise.all([insertUser(database.db), insertUser(database.db)]);
    for (const user of users) expect((await runCoinsCommand(database.db, ['grant', user.id, '500', '--reason', 'seed'])).exitCode).toBe(0);

    // The live site keeps moving diamonds while the backup runs.
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        await runCoinsCommand(database.db, ['grant', users[i % 2]!.id, i % 3 === 0 ? '-1' : '2', '--reason', `live ${i}`]);
        // SQLite answers without real I/O; yield so the backup process's exit is noticed.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const before = await transferCount(database.db);
    const file = join(dir, TEST_DATABASE_URL ? 'pecktra.dump' : 'pecktra-backup.db');
    const env = { ...process.env, ...database.env, LOG_LEVEL: 'silent' };
    let backup: { stdout: string };
    try {
      backup = await run(process.execPath, ['--import', 'tsx', 'src/db/backup-cli.ts', file], { env });
    } finally {
      writing = false;
      await writer;
    }
    const after = await transferCount(database.db);
    expect(backup.stdout).toMatch(/backup .* written to/);

    // Restore as an operator would, after losing the live database.
    let restoredEnv: Record<string, string>;
    if (TEST_DATABASE_URL) {
      const schema = new URL(database.env.DATABASE_URL!).searchParams.get('options')!.replace('-c search_path=', '');
      lostSchema = `${schema}_lost`;
      await withSchemaChangeLock(async (admin) => {
        await admin.query(`ALTER SCHEMA ${schema} RENAME TO ${lostSchema}`);
        await run('pg_restore', ['--no-owner', `--dbname=${TEST_DATABASE_URL}`, file]);
      });
      restoredEnv = database.env;
    } else {
      const restored = join(dir, 'restored.db');
      copyFileSync(file, restored);
      restoredEnv = { SQLITE_PATH: restored, DATABASE_URL: '' };
    }
    const verify = await run(process.execPath, ['--import', 'tsx', 'src/wallet/ledger-verify-cli.ts'], { env: { ...process.env, ...restoredEnv } });
    expect(verify.stdout).toMatch(/ledger OK/);

    const restored = await openDatabase({ databaseUrl: restoredEnv.DATABASE_URL ?? '', sqlitePath: restoredEnv.SQLITE_PATH ?? '' });
    try {
      const count = await transferCount(restored.db);
      expect(count).toBeGreaterThanOrEqual(before);
      expect(count).toBeLessThanOrEqual(after);
    } finally {
      await restored.close();
    }
    // Three process start-ups through tsx on a busy machine.
  }, 90_000);
});
