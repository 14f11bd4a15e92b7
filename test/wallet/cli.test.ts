import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCoinsArgs, runCoinsCommand, runLedgerVerify } from '../../src/wallet/cli-commands.js';
import { balanceOf, walletAccount } from '../../src/wallet/ledger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/app.js';
import { insertUser } from './fixtures.js';

const run = promisify(execFile);
let dir: string;
let database: TestDatabase;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pecktra-coins-'));
  database = await createTestDatabase({ sqlitePath: join(dir, 'wallet.db') });
});
afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('coins CLI', () => {
  it('parses grant with a signed amount and a reason, and refuses anything vaguer', () => {
    expect(parseCoinsArgs(['grant', 'u1', '-50', '--reason', 'refund'])).toEqual({ kind: 'grant', uid: 'u1', amount: -50, reason: 'refund' });
    expect(parseCoinsArgs(['grant', 'u1', '5', '--reason=promo'])).toMatchObject({ kind: 'grant', amount: 5 });
    expect(parseCoinsArgs(['grant', 'u1', '5'])).toMatchObject({ kind: 'usage', problem: expect.stringMatching(/reason/) });
    expect(parseCoinsArgs(['grant', 'u1', '2.5', '--reason', 'x'])).toMatchObject({ kind: 'usage' });
    expect(parseCoinsArgs(['transfer', 'u1', '5'])).toMatchObject({ kind: 'usage' });
  });

  it('grants and takes back diamonds as ledger adjustments, never below zero', async () => {
    const user = await insertUser(database.db);
    const granted = await runCoinsCommand(database.db, ['grant', user.id, '30', '--reason', 'launch promo']);
    expect(granted.exitCode).toBe(0);
    expect(granted.lines[0]).toMatch(/balance now 30/);

    const tooMuch = await runCoinsCommand(database.db, ['grant', user.id, '-31', '--reason', 'chargeback']);
    expect(tooMuch).toMatchObject({ exitCode: 1, lines: [expect.stringMatching(/insufficient_balance/)] });
    expect(await balanceOf(database.db, walletAccount(user.id))).toBe(30);

    const back = await runCoinsCommand(database.db, ['grant', user.id, '-30', '--reason', 'chargeback']);
    expect(back.exitCode).toBe(0);
    expect(await balanceOf(database.db, walletAccount(user.id))).toBe(0);

    const unknown = await runCoinsCommand(database.db, ['grant', 'nobody', '5', '--reason', 'x']);
    expect(unknown).toMatchObject({ exitCode: 1, lines: [expect.stringMatching(/user_not_found/)] });

    const history = await database.db
      .selectFrom('ledger_transfers')
      .select(['type', 'metadata'])
      .where('type', '=', 'adjustment')
      .orderBy('id')
      .execute();
    expect(history.map((h) => JSON.parse(h.metadata).reason)).toEqual(['launch promo', 'chargeback']);
    expect((await runLedgerVerify(database.db)).exitCode).toBe(0);
  });

  it('runs as `npm run coins` / `npm run ledger:verify` against the configured database', async () => {
    const user = await insertUser(database.db);
    const env = { ...process.env, ...database.env, LOG_LEVEL: 'silent' };
    const tsx = ['--import', 'tsx'];
    const grant = await run(process.execPath, [...tsx, 'src/wallet/coins-cli.ts', 'grant', user.id, '12', '--reason', 'support ticket 7'], { env });
    expect(grant.stdout).toMatch(/granted 12 diamonds/);
    expect(await balanceOf(database.db, walletAccount(user.id))).toBe(12);
    const verify = await run(process.execPath, [...tsx, 'src/wallet/ledger-verify-cli.ts'], { env });
    expect(verify.stdout).toMatch(/ledger OK/);
    // Two process start-ups; a shared, busy machine makes them slow.
  }, 60_000);
});
