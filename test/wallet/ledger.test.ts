import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { transactional } from '../../src/db/transaction.js';
import { balanceOf, earningsAccount, InsufficientBalanceError, postTransfer, verifyLedger, walletAccount } from '../../src/wallet/ledger.js';
import { createTestDatabase, dialectUnderTest, type TestDatabase } from '../helpers/app.js';
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

describe('ledger rules an auditor checks', () => {
  const entriesOf = (transferId: string) =>
    database.db.selectFrom('ledger_entries').select(['account_id', 'amount', 'balance_after', 'created_at']).where('transfer_id', '=', transferId).orderBy('account_id').execute();
  const rechargeSourceBalance = () => balanceOf(database.db, 'recharge_source');

  it("answers a credited wallet's balance after the transfer", async () => {
    const user = await insertUser(database.db);
    await grant(user.id, 7, `first:${user.id}`);
    const second = await grant(user.id, 5, `second:${user.id}`);
    expect(second.balances.get(walletAccount(user.id))).toBe(12);
  });

  it('answers a repeated idempotency key with the first transfer, moving nothing', async () => {
    const user = await insertUser(database.db);
    const first = await grant(user.id, 9, `once:${user.id}`);
    const sourceBefore = await rechargeSourceBalance();
    const again = await grant(user.id, 9, `once:${user.id}`);
    expect(again).toEqual({ transferId: first.transferId, applied: false, balances: new Map() });
    expect(await balanceOf(database.db, walletAccount(user.id))).toBe(9);
    expect(await rechargeSourceBalance()).toBe(sourceBefore);
  });

  it('counts several legs on one account as one movement with one entry', async () => {
    const user = await insertUser(database.db);
    const transfer = await inTransaction(({ trx }) =>
      postTransfer(trx, {
        idempotencyKey: `split:${user.id}`,
        type: 'recharge',
        legs: [
          { account: walletAccount(user.id), amount: 4 },
          { account: 'recharge_source', amount: -10 },
          { account: walletAccount(user.id), amount: 6 },
        ],
      }),
    );
    expect(await balanceOf(database.db, walletAccount(user.id))).toBe(10);
    const entries = await entriesOf(transfer.transferId);
    expect(entries.map((e) => [e.account_id, Number(e.amount)])).toEqual([
      ['recharge_source', -10],
      [walletAccount(user.id), 10],
    ]);
  });

  it('leaves an account whose legs cancel out untouched: no entry, no new account', async () => {
    const [untouched, payee] = [await insertUser(database.db), await insertUser(database.db)];
    const transfer = await inTransaction(({ trx }) =>
      postTransfer(trx, {
        idempotencyKey: `cancel:${untouched.id}`,
        type: 'adjustment',
        legs: [
          { account: walletAccount(untouched.id), amount: 5 },
          { account: walletAccount(untouched.id), amount: -5 },
          { account: 'adjustments', amount: -3 },
          { account: walletAccount(payee.id), amount: 3 },
        ],
      }),
    );
    expect((await entriesOf(transfer.transferId)).map((e) => e.account_id)).toEqual(['adjustments', walletAccount(payee.id)]);
    expect(await database.db.selectFrom('ledger_accounts').select('id').where('id', '=', walletAccount(untouched.id)).execute()).toEqual([]);
    expect(await balanceOf(database.db, walletAccount(payee.id))).toBe(3);
  });

  it('refuses a transfer to an account that is no wallet, earnings or system account, writing nothing', async () => {
    const user = await insertUser(database.db);
    for (const account of ['savings:' + user.id, 'wallet:', 'earnings:', 'bogus']) {
      const key = `unknown:${account}:${user.id}`;
      const attempt = inTransaction(({ trx }) =>
        postTransfer(trx, {
          idempotencyKey: key,
          type: 'adjustment',
          legs: [
            { account: 'adjustments', amount: -5 },
            { account, amount: 5 },
          ],
        }),
      );
      await expect(attempt, account).rejects.toThrow(`Unknown ledger account ${account}`);
      expect(await database.db.selectFrom('ledger_transfers').select('id').where('idempotency_key', '=', key).execute()).toEqual([]);
      expect(await database.db.selectFrom('ledger_accounts').select('id').where('id', '=', account).execute()).toEqual([]);
    }
  });

  it('records the time and the details the transfer was made with, on the transfer and on each entry', async () => {
    const user = await insertUser(database.db);
    const at = Date.UTC(2026, 0, 2, 3, 4, 5);
    const transfer = await inTransaction(({ trx }) =>
      postTransfer(trx, {
        idempotencyKey: `dated:${user.id}`,
        type: 'recharge',
        legs: [
          { account: 'recharge_source', amount: -8 },
          { account: walletAccount(user.id), amount: 8 },
        ],
        metadata: { order_id: 'order-1' },
        now: at,
      }),
    );
    const stored = await database.db.selectFrom('ledger_transfers').select(['type', 'metadata', 'created_at']).where('id', '=', transfer.transferId).executeTakeFirstOrThrow();
    expect({ ...stored, created_at: Number(stored.created_at), metadata: JSON.parse(stored.metadata) as unknown }).toEqual({
      type: 'recharge',
      metadata: { order_id: 'order-1' },
      created_at: at,
    });
    expect((await entriesOf(transfer.transferId)).map((e) => Number(e.created_at))).toEqual([at, at]);
  });

  it('finds nothing wrong with a wallet spent down to exactly zero', async () => {
    const user = await insertUser(database.db);
    await grant(user.id, 6, `g:${user.id}`);
    await inTransaction(({ trx }) =>
      postTransfer(trx, {
        idempotencyKey: `all:${user.id}`,
        type: 'vip_room',
        legs: [
          { account: walletAccount(user.id), amount: -6 },
          { account: 'platform', amount: 6 },
        ],
      }),
    );
    expect(await balanceOf(database.db, walletAccount(user.id))).toBe(0);
    expect(await verifyLedger(database.db)).toEqual([]);
  });

  it('credits the anchor and the platform at once in a transaction that has no commit hook', async () => {
    const [payer, anchor] = [await insertUser(database.db), await insertUser(database.db)];
    await grant(payer.id, 20, `g:${payer.id}`);
    const platformBefore = await balanceOf(database.db, 'platform');
    await database.db.transaction().execute((trx) =>
      postTransfer(trx, {
        idempotencyKey: `plain:${payer.id}`,
        type: 'vip_room',
        legs: [
          { account: walletAccount(payer.id), amount: -10 },
          { account: earningsAccount(anchor.id), amount: 9 },
          { account: 'platform', amount: 1 },
        ],
      }),
    );
    expect(await balanceOf(database.db, walletAccount(payer.id))).toBe(10);
    expect(await balanceOf(database.db, earningsAccount(anchor.id))).toBe(9);
    expect(await balanceOf(database.db, 'platform')).toBe(platformBefore + 1);
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

  it('enters the credits of several transfers of one transaction to one account in the order the transfers were made', async () => {
    const [payer, anchor] = [await insertUser(database.db), await insertUser(database.db)];
    await grant(payer.id, 30, `g:${payer.id}`);
    await inTransaction(async ({ trx }) => {
      for (const [key, earned, fee] of [[`first:${payer.id}`, 9, 1], [`second:${payer.id}`, 18, 2]] as const) {
        await postTransfer(trx, {
          idempotencyKey: key,
          type: 'vip_room',
          legs: [
            { account: walletAccount(payer.id), amount: -(earned + fee) },
            { account: earningsAccount(anchor.id), amount: earned },
            { account: 'platform', amount: fee },
          ],
        });
      }
    });
    // Each entry's balance is the balance right after its own transfer, as an auditor replays them.
    const entries = await database.db
      .selectFrom('ledger_entries as e')
      .innerJoin('ledger_transfers as t', 't.id', 'e.transfer_id')
      .select(['t.idempotency_key', 'e.amount', 'e.balance_after'])
      .where('e.account_id', '=', earningsAccount(anchor.id))
      .orderBy('t.idempotency_key')
      .execute();
    expect(entries.map((e) => [e.idempotency_key, Number(e.amount), Number(e.balance_after)])).toEqual([
      [`first:${payer.id}`, 9, 9],
      [`second:${payer.id}`, 18, 27],
    ]);
  });
});

describe('lock order', () => {
  /**
   * A transaction that locks `low`, and once it holds it (when this resolves) waits half a second
   * while the transfers under test start, then locks `high`; `committed` settles with its commit.
   */
  async function lockLowThenHigh(low: string, high: string): Promise<{ committed: Promise<void> }> {
    let lowLocked!: () => void;
    const holdingLow = new Promise<void>((resolve) => (lowLocked = resolve));
    const committed = database.db.transaction().execute(async (trx) => {
      await sql`update ledger_accounts set balance = balance where id = ${low}`.execute(trx);
      lowLocked();
      await new Promise((resolve) => setTimeout(resolve, 500));
      await sql`update ledger_accounts set balance = balance where id = ${high}`.execute(trx);
    });
    await holdingLow;
    return { committed };
  }

  // Only PostgreSQL runs transactions side by side; SQLite has one writer at a time.
  it.runIf(dialectUnderTest === 'postgres')(
    'takes the accounts of a transfer in one fixed order, so it never deadlocks with another over the same accounts',
    async () => {
      const users = [await insertUser(database.db), await insertUser(database.db)];
      const [low, high] = users.map((user) => walletAccount(user.id)).sort();
      for (const account of [low!, high!]) await grant(account.slice('wallet:'.length), 10, `g:${account}`);
      // Another transfer over the same two wallets, in the fixed order.
      const { committed: other } = await lockLowThenHigh(low!, high!);
      // Without a retry: a deadlock would surface here as an error instead of being run again.
      const transfer = database.db.transaction().execute((trx) =>
        postTransfer(trx, {
          idempotencyKey: `order:${low}`,
          type: 'adjustment',
          legs: [
            { account: high!, amount: 1 },
            { account: low!, amount: -1 },
          ],
        }),
      );
      const results = await Promise.allSettled([other, transfer]);
      expect(results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'committed'))).toEqual(['committed', 'committed']);
      expect([await balanceOf(database.db, low!), await balanceOf(database.db, high!)]).toEqual([9, 11]);
    },
  );

  it.runIf(dialectUnderTest === 'postgres')(
    'takes the accounts of a transfer of three legs in one fixed order, whatever order the legs are given in',
    async () => {
      const users = [await insertUser(database.db), await insertUser(database.db), await insertUser(database.db)];
      const [low, mid, high] = users.map((user) => walletAccount(user.id)).sort() as [string, string, string];
      for (const account of [low, mid, high]) await grant(account.slice('wallet:'.length), 10, `g:${account}`);
      // A transaction over the same wallets in the fixed order.
      const { committed: other } = await lockLowThenHigh(low, high);
      // Without a retry, legs given lowest first and highest first: a transfer that took the
      // highest wallet before the lowest would deadlock with the other transaction and fail here.
      const move = (key: string, legs: Array<{ account: string; amount: number }>) =>
        database.db.transaction().execute((trx) => postTransfer(trx, { idempotencyKey: key, type: 'adjustment', legs }));
      const ascending = move(`ascending:${low}`, [
        { account: low, amount: -2 },
        { account: mid, amount: 1 },
        { account: high, amount: 1 },
      ]);
      const descending = move(`descending:${low}`, [
        { account: high, amount: -2 },
        { account: mid, amount: 1 },
        { account: low, amount: 1 },
      ]);
      const results = await Promise.allSettled([other, ascending, descending]);
      expect(results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'committed'))).toEqual(['committed', 'committed', 'committed']);
      expect([await balanceOf(database.db, low), await balanceOf(database.db, mid), await balanceOf(database.db, high)]).toEqual([9, 12, 9]);
    },
  );
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
