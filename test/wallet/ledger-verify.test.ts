/**
 * `verifyLedger` and `npm run ledger:verify` on deliberately corrupted databases: each kind of
 * damage is reported on its own, naming the transfer or account, and the command exits non-zero.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newSortableId } from '../../src/db/ids.js';
import { transactional } from '../../src/db/transaction.js';
import { postTransfer, verifyLedger, walletAccount } from '../../src/wallet/ledger.js';
import { createTestDatabase, dialectUnderTest, type TestDatabase } from '../helpers/app.js';
import { insertUser } from './fixtures.js';

const run = promisify(execFile);
let dir: string;
const opened: TestDatabase[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pecktra-ledger-verify-'));
});
afterEach(async () => {
  for (const database of opened.splice(0)) await database.close();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A ledger file with one viewer who recharged 40 diamonds: a healthy starting point. */
async function healthyLedger(name: string) {
  const database = await createTestDatabase({ sqlitePath: join(dir, `${name}.db`) });
  opened.push(database);
  const user = await insertUser(database.db);
  const transfer = await transactional(database.db, () => ({}))(({ trx }) =>
    postTransfer(trx, {
      idempotencyKey: `recharge:${name}`,
      type: 'recharge',
      legs: [
        { account: 'recharge_source', amount: -40 },
        { account: walletAccount(user.id), amount: 40 },
      ],
    }),
  );
  expect(await verifyLedger(database.db)).toEqual([]);
  return { database, db: database.db, wallet: walletAccount(user.id), transferId: transfer.transferId };
}

/** `npm run ledger:verify` against that database, as a child process: its exit code and output. */
async function ledgerVerifyCli(database: TestDatabase): Promise<{ code: number; output: string }> {
  const env = { ...process.env, ...database.env, LOG_LEVEL: 'silent' };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/wallet/ledger-verify-cli.ts'], { env });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

/** Lets the test write a negative balance the schema refuses, as a bad restore or hand-made SQL could. */
async function dropNonNegativeCheck(database: TestDatabase) {
  if (dialectUnderTest === 'sqlite') await sql`pragma ignore_check_constraints = on`.execute(database.db);
  else await sql`alter table ledger_accounts drop constraint ledger_accounts_balance_non_negative`.execute(database.db);
}

describe('verifyLedger on a corrupted ledger', () => {
  it('reports a transfer whose legs do not sum to zero', async () => {
    const { db, transferId } = await healthyLedger('unbalanced');
    // One leg altered, and its account's balance with it, so only the transfer is wrong.
    await db.updateTable('ledger_entries').set({ amount: -39 }).where('account_id', '=', 'recharge_source').execute();
    await db.updateTable('ledger_accounts').set({ balance: -39 }).where('id', '=', 'recharge_source').execute();
    expect(await verifyLedger(db)).toEqual([{ kind: 'unbalanced_transfer', id: transferId, detail: 'legs sum to 1' }]);
  });

  it('reports a stored balance that differs from its entries', async () => {
    const { db, wallet } = await healthyLedger('mismatch');
    await db.updateTable('ledger_accounts').set({ balance: 41 }).where('id', '=', wallet).execute();
    expect(await verifyLedger(db)).toEqual([{ kind: 'balance_mismatch', id: wallet, detail: 'stored 41, entries sum to 40' }]);
  });

  it('reports a user balance below zero, even when its entries agree', async () => {
    const { database, db, wallet } = await healthyLedger('negative');
    await dropNonNegativeCheck(database);
    // A 45-diamond payment out of 40, written around the ledger code: balanced, but an overdraft.
    const id = newSortableId(Date.now());
    await db.insertInto('ledger_transfers').values({ id, idempotency_key: `overdraft:${id}`, type: 'vip_room', metadata: '{}', created_at: Date.now() }).execute();
    await db
      .insertInto('ledger_entries')
      .values([
        { transfer_id: id, account_id: wallet, amount: -45, balance_after: -5, created_at: Date.now() },
        { transfer_id: id, account_id: 'recharge_source', amount: 45, balance_after: 5, created_at: Date.now() },
      ])
      .execute();
    await db.updateTable('ledger_accounts').set({ balance: -5 }).where('id', '=', wallet).execute();
    await db.updateTable('ledger_accounts').set({ balance: 5 }).where('id', '=', 'recharge_source').execute();
    expect(await verifyLedger(db)).toEqual([{ kind: 'negative_balance', id: wallet, detail: 'balance -5' }]);
  });

  it('does not report the system accounts that may go negative', async () => {
    const { db } = await healthyLedger('system');
    const source = await db.selectFrom('ledger_accounts').select('balance').where('id', '=', 'recharge_source').executeTakeFirstOrThrow();
    expect(Number(source.balance)).toBe(-40);
    expect(await verifyLedger(db)).toEqual([]);
  });

  it('reports a transfer of a type no code writes', async () => {
    const { db, transferId } = await healthyLedger('mystery');
    await db.updateTable('ledger_transfers').set({ type: 'mystery' }).where('id', '=', transferId).execute();
    expect(await verifyLedger(db)).toEqual([{ kind: 'unknown_transfer_type', id: transferId, detail: 'type "mystery"' }]);
  });

  it('reports a transfer without entries', async () => {
    const { db } = await healthyLedger('empty');
    const id = newSortableId(Date.now());
    await db.insertInto('ledger_transfers').values({ id, idempotency_key: `lost:${id}`, type: 'gift', metadata: '{}', created_at: Date.now() }).execute();
    expect(await verifyLedger(db)).toEqual([{ kind: 'empty_transfer', id, detail: 'transfer has no entries' }]);
  });
});

describe('npm run ledger:verify', () => {
  it('exits non-zero and names every kind of damage in the database', async () => {
    const ledger = await healthyLedger('cli');
    const { database, db, wallet, transferId } = ledger;
    const other = walletAccount((await insertUser(db)).id);
    await dropNonNegativeCheck(database);
    // An unbalanced transfer (the wallet's leg altered), a stored balance off its entries (the same
    // wallet), a negative balance (another wallet) and a transfer without entries.
    await db.updateTable('ledger_entries').set({ amount: 41 }).where('transfer_id', '=', transferId).where('account_id', '=', wallet).execute();
    await db.insertInto('ledger_accounts').values({ id: other, kind: 'wallet', owner_id: other.slice('wallet:'.length), allow_negative: 0, balance: -1, created_at: Date.now() }).execute();
    const emptyId = newSortableId(Date.now());
    await db.insertInto('ledger_transfers').values({ id: emptyId, idempotency_key: `lost:${emptyId}`, type: 'gift', metadata: '{}', created_at: Date.now() }).execute();

    const { code, output } = await ledgerVerifyCli(database);
    expect(code).toBe(1);
    expect(output).toContain('ledger has 5 problem(s):');
    for (const line of [
      `unbalanced_transfer ${transferId}: legs sum to 1`,
      `balance_mismatch ${wallet}: stored 40, entries sum to 41`,
      `balance_mismatch ${other}: stored -1, entries sum to 0`,
      `negative_balance ${other}: balance -1`,
      `empty_transfer ${emptyId}: transfer has no entries`,
    ]) {
      expect(output).toContain(line);
    }
    // A process start-up on a shared, busy machine.
  }, 120_000);
});
