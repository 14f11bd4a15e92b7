import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transactional } from '../../src/db/transaction.js';
import { balanceOf, InsufficientBalanceError, postTransfer, verifyLedger, walletAccount } from '../../src/wallet/ledger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/app.js';
import { insertUser } from './fixtures.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const inTransaction = <T>(work: (scope: { trx: Parameters<typeof postTransfer>[0] }) => Promise<T>) =>
  transactional(database.db, () => ({}))(work);

const grant = (uid: string, amount: number, key: string) =>
  inTransaction(({ trx }) =>
    postTransfer(trx, {
      idempotencyKey: key,
      type: 'recharge',
      legs: [
        { account: 'recharge_source', amount: -amount },
        { account: walletAccount(uid), amount },
      ],
    }),
  );

describe('ledger', () => {
  it('applies a transfer once per idempotency key', async () => {
    const user = await insertUser(database.db);
    expect((await grant(user.id, 25, `recharge:${user.id}`)).applied).toBe(true);
    expect((await grant(user.id, 25, `recharge:${user.id}`)).applied).toBe(false);
    expect(await balanceOf(database.db, walletAccount(user.id))).toBe(25);
  });

  it('refuses an overdraft and rolls the whole transfer back', async () => {
    const user = await insertUser(database.db);
    await grant(user.id, 10, `g:${user.id}`);
    const spend = inTransaction(({ trx }) =>
      postTransfer(trx, {
        idempotencyKey: `spend:${user.id}`,
        type: 'vip_room',
        legs: [
          { account: walletAccount(user.id), amount: -11 },
          { account: 'platform', amount: 11 },
        ],
      }),
    );
    await expect(spend).rejects.toBeInstanceOf(InsufficientBalanceError);
    expect(await balanceOf(database.db, walletAccount(user.id))).toBe(10);
    const keys = await database.db.selectFrom('ledger_transfers').select('id').where('idempotency_key', '=', `spend:${user.id}`).execute();
    expect(keys).toEqual([]);
  });

  it('refuses unbalanced, fractional and empty transfers before touching the database', async () => {
    const user = await insertUser(database.db);
    const attempt = (legs: Array<{ account: string; amount: number }>) =>
      inTransaction(({ trx }) => postTransfer(trx, { idempotencyKey: `bad:${Math.random()}`, type: 'adjustment', legs }));
    await expect(attempt([{ account: walletAccount(user.id), amount: 5 }])).rejects.toThrow(/Unbalanced/);
    await expect(attempt([{ account: walletAccount(user.id), amount: 0.5 }, { account: 'adjustments', amount: -0.5 }])).rejects.toThrow(/Non-integer/);
    await expect(attempt([{ account: walletAccount(user.id), amount: 0 }])).rejects.toThrow(/moves no diamonds/);
  });

  it('has a database constraint against negative wallets, whatever the code does', async () => {
    const user = await insertUser(database.db);
    await grant(user.id, 3, `c:${user.id}`);
    await expect(
      database.db.updateTable('ledger_accounts').set({ balance: -1 }).where('id', '=', walletAccount(user.id)).execute(),
    ).rejects.toThrow();
  });

  it('verifyLedger reports stored balances that disagree with the entries, and unbalanced transfers', async () => {
    expect(await verifyLedger(database.db)).toEqual([]);
    const user = await insertUser(database.db);
    await grant(user.id, 40, `v:${user.id}`);
    await database.db.updateTable('ledger_accounts').set({ balance: 41 }).where('id', '=', walletAccount(user.id)).execute();
    await database.db.updateTable('ledger_entries').set({ amount: sql`amount + 1` }).where('account_id', '=', 'recharge_source').execute();
    const problems = await verifyLedger(database.db);
    expect(problems.map((p) => p.kind).sort()).toEqual(expect.arrayContaining(['balance_mismatch', 'unbalanced_transfer']));
    expect(problems.find((p) => p.kind === 'balance_mismatch' && p.id === walletAccount(user.id))).toBeDefined();
  });

  it('verifyLedger reports a transfer of a type no code writes', async () => {
    const user = await insertUser(database.db);
    await grant(user.id, 7, `t:${user.id}`);
    await database.db.updateTable('ledger_transfers').set({ type: 'mystery' }).where('idempotency_key', '=', `t:${user.id}`).execute();
    const problems = await verifyLedger(database.db);
    expect(problems).toContainEqual(expect.objectContaining({ kind: 'unknown_transfer_type', detail: 'type "mystery"' }));
  });
});

describe('transactional', () => {
  it('re-runs the whole unit after a serialization failure or deadlock, but not after other errors', async () => {
    let attempts = 0;
    const result = await inTransaction(async () => {
      attempts += 1;
      if (attempts < 3) throw Object.assign(new Error('could not serialize access'), { code: attempts === 1 ? '40001' : '40P01' });
      return 'done';
    });
    expect([result, attempts]).toEqual(['done', 3]);

    let failures = 0;
    await expect(
      inTransaction(async () => {
        failures += 1;
        throw new InsufficientBalanceError('wallet:x');
      }),
    ).rejects.toBeInstanceOf(InsufficientBalanceError);
    expect(failures).toBe(1);
  });
});
