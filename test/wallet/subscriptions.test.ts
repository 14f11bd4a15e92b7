import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/accounts/service.js';
import { WalletRoomAccessPolicy } from '../../src/wallet/access-policy.js';
import { verifyLedger } from '../../src/wallet/ledger.js';
import { SUBSCRIPTION_PERIOD_MS } from '../../src/wallet/service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { registerAnchor, registerViewer, TestClient } from '../helpers/client.js';
import { createRoom, grantDiamonds, ROOM_FREE, ROOM_PRIVATE, ROOM_VIP } from './fixtures.js';

const DAY_MS = 24 * 60 * 60 * 1000;
// Starts at the real time: session cookies are stamped with this clock and must not look expired.
let now = Date.now();
let t: TestApp;
let policy: WalletRoomAccessPolicy;

beforeAll(async () => {
  t = await createTestApp({ config: { subscriptionPrice: 100, sessionTtlDays: 365 }, deps: { clock: () => now } });
  policy = new WalletRoomAccessPolicy(t.db, t.deps.eventBus, { defaultSubscriptionPrice: 100, clock: () => now });
});
afterEach(async () => {
  expect(await verifyLedger(t.db)).toEqual([]);
});
afterAll(async () => {
  await t.close();
});

const asViewer = (uid: string): Viewer => ({ kind: 'user', user: { id: uid, username: 'v', isAnchor: false } });
const subject = (room: { id: string; anchorId: string; roomType: number; price: number }) => ({
  id: room.id,
  anchor_id: room.anchorId,
  room_type: room.roomType,
  coin_num: room.price,
});

describe('room access policy', () => {
  it('opens free rooms to everyone and paid rooms only to their anchor until someone pays', async () => {
    const anchor = await registerAnchor(t.app);
    const free = subject(await createRoom(t.db, { anchorId: anchor.uid, roomType: ROOM_FREE }));
    const vipRoom = await createRoom(t.db, { anchorId: anchor.uid, roomType: ROOM_VIP, price: 30 });
    const vip = subject(vipRoom);
    const viewer = await registerViewer(t.app);
    const guest: Viewer = { kind: 'guest', guestName: '游客abcdef' };

    expect(await policy.canEnter(guest, free)).toBe(true);
    expect(await policy.canEnter(guest, vip)).toBe(false);
    expect(await policy.canEnter(asViewer(viewer.uid), vip)).toBe(false);
    expect(await policy.canEnter(asViewer(anchor.uid), vip)).toBe(true);

    await grantDiamonds(t.db, viewer.uid, 30);
    const paid = await viewer.client.post('/api/live/pay_vip_coin', {
      uid: viewer.uid,
      anchor_id: anchor.uid,
      room_id: vip.id,
      room_name: vipRoom.roomName,
      amount: 30,
    });
    expect(paid.json().data).toEqual({ vip_status: true, charged: 30, coin_num: 0 });
    expect(await policy.canEnter(asViewer(viewer.uid), vip)).toBe(true);
    expect(await policy.canEnter(guest, vip)).toBe(false);
  });

  it('lets a subscriber into all the anchor’s paid rooms until the subscription expires', async () => {
    const anchor = await registerAnchor(t.app);
    const otherAnchor = await registerAnchor(t.app);
    const vip = subject(await createRoom(t.db, { anchorId: anchor.uid, roomType: ROOM_VIP, price: 500 }));
    const privateRoom = subject(await createRoom(t.db, { anchorId: anchor.uid, roomType: ROOM_PRIVATE, price: 0 }));
    const elsewhere = subject(await createRoom(t.db, { anchorId: otherAnchor.uid, roomType: ROOM_VIP, price: 5 }));
    const viewer = await registerViewer(t.app);
    await grantDiamonds(t.db, viewer.uid, 250);

    const info = await policy.subscriptionInfo(asViewer(viewer.uid), anchor.uid);
    expect(info).toEqual({ subscription_status: false, amount: 100, expires_at: null });

    const res = await viewer.client.post('/api/live/subscribe', { anchor_id: anchor.uid });
    expect(res.statusCode).toBe(200);
    const expiry = now + SUBSCRIPTION_PERIOD_MS;
    expect(res.json().data).toEqual({
      subscription_status: true,
      charged: 100,
      amount: 100,
      expires_at: new Date(expiry).toISOString(),
      coin_num: 150,
    });
    expect(await policy.canEnter(asViewer(viewer.uid), vip)).toBe(true);
    expect(await policy.canEnter(asViewer(viewer.uid), privateRoom)).toBe(true);
    expect(await policy.canEnter(asViewer(viewer.uid), elsewhere)).toBe(false);
    expect(await policy.subscriptionInfo(asViewer(viewer.uid), anchor.uid)).toEqual({
      subscription_status: true,
      amount: 100,
      expires_at: new Date(expiry).toISOString(),
    });

    // Renewing ten days in extends from the running expiry, not from now.
    now += 10 * DAY_MS;
    const renewed = await viewer.client.post('/api/live/subscribe', { anchor_id: anchor.uid, amount: 100 });
    expect(renewed.json().data).toMatchObject({ charged: 100, coin_num: 50, expires_at: new Date(expiry + SUBSCRIPTION_PERIOD_MS).toISOString() });

    now = expiry + SUBSCRIPTION_PERIOD_MS - 1;
    expect(await policy.canEnter(asViewer(viewer.uid), vip)).toBe(true);
    now += 1;
    expect(await policy.canEnter(asViewer(viewer.uid), vip)).toBe(false);
    expect(await policy.subscriptionInfo(asViewer(viewer.uid), anchor.uid)).toMatchObject({ subscription_status: false, expires_at: null });

    // After expiry a new subscription starts from now.
    await grantDiamonds(t.db, viewer.uid, 50);
    const again = await viewer.client.post('/api/live/subscribe', { anchor_id: anchor.uid });
    expect(again.json().data).toMatchObject({ charged: 100, coin_num: 0, expires_at: new Date(now + SUBSCRIPTION_PERIOD_MS).toISOString() });
    expect(await policy.canEnter(asViewer(viewer.uid), vip)).toBe(true);

    const earnings = (await anchor.client.get('/api/anchor/earnings')).json().data;
    expect(earnings).toMatchObject({ coin_num: 300, subscription_total: 300, vip_total: 0, active_subscribers: 1, subscription_price: 100 });
  });

  it('counts as having paid into a room whoever unlocked it or bought a subscription in it, and nobody else', async () => {
    const anchor = await registerAnchor(t.app);
    const vipRoom = await createRoom(t.db, { anchorId: anchor.uid, roomType: ROOM_VIP, price: 30 });
    const freeRoom = await createRoom(t.db, { anchorId: anchor.uid, roomType: ROOM_FREE });
    const [unlocker, subscriber, recharged] = [await registerViewer(t.app), await registerViewer(t.app), await registerViewer(t.app)];
    for (const viewer of [unlocker, subscriber, recharged]) await grantDiamonds(t.db, viewer.uid, 100);

    const unlock = { uid: unlocker.uid, anchor_id: anchor.uid, room_id: vipRoom.id, room_name: vipRoom.roomName, amount: 30 };
    expect((await unlocker.client.post('/api/live/pay_vip_coin', unlock)).statusCode).toBe(200);
    expect((await subscriber.client.post('/api/live/subscribe', { anchor_id: anchor.uid, room_id: freeRoom.id })).statusCode).toBe(200);

    const paidInto = async (viewer: { uid: string }) => [await policy.paidInto(asViewer(viewer.uid), vipRoom.id), await policy.paidInto(asViewer(viewer.uid), freeRoom.id)];
    // [VIP room, free room]: a subscription lets its holder into the VIP room, but it was paid in the free one.
    expect(await paidInto(unlocker)).toEqual([true, false]);
    expect(await paidInto(subscriber)).toEqual([false, true]);
    expect(await paidInto(recharged)).toEqual([false, false]);

    // An unlock from before spending was counted per room (an upgraded database) still counts.
    await t.db.deleteFrom('room_support').where('user_id', '=', unlocker.uid).execute();
    expect(await paidInto(unlocker)).toEqual([true, false]);
  });

  it('shows a guest the subscription price, never a subscription, and no room paid into', async () => {
    const anchor = await registerAnchor(t.app);
    await anchor.client.patch('/api/anchor/profile', { subscription_price: 45 });
    const room = await createRoom(t.db, { anchorId: anchor.uid, roomType: ROOM_FREE });
    const guest: Viewer = { kind: 'guest', guestName: '游客abcdef' };
    expect(await policy.subscriptionInfo(guest, anchor.uid)).toEqual({ subscription_status: false, amount: 45, expires_at: null });
    expect(await policy.paidInto(guest, room.id)).toBe(false);
  });
});

describe('POST /api/live/subscribe and PATCH /api/anchor/profile', () => {
  it('charges the anchor’s own price, refuses when subscriptions are off or the price moved', async () => {
    const anchor = await registerAnchor(t.app);
    const viewer = await registerViewer(t.app);
    await grantDiamonds(t.db, viewer.uid, 100);

    const set = await anchor.client.patch('/api/anchor/profile', { subscription_price: 40 });
    expect(set.json()).toEqual({ code: 0, data: { subscription_price: 40 } });
    expect((await policy.subscriptionInfo(asViewer(viewer.uid), anchor.uid)).amount).toBe(40);

    const stale = await viewer.client.post('/api/live/subscribe', { anchor_id: anchor.uid, amount: 100 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'price_changed', amount: 40 });

    const ok = await viewer.client.post('/api/live/subscribe', { anchor_id: anchor.uid });
    expect(ok.json().data).toMatchObject({ charged: 40, coin_num: 60 });

    await anchor.client.patch('/api/anchor/profile', { subscription_price: 0 });
    const off = await viewer.client.post('/api/live/subscribe', { anchor_id: anchor.uid });
    expect([off.statusCode, off.json().error]).toEqual([400, 'subscriptions_disabled']);
    expect((await viewer.client.get('/api/wallet/balance')).json().data.coin_num).toBe(60);
  });

  it('refuses a subscription bought in an archived room with 409 room_archived, charging nothing; outside it, it is sold', async () => {
    const anchor = await registerAnchor(t.app);
    const viewer = await registerViewer(t.app);
    await grantDiamonds(t.db, viewer.uid, 100);
    const room = await createRoom(t.db, { anchorId: anchor.uid, roomType: ROOM_VIP, price: 30 });
    await t.db.updateTable('rooms').set({ archived_at: now }).where('id', '=', room.id).execute();

    const refused = await viewer.client.post('/api/live/subscribe', { anchor_id: anchor.uid, room_id: room.id });
    expect([refused.statusCode, refused.json().error]).toEqual([409, 'room_archived']);
    expect((await viewer.client.get('/api/wallet/balance')).json().data.coin_num).toBe(100);
    expect(await policy.paidInto(asViewer(viewer.uid), room.id)).toBe(false);

    const sold = await viewer.client.post('/api/live/subscribe', { anchor_id: anchor.uid });
    expect(sold.json().data).toMatchObject({ charged: 100, coin_num: 0 });
  });

  it('refuses unknown anchors, self-subscription, guests, broke viewers and bad prices', async () => {
    const anchor = await registerAnchor(t.app);
    const viewer = await registerViewer(t.app);
    const unknown = await viewer.client.post('/api/live/subscribe', { anchor_id: viewer.uid });
    expect([unknown.statusCode, unknown.json().error]).toEqual([400, 'cannot_subscribe_to_self']);
    const notAnchor = await anchor.client.post('/api/users/login', { username: anchor.username, password: 'correct horse battery' });
    expect(notAnchor.statusCode).toBe(200);
    const viewerAsTarget = await anchor.client.post('/api/live/subscribe', { anchor_id: viewer.uid });
    expect([viewerAsTarget.statusCode, viewerAsTarget.json().error]).toEqual([404, 'anchor_not_found']);
    const broke = await viewer.client.post('/api/live/subscribe', { anchor_id: anchor.uid });
    expect([broke.statusCode, broke.json().error]).toEqual([402, 'insufficient_balance']);
    const guest = await new TestClient(t.app).post('/api/live/subscribe', { anchor_id: anchor.uid });
    expect(guest.statusCode).toBe(401);

    for (const price of [-1, 1.5, '10', 1e12]) {
      const res = await anchor.client.patch('/api/anchor/profile', { subscription_price: price });
      expect(res.statusCode).toBe(400);
    }
    const viewerCookieOnly = await viewer.client.patch('/api/anchor/profile', { subscription_price: 5 });
    expect(viewerCookieOnly.statusCode).toBe(403);
  });
});
