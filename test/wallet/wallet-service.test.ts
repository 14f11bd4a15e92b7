/**
 * The wallet's money rules at the service, where they must hold whatever the caller (the HTTP
 * schema, the coins CLI, another feature) checked before: amounts, adjustments, Idempotency-Keys,
 * history paging and an anchor's earnings.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../src/accounts/service.js';
import { transactional } from '../../src/db/transaction.js';
import { MemoryEventBus } from '../../src/realtime/memory-event-bus.js';
import { adjustDiamonds, creditRecharge } from '../../src/wallet/index.js';
import { RoomLeaderboards } from '../../src/wallet/leaderboard.js';
import { balanceOf, verifyLedger, walletAccount } from '../../src/wallet/ledger.js';
import { MAX_DIAMONDS } from '../../src/wallet/limits.js';
import { WalletService } from '../../src/wallet/service.js';
import { paymentTransactions } from '../../src/wallet/charge.js';
import { createTestDatabase, type TestDatabase } from '../helpers/app.js';
import { createRoom, grantDiamonds, insertUser } from './fixtures.js';

let database: TestDatabase;
let leaderboards: RoomLeaderboards;
let wallet: WalletService;
let now = Date.now();

beforeAll(async () => {
  database = await createTestDatabase();
  const eventBus = new MemoryEventBus();
  const clock = () => now;
  leaderboards = new RoomLeaderboards(database.db, eventBus, { utcOffsetMinutes: 0, clock });
  wallet = new WalletService(database.db, { eventBus, platformFeePercent: 10, defaultSubscriptionPrice: 100, leaderboards, payments: paymentTransactions(database.db), clock });
});
afterEach(async () => {
  expect(await verifyLedger(database.db)).toEqual([]);
});
afterAll(async () => {
  leaderboards.close();
  await database.close();
});

const balance = (user: SessionUser) => balanceOf(database.db, walletAccount(user.id));
const transferCount = async () => Number((await database.db.selectFrom('ledger_transfers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

async function viewerWith(diamonds: number): Promise<SessionUser> {
  const viewer = await insertUser(database.db);
  if (diamonds > 0) await grantDiamonds(database.db, viewer.id, diamonds);
  return viewer;
}

/** The AppError a call fails with, as { status, error }. */
async function refusal(call: Promise<unknown>) {
  const err = await call.then(
    () => expect.fail('expected a refusal'),
    (e: unknown) => e as { statusCode: number; error: string },
  );
  return { status: err.statusCode, error: err.error };
}

describe('amounts', () => {
  it('refuses a payment that is not a whole number of diamonds from 1 to the maximum, charging nothing', async () => {
    const anchor = await insertUser(database.db, { anchor: true });
    const room = await createRoom(database.db, { anchorId: anchor.id, price: 50 });
    const viewer = await viewerWith(100);
    for (const amount of [0, -50, 49.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_DIAMONDS + 1]) {
      const pay = wallet.payVipRoom(viewer, { anchorId: anchor.id, roomId: room.id, amount });
      expect(await refusal(pay), String(amount)).toEqual({ status: 400, error: 'invalid_amount' });
      const subscribe = wallet.subscribe(viewer, { anchorId: anchor.id, expectedPrice: amount });
      expect(await refusal(subscribe), String(amount)).toEqual({ status: 400, error: 'invalid_amount' });
    }
    // The largest amount is a valid one: it gets as far as comparing with the price.
    const largest = wallet.payVipRoom(viewer, { anchorId: anchor.id, roomId: room.id, amount: MAX_DIAMONDS });
    expect(await refusal(largest)).toEqual({ status: 409, error: 'price_changed' });
    expect(await balance(viewer)).toBe(100);
  });

  it('sells a room priced one diamond', async () => {
    const anchor = await insertUser(database.db, { anchor: true });
    const room = await createRoom(database.db, { anchorId: anchor.id, price: 1 });
    const viewer = await viewerWith(1);
    expect(await wallet.payVipRoom(viewer, { anchorId: anchor.id, roomId: room.id, amount: 1 })).toEqual({ vip_status: true, charged: 1, coin_num: 0 });
  });

  it('refuses a recharge credit of no diamonds', async () => {
    const viewer = await viewerWith(0);
    const inTransaction = transactional(database.db, () => ({}));
    const credit = (diamonds: number) =>
      inTransaction(({ trx }) => creditRecharge(trx, { userId: viewer.id, orderId: `order-${diamonds}`, diamonds, details: {}, now }));
    expect(await refusal(credit(0))).toEqual({ status: 400, error: 'invalid_amount' });
    expect(await refusal(credit(-5))).toEqual({ status: 400, error: 'invalid_amount' });
    expect(await credit(5)).toEqual({ applied: true });
    expect(await credit(5)).toEqual({ applied: false });
    expect(await balance(viewer)).toBe(5);
  });

  it('takes subscription prices from 0 (off) to the maximum, nothing else', async () => {
    const anchor = await insertUser(database.db, { anchor: true });
    expect(await wallet.setSubscriptionPrice(anchor, MAX_DIAMONDS)).toEqual({ subscription_price: MAX_DIAMONDS });
    expect(await wallet.setSubscriptionPrice(anchor, 0)).toEqual({ subscription_price: 0 });
    for (const price of [-1, 1.5, MAX_DIAMONDS + 1, Number.NaN]) {
      expect(await refusal(wallet.setSubscriptionPrice(anchor, price)), String(price)).toEqual({ status: 400, error: 'invalid_amount' });
    }
    expect(await wallet.subscriptionPrice(anchor.id)).toBe(0);
    const viewer = await insertUser(database.db);
    expect(await refusal(wallet.setSubscriptionPrice(viewer, 10))).toEqual({ status: 403, error: 'not_an_anchor' });
  });
});

describe('operator adjustments', () => {
  it('grants and takes back up to the maximum, with a reason; anything else changes nothing', async () => {
    const viewer = await viewerWith(0);
    const adjust = (amount: number, reason = 'support ticket') => adjustDiamonds(database.db, { userId: viewer.id, amount, reason, now });
    const before = await transferCount();
    for (const amount of [0, 1.5, MAX_DIAMONDS + 1, -(MAX_DIAMONDS + 1), Number.NaN]) {
      expect(await refusal(adjust(amount)), String(amount)).toEqual({ status: 400, error: 'invalid_amount' });
    }
    expect(await refusal(adjust(5, ''))).toEqual({ status: 400, error: 'reason_required' });
    expect(await refusal(adjust(5, '  \n'))).toEqual({ status: 400, error: 'reason_required' });
    expect(await refusal(adjustDiamonds(database.db, { userId: 'nobody', amount: 5, reason: 'x', now }))).toEqual({ status: 404, error: 'user_not_found' });
    expect(await transferCount()).toBe(before);

    expect((await adjust(MAX_DIAMONDS, '  launch promo ')).coin_num).toBe(MAX_DIAMONDS);
    expect((await adjust(-MAX_DIAMONDS)).coin_num).toBe(0);
    expect(await balance(viewer)).toBe(0);
    const reasons = await database.db
      .selectFrom('ledger_transfers as t')
      .innerJoin('ledger_entries as e', 'e.transfer_id', 't.id')
      .select(['t.metadata', 'e.amount'])
      .where('e.account_id', '=', walletAccount(viewer.id))
      .orderBy('e.amount', 'desc')
      .execute();
    expect(reasons.map((row) => [Number(row.amount), JSON.parse(row.metadata).reason])).toEqual([
      [MAX_DIAMONDS, 'launch promo'],
      [-MAX_DIAMONDS, 'support ticket'],
    ]);
  });
});

describe('Idempotency-Key', () => {
  it('must be 1 to 200 characters; a refused key charges nothing', async () => {
    const anchor = await insertUser(database.db, { anchor: true });
    const room = await createRoom(database.db, { anchorId: anchor.id, price: 10 });
    const viewer = await viewerWith(10);
    const pay = (key: string) => wallet.payVipRoom(viewer, { anchorId: anchor.id, roomId: room.id, amount: 10 }, key);
    expect(await refusal(pay(''))).toEqual({ status: 400, error: 'invalid_idempotency_key' });
    expect(await refusal(pay('k'.repeat(201)))).toEqual({ status: 400, error: 'invalid_idempotency_key' });
    expect(await balance(viewer)).toBe(10);
    expect(await pay('k'.repeat(200))).toEqual({ vip_status: true, charged: 10, coin_num: 0 });
  });

  it('replays a subscription for the same key, and refuses the key for another anchor, price or room with 409', async () => {
    const [first, second] = [await insertUser(database.db, { anchor: true }), await insertUser(database.db, { anchor: true })];
    const room = await createRoom(database.db, { anchorId: first.id, price: 10 });
    const viewer = await viewerWith(300);
    const bought = await wallet.subscribe(viewer, { anchorId: first.id, expectedPrice: 100 }, 'sub-1');
    expect(bought).toMatchObject({ charged: 100, coin_num: 200, expires_at: new Date(now + 30 * 24 * 60 * 60 * 1000).toISOString() });
    expect(await wallet.subscribe(viewer, { anchorId: first.id, expectedPrice: 100 }, 'sub-1')).toEqual(bought);
    for (const request of [
      { anchorId: second.id, expectedPrice: 100 },
      { anchorId: first.id },
      { anchorId: first.id, expectedPrice: 100, roomId: room.id },
    ]) {
      expect(await refusal(wallet.subscribe(viewer, request, 'sub-1')), JSON.stringify(request)).toEqual({ status: 409, error: 'idempotency_key_reused' });
    }
    // A VIP payment cannot reuse it either.
    expect(await refusal(wallet.payVipRoom(viewer, { anchorId: first.id, roomId: room.id, amount: 10 }, 'sub-1'))).toEqual({
      status: 409,
      error: 'idempotency_key_reused',
    });
    expect(await balance(viewer)).toBe(200);
  });
});

describe('subscriptions', () => {
  it("refuses a subscription bought in another anchor's room, charging nothing", async () => {
    const [anchor, other] = [await insertUser(database.db, { anchor: true }), await insertUser(database.db, { anchor: true })];
    const othersRoom = await createRoom(database.db, { anchorId: other.id, price: 10 });
    const viewer = await viewerWith(100);
    expect(await refusal(wallet.subscribe(viewer, { anchorId: anchor.id, roomId: othersRoom.id }))).toEqual({ status: 400, error: 'anchor_mismatch' });
    expect(await balance(viewer)).toBe(100);
  });
});

describe('history and earnings', () => {
  it('pages the history without gaps or repeats: each page starts right after the last entry of the one before', async () => {
    const anchor = await insertUser(database.db, { anchor: true });
    const viewer = await viewerWith(100);
    now = Date.now();
    for (let price = 1; price <= 5; price += 1) {
      now += 1000;
      const room = await createRoom(database.db, { anchorId: anchor.id, price });
      await wallet.payVipRoom(viewer, { anchorId: anchor.id, roomId: room.id, amount: price });
    }
    // Six entries: the grant and five payments (1..5), newest first.
    const first = await wallet.transactions(viewer.id, undefined, 3);
    expect(first.transactions.map((tx) => tx.amount)).toEqual([-5, -4, -3]);
    expect(first.next_cursor).toBe(first.transactions[2]!.id);
    const second = await wallet.transactions(viewer.id, first.next_cursor!, 3);
    expect(second.transactions.map((tx) => tx.amount)).toEqual([-2, -1, 100]);
    expect(second.next_cursor).toBeNull();
    expect((await wallet.transactions(viewer.id, undefined, 0)).transactions).toHaveLength(1);
    expect((await wallet.transactions(viewer.id, undefined, 2.9)).transactions).toHaveLength(2);
    expect((await wallet.transactions(viewer.id, undefined)).transactions).toHaveLength(6);
  });

  it("totals an anchor's earnings: VIP rooms and subscriptions, less the platform fee", async () => {
    const anchor = await insertUser(database.db, { anchor: true });
    const room = await createRoom(database.db, { anchorId: anchor.id, price: 50 });
    const viewer = await viewerWith(150);
    await wallet.payVipRoom(viewer, { anchorId: anchor.id, roomId: room.id, amount: 50 });
    now += 1000;
    await wallet.subscribe(viewer, { anchorId: anchor.id });
    const earnings = await wallet.earnings(anchor);
    expect(earnings).toMatchObject({
      coin_num: 135,
      total_earned: 135,
      vip_total: 45,
      subscription_total: 90,
      subscription_price: 100,
      active_subscribers: 1,
    });
    expect(earnings.recent.map((entry) => [entry.type, entry.amount])).toEqual([
      ['subscription', 90],
      ['vip_room', 45],
    ]);
    expect(await refusal(wallet.earnings(viewer))).toEqual({ status: 403, error: 'not_an_anchor' });
  });
});
