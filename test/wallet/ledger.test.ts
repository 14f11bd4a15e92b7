import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { transactional } from '../../src/db/transaction.js';
import { balanceOf, earningsAccount, InsufficientBalanceError, postTransfer, verifyLedger, walletAccount } from '../../src/wallet/ledger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/app.js';
import { insertUser } from './fixtures.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  expect(await verifyLedger(database.db)).toEqual([]);
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
    ).rejects.toThrow(/ledger_accounts_balance_non_negative/);
    expect(await balanceOf(database.db, walletAccount(user.id))).toBe(3);
  });

  it('refuses a transfer without an idempotency key, writing nothing', async () => {
    const user = await insertUser(database.db);
    const keyless = inTransaction(({ trx }) =>
      postTransfer(trx, {
        idempotencyKey: '',
        type: 'recharge',
        legs: [
          { account: 'recharge_source', amount: -5 },
          { account: walletAccount(user.id), amount: 5 },
        ],
      }),
    );
    await expect(keyless).rejects.toThrow(/needs an idempotency key/);
    expect(await balanceOf(database.db, walletAccount(user.id))).toBe(0);
    expect(await database.db.selectFrom('ledger_transfers').select('id').where('idempotency_key', '=', '').execute()).toEqual([]);
  });
});

describe('shared accounts settle at commit', () => {
  const pay = (trx: Parameters<typeof postTransfer>[0], payer: string, anchor: string, key: string) =>
    postTransfer(trx, {
      idempotencyKey: key,
      type: 'vip_room',
      legs: [
        { account: walletAccount(payer), amount: -10 },
        { account: earningsAccount(anchor), amount: 9 },
        { account: 'platform', amount: 1 },
      ],
    });

  it("debits the payer at once and credits the anchor and the platform with the transaction's commit", async () => {
    const [payer, anchor] = [await insertUser(database.db), await insertUser(database.db)];
    await grant(payer.id, 30, `g:${payer.id}`);
    const platformBefore = await balanceOf(database.db, 'platform');
    const seenInside = await inTransaction(async ({ trx }) => {
      const transfer = await pay(trx, payer.id, anchor.id, `settle:${payer.id}`);
      return { answered: transfer.balances.get(walletAccount(payer.id)), wallet: await balanceOf(trx, walletAccount(payer.id)), earnings: await balanceOf(trx, earningsAccount(anchor.id)) };
    });
    // The payer's balance is answered and checked inside; the anchor's credit is the last write.
    expect(seenInside).toEqual({ answered: 20, wallet: 20, earnings: 0 });
    expect(await balanceOf(database.db, earningsAccount(anchor.id))).toBe(9);
    expect(await balanceOf(database.db, 'platform')).toBe(platformBefore + 1);
  });

  it('rolls the settled credits back with the rest when the transaction fails after the transfer', async () => {
    const [payer, anchor] = [await insertUser(database.db), await insertUser(database.db)];
    await grant(payer.id, 30, `g:${payer.id}`);
    const platformBefore = await balanceOf(database.db, 'platform');
    await expect(
      inTransaction(async ({ trx }) => {
        await pay(trx, payer.id, anchor.id, `fail:${payer.id}`);
        throw new Error('what was paid for could not be granted');
      }),
    ).rejects.toThrow(/could not be granted/);
    expect(await balanceOf(database.db, walletAccount(payer.id))).toBe(30);
    expect(await balanceOf(database.db, earningsAccount(anchor.id))).toBe(0);
    expect(await balanceOf(database.db, 'platform')).toBe(platformBefore);
  });

  it('settles the credits of several transfers in one transaction, each with its own entries', async () => {
    const [payer, anchor] = [await insertUser(database.db), await insertUser(database.db)];
    await grant(payer.id, 30, `g:${payer.id}`);
    await inTransaction(async ({ trx }) => {
      await pay(trx, payer.id, anchor.id, `multi-1:${payer.id}`);
      await pay(trx, payer.id, anchor.id, `multi-2:${payer.id}`);
    });
    expect(await balanceOf(database.db, earningsAccount(anchor.id))).toBe(18);
    const entries = await database.db.selectFrom('ledger_entries').select(['amount', 'balance_after']).where('account_id', '=', earningsAccount(anchor.id)).orderBy('balance_after').execute();
    expect(entries.map((e) => [Number(e.amount), Number(e.balance_after)])).toEqual([
      [9, 9],
      [9, 18],
    ]);
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
