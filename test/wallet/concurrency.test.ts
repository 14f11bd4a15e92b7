import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { balanceOf, earningsAccount, verifyLedger, walletAccount } from '../../src/wallet/ledger.js';
import { SUBSCRIPTION_PERIOD_MS } from '../../src/wallet/service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { registerAnchor, registerViewer } from '../helpers/client.js';
import { createRoom, grantDiamonds } from './fixtures.js';

// On PostgreSQL the parallel requests below run over up to 8 real connections at once.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ pgPoolSize: 8, config: { platformFeePercent: 5 } });
});
afterEach(async () => {
  expect(await verifyLedger(t.db)).toEqual([]);
});
afterAll(async () => {
  await t.close();
});

describe('concurrent payments', () => {
  it('charges once when one user fires 100 payments for the same room at once', async () => {
    const anchor = await registerAnchor(t.app);
    const room = await createRoom(t.db, { anchorId: anchor.uid, price: 70 });
    const viewer = await registerViewer(t.app);
    await grantDiamonds(t.db, viewer.uid, 1000);
    const body = { uid: viewer.uid, anchor_id: anchor.uid, room_id: room.id, room_name: room.roomName, amount: 70 };

    const responses = await Promise.all(Array.from({ length: 100 }, () => viewer.client.post('/api/live/pay_vip_coin', body)));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(100).fill(200));
    const charged = responses.map((r) => r.json().data.charged as number);
    expect(charged.filter((c) => c === 70)).toHaveLength(1);
    expect(charged.filter((c) => c === 0)).toHaveLength(99);
    expect(await balanceOf(t.db, walletAccount(viewer.uid))).toBe(930);
  });

  it('a VIP rush: 40 viewers paying one room at once are each charged once, and the anchor and the platform get every share', async () => {
    const anchor = await registerAnchor(t.app);
    const room = await createRoom(t.db, { anchorId: anchor.uid, price: 100 });
    const viewers = await Promise.all(Array.from({ length: 40 }, () => registerViewer(t.app)));
    for (const viewer of viewers) await grantDiamonds(t.db, viewer.uid, 100);
    const platformBefore = await balanceOf(t.db, 'platform');

    const responses = await Promise.all(
      viewers.map((viewer) =>
        viewer.client.post('/api/live/pay_vip_coin', { uid: viewer.uid, anchor_id: anchor.uid, room_id: room.id, room_name: room.roomName, amount: 100 }),
      ),
    );
    expect(responses.map((r) => [r.statusCode, r.json().data?.charged])).toEqual(Array(40).fill([200, 100]));
    for (const viewer of viewers) expect(await balanceOf(t.db, walletAccount(viewer.uid))).toBe(0);
    // 5% platform fee on each payment.
    expect(await balanceOf(t.db, earningsAccount(anchor.uid))).toBe(40 * 95);
    expect(await balanceOf(t.db, 'platform')).toBe(platformBefore + 40 * 5);
  });

  it('lets exactly 3 of 10 parallel payments through when the balance covers exactly 3', async () => {
    const anchor = await registerAnchor(t.app);
    const rooms = await Promise.all(Array.from({ length: 10 }, () => createRoom(t.db, { anchorId: anchor.uid, price: 40 })));
    const viewer = await registerViewer(t.app);
    await grantDiamonds(t.db, viewer.uid, 120);

    const responses = await Promise.all(
      rooms.map((room) =>
        viewer.client.post('/api/live/pay_vip_coin', {
          uid: viewer.uid,
          anchor_id: anchor.uid,
          room_id: room.id,
          room_name: room.roomName,
          amount: 40,
        }),
      ),
    );
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 200, 200, 402, 402, 402, 402, 402, 402, 402]);
    const remaining = responses.filter((r) => r.statusCode === 200).map((r) => r.json().data.coin_num as number);
    expect(remaining.sort((a, b) => a - b)).toEqual([0, 40, 80]);
    expect(await balanceOf(t.db, walletAccount(viewer.uid))).toBe(0);
    const unlocked = await t.db.selectFrom('room_access').select('room_id').where('user_id', '=', viewer.uid).execute();
    expect(unlocked).toHaveLength(3);
  });

  it('counts every one of 12 parallel subscription renewals (no lost extension)', async () => {
    const anchor = await registerAnchor(t.app);
    await anchor.client.patch('/api/anchor/profile', { subscription_price: 10 });
    const viewer = await registerViewer(t.app);
    await grantDiamonds(t.db, viewer.uid, 120);
    const before = Date.now();
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => viewer.client.post('/api/live/subscribe', { anchor_id: anchor.uid })),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(12).fill(200));
    const expiries = responses.map((r) => Date.parse(r.json().data.expires_at as string));
    const latest = Math.max(...expiries);
    expect(latest).toBeGreaterThanOrEqual(before + 12 * SUBSCRIPTION_PERIOD_MS);
    expect(latest).toBeLessThanOrEqual(Date.now() + 12 * SUBSCRIPTION_PERIOD_MS);
    expect(new Set(expiries).size).toBe(12);
    expect(await balanceOf(t.db, walletAccount(viewer.uid))).toBe(0);
  });

  it('runs a subscription once when a client retries it 10 times at once with one Idempotency-Key', async () => {
    const anchor = await registerAnchor(t.app);
    await anchor.client.patch('/api/anchor/profile', { subscription_price: 25 });
    const viewer = await registerViewer(t.app);
    await grantDiamonds(t.db, viewer.uid, 100);
    const headers = { 'idempotency-key': 'subscribe-button-1' };
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => viewer.client.post('/api/live/subscribe', { anchor_id: anchor.uid }, { headers })),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(new Set(responses.map((r) => r.body)).size).toBe(1);
    expect(responses[0]!.json().data).toMatchObject({ charged: 25, coin_num: 75 });
    expect(await balanceOf(t.db, walletAccount(viewer.uid))).toBe(75);
  });
});
