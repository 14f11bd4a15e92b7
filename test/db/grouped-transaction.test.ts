import type { Transaction } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { atCommit, groupedTransactional, type CommitStep } from '../../src/db/transaction.js';
import { balanceOf, postTransfer, verifyLedger, walletAccount } from '../../src/wallet/ledger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/app.js';
import { insertUser } from '../wallet/fixtures.js';

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

/** A commit step that records what it was handed, one list per call. */
function recordingStep(fail?: (item: string) => boolean) {
  const calls: string[][] = [];
  const step: CommitStep<string> = {
    async apply(_trx, items) {
      calls.push(items);
      if (items.some((item) => fail?.(item))) throw new Error('commit step refused');
    },
  };
  return { step, calls };
}

/** One unit of work: a grant to `uid`'s wallet, and `item` for the commit step. */
function grant(trx: Transaction<Database>, uid: string, amount: number, step: CommitStep<string>, item: string) {
  atCommit(trx, step, [item]);
  return postTransfer(trx, {
    idempotencyKey: `grant:${item}`,
    type: 'adjustment',
    legs: [
      { account: 'adjustments', amount: -amount },
      { account: walletAccount(uid), amount },
    ],
  });
}

describe('grouped transactions', () => {
  it('runs units submitted together in one transaction, in payer order; a unit that throws is undone alone and its caller alone gets the error', async () => {
    const run = groupedTransactional(database.db, () => ({}), { maxUnits: 32, concurrency: 1 });
    const users = [await insertUser(database.db), await insertUser(database.db), await insertUser(database.db)];
    const { step, calls } = recordingStep();
    const order: string[] = [];
    const adjustmentsBefore = await balanceOf(database.db, 'adjustments');

    const results = await Promise.allSettled([
      run('c', async ({ trx }) => {
        order.push('c');
        return (await grant(trx, users[2]!.id, 3, step, 'c')).balances.get(walletAccount(users[2]!.id));
      }),
      run('a', async ({ trx }) => {
        order.push('a');
        return (await grant(trx, users[0]!.id, 1, step, 'a')).balances.get(walletAccount(users[0]!.id));
      }),
      run('b', async ({ trx }) => {
        order.push('b');
        await grant(trx, users[1]!.id, 2, step, 'b');
        throw new Error('unit b changed its mind');
      }),
    ]);

    expect(results.map((result) => (result.status === 'fulfilled' ? result.value : (result.reason as Error).message))).toEqual([
      3,
      1,
      'unit b changed its mind',
    ]);
    expect(order).toEqual(['a', 'b', 'c']);
    // One transaction: its commit step ran once, for the two units that were kept.
    expect(calls).toEqual([['a', 'c']]);
    expect(await balanceOf(database.db, walletAccount(users[1]!.id))).toBe(0);
    expect(await balanceOf(database.db, walletAccount(users[0]!.id))).toBe(1);
    expect(await balanceOf(database.db, walletAccount(users[2]!.id))).toBe(3);
    // The shared account was changed once, by the sum, with one entry per transfer.
    expect(await balanceOf(database.db, 'adjustments')).toBe(adjustmentsBefore - 4);
  });

  it('runs the units of a group that cannot commit again one by one, so only the unit at fault fails', async () => {
    const run = groupedTransactional(database.db, () => ({}), { maxUnits: 32, concurrency: 1 });
    const users = [await insertUser(database.db), await insertUser(database.db)];
    const { step, calls } = recordingStep((item) => item === 'bad');

    const results = await Promise.allSettled([
      run('1', async ({ trx }) => (await grant(trx, users[0]!.id, 5, step, 'good')).applied),
      run('2', async ({ trx }) => (await grant(trx, users[1]!.id, 7, step, 'bad')).applied),
    ]);

    expect(results.map((result) => (result.status === 'fulfilled' ? result.value : (result.reason as Error).message))).toEqual([
      true,
      'commit step refused',
    ]);
    expect(calls).toEqual([['good', 'bad'], ['good'], ['bad']]);
    expect(await balanceOf(database.db, walletAccount(users[0]!.id))).toBe(5);
    expect(await balanceOf(database.db, walletAccount(users[1]!.id))).toBe(0);
  });
});
