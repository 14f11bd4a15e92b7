/**
 * Credits other features make through the wallet: recharge credits (full and an operator's
 * partial one, each at most once per order) and an operator's console adjustment.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { transactional } from '../../src/db/transaction.js';
import { adjustDiamondsWithin, creditRecharge } from '../../src/wallet/index.js';
import { balanceOf, postTransfer, verifyLedger, walletAccount } from '../../src/wallet/ledger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/app.js';
import { grantDiamonds, insertUser } from './fixtures.js';

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

const inTransaction = <T>(work: (scope: { trx: Parameters<typeof creditRecharge>[0] }) => Promise<T>) => transactional(database.db, () => ({}))(work);
const now = Date.UTC(2026, 5, 1);

/** The wallet's transfers, smallest amount first: type and what the history keeps with it. */
async function walletTransfers(userId: string) {
  const rows = await database.db
    .selectFrom('ledger_transfers as t')
    .innerJoin('ledger_entries as e', 'e.transfer_id', 't.id')
    .select(['t.id', 't.type', 't.metadata', 'e.amount'])
    .where('e.account_id', '=', walletAccount(userId))
    .orderBy('e.amount')
    .execute();
  return rows.map((row) => ({ id: row.id, type: row.type, amount: Number(row.amount), metadata: JSON.parse(row.metadata) as unknown }));
}

describe('recharge credits', () => {
  it("credits an order's full payment and an operator's partial credit once each, and says which was which", async () => {
    const viewer = await insertUser(database.db);
    const credit = (diamonds: number, partial?: boolean) =>
      inTransaction(({ trx }) => creditRecharge(trx, { userId: viewer.id, orderId: 'order-7', diamonds, partial, details: { payment_id: 'p-1' }, now }));
    expect(await credit(40, true)).toEqual({ applied: true });
    expect(await credit(40, true)).toEqual({ applied: false });
    expect(await credit(100)).toEqual({ applied: true });
    expect(await credit(100)).toEqual({ applied: false });
    expect(await balanceOf(database.db, walletAccount(viewer.id))).toBe(140);
    expect(await walletTransfers(viewer.id)).toEqual([
      { type: 'recharge', amount: 40, metadata: { order_id: 'order-7', partial: true, payment_id: 'p-1' } },
      { type: 'recharge', amount: 100, metadata: { order_id: 'order-7', payment_id: 'p-1' } },
    ].map((transfer) => ({ id: expect.any(String) as string, ...transfer })));
  });
  it('does not credit again an order that an earlier release credited (the stored keys never change)', async () => {
    const viewer = await insertUser(database.db);
    // What releases since the first one store for a full and a partial credit of an order.
    for (const key of ['recharge:order-8', 'recharge-partial:order-8']) {
      await inTransaction(({ trx }) =>
        postTransfer(trx, {
          idempotencyKey: key,
          type: 'recharge',
          legs: [
            { account: 'recharge_source', amount: -10 },
            { account: walletAccount(viewer.id), amount: 10 },
          ],
          now,
        }),
      );
    }
    const credit = (partial: boolean) =>
      inTransaction(({ trx }) => creditRecharge(trx, { userId: viewer.id, orderId: 'order-8', diamonds: 100, partial, details: {}, now }));
    expect(await credit(false)).toEqual({ applied: false });
    expect(await credit(true)).toEqual({ applied: false });
    expect(await balanceOf(database.db, walletAccount(viewer.id))).toBe(20);
  });
});

describe("an operator's adjustment in the console", () => {
  it('answers the balance before and after, and records the reason and the operator with it', async () => {
    const [viewer, operator] = [await insertUser(database.db), await insertUser(database.db)];
    await grantDiamonds(database.db, viewer.id, 30);
    const done = await inTransaction(({ trx }) =>
      adjustDiamondsWithin(trx, { userId: viewer.id, amount: -12, reason: ' refund dispute ', now, operatorId: operator.id }),
    );
    expect(done).toEqual({ coin_num: 18, balance_before: 30, transfer_id: expect.any(String) as string });
    expect(await balanceOf(database.db, walletAccount(viewer.id))).toBe(18);
    expect(await walletTransfers(viewer.id)).toContainEqual({
      id: done.transfer_id,
      type: 'operator_adjustment',
      amount: -12,
      metadata: { reason: 'refund dispute', operator_id: operator.id },
    });
  });

  it('takes back no more than the wallet holds, changing nothing', async () => {
    const [viewer, operator] = [await insertUser(database.db), await insertUser(database.db)];
    await grantDiamonds(database.db, viewer.id, 5);
    const attempt = inTransaction(({ trx }) => adjustDiamondsWithin(trx, { userId: viewer.id, amount: -6, reason: 'chargeback', now, operatorId: operator.id }));
    await expect(attempt).rejects.toMatchObject({ statusCode: 402, error: 'insufficient_balance' });
    expect(await balanceOf(database.db, walletAccount(viewer.id))).toBe(5);
    expect(await walletTransfers(viewer.id)).toHaveLength(1);
  });
});
