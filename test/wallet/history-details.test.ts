/**
 * The wallet page's words for each movement (room and anchor names, a recharge's USD and USDT
 * amounts, all extra fields) and the list of running subscriptions with their expiry.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/wallet/ledger.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { registerAnchor, registerViewer, TestClient } from '../helpers/client.js';
import { createRoom, grantDiamonds } from './fixtures.js';

const DAY_MS = 24 * 60 * 60 * 1000;
let now = Date.now();
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { subscriptionPrice: 40, sessionTtlDays: 365 }, deps: { clock: () => now } });
});
afterEach(async () => {
  expect(await verifyLedger(t.db)).toEqual([]);
});
afterAll(async () => {
  await t.close();
});

describe('wallet history details and subscriptions', () => {
  it('names the room and anchor of each payment and the money of each recharge', async () => {
    const anchor = await registerAnchor(t.app);
    const room = await createRoom(t.db, { anchorId: anchor.uid, price: 30, name: 'Moonlit glade' });
    await t.db.updateTable('rooms').set({ title: 'A night in the glade' }).where('id', '=', room.id).execute();
    const viewer = await registerViewer(t.app);

    const order = (await viewer.client.post('/api/payment/process_recharge/', { crypto_amount: 12 })).json();
    expect(order.code).toBe(0);
    expect((await viewer.client.post(`/api/payment/simulate/${order.order_id}`, { status: 'finished' })).statusCode).toBe(200);
    expect((await viewer.client.post('/api/live/pay_vip_coin', { anchor_id: anchor.uid, room_id: room.id, amount: 30 })).statusCode).toBe(200);
    expect((await viewer.client.post('/api/live/subscribe', { anchor_id: anchor.uid, amount: 40 })).statusCode).toBe(402);
    await grantDiamonds(t.db, viewer.uid, 100);
    // The grant is stamped with the real clock; the app's clock moves past it so the order is plain.
    now = Date.now() + 1000;
    // Bought from the room: the history says where.
    expect((await viewer.client.post('/api/live/subscribe', { anchor_id: anchor.uid, amount: 40, room_id: room.id })).statusCode).toBe(200);

    const { transactions } = (await viewer.client.get('/api/wallet/transactions')).json().data;
    expect(transactions.map((tx: { type: string }) => tx.type)).toEqual(['subscription', 'adjustment', 'vip_room', 'recharge']);
    expect(transactions[0]).toMatchObject({ amount: -40, anchor_id: anchor.uid, anchor_name: anchor.username, room_id: room.id, room_name: 'Moonlit glade' });
    expect(transactions[2]).toMatchObject({ amount: -30, room_id: room.id, room_name: 'Moonlit glade', room_title: 'A night in the glade', anchor_name: anchor.username });
    expect(transactions[3]).toMatchObject({
      amount: 60,
      order_id: order.order_id,
      price_amount: '12',
      price_currency: 'usd',
      pay_amount: String(order.pay_amount),
      pay_currency: 'usdttrc20',
    });
    expect(transactions[1].room_name).toBeUndefined();
  });

  it('lists running subscriptions with their expiry and drops them once they end', async () => {
    const [first, second] = [await registerAnchor(t.app), await registerAnchor(t.app)];
    const viewer = await registerViewer(t.app);
    await grantDiamonds(t.db, viewer.uid, 200);
    const subscriptions = async (client: TestClient) => (await client.get('/api/wallet/subscriptions')).json().data.subscriptions;

    expect(await subscriptions(viewer.client)).toEqual([]);
    await viewer.client.post('/api/live/subscribe', { anchor_id: first.uid, amount: 40 });
    now += DAY_MS;
    await viewer.client.post('/api/live/subscribe', { anchor_id: second.uid, amount: 40 });
    const listed = await subscriptions(viewer.client);
    expect(listed).toEqual([
      { anchor_id: first.uid, anchor_name: first.username, expires_at: new Date(now - DAY_MS + 30 * DAY_MS).toISOString() },
      { anchor_id: second.uid, anchor_name: second.username, expires_at: new Date(now + 30 * DAY_MS).toISOString() },
    ]);
    now += 29.5 * DAY_MS;
    expect((await subscriptions(viewer.client)).map((s: { anchor_name: string }) => s.anchor_name)).toEqual([second.username]);
    expect((await new TestClient(t.app).get('/api/wallet/subscriptions')).statusCode).toBe(401);
  });
});
