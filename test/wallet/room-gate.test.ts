/** The gate through the rooms and chat endpoints: refused until paid or subscribed, closed again on expiry. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { SUBSCRIPTION_PERIOD_MS } from '../../src/wallet/service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { registerAnchor, registerViewer, TestClient } from '../helpers/client.js';
import { openRoom, postMessages } from '../helpers/rooms.js';
import { grantDiamonds } from './fixtures.js';

// Starts at the real time: session cookies are stamped with this clock and must not look expired.
let now = Date.now();
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { sessionTtlDays: 365 }, deps: { clock: () => now } });
});
afterAll(async () => {
  await t.close();
});

async function paidRoom(anchor: TestClient, fields: Record<string, unknown>): Promise<string> {
  const roomId = await openRoom(anchor, fields);
  const posted = await postMessages(anchor, roomId, { name: 'Seraphina', is_user: false, mes: 'Welcome, traveller.' });
  expect(posted.statusCode).toBe(200);
  return roomId;
}

const history = (client: TestClient, roomId: string) => client.get('/api/live/get_live_chat_history', { query: { room_id: roomId } });
const userHistory = (client: TestClient, roomId: string) => client.get('/api/live/get_user_chat_history', { query: { room_id: roomId } });
const say = (client: TestClient, roomId: string) =>
  client.post('/api/live/save_user_chat_history', { room_id: roomId, room_name: 'x', username: 'x', user_message: 'hello' });
const liveInfo = async (client: TestClient, roomId: string) =>
  (await client.get('/api/live/get_live_info', { query: { room_id: roomId } })).json().data;

describe('VIP gate on the viewer endpoints', () => {
  it('refuses histories and chat with 403 vip_required until the viewer pays, then lets them in', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await paidRoom(anchor.client, { room_type: 1, coin_num: 30 });
    const viewer = await registerViewer(t.app);

    for (const res of [await history(viewer.client, roomId), await userHistory(viewer.client, roomId), await say(viewer.client, roomId)]) {
      expect([res.statusCode, res.json().error]).toEqual([403, 'vip_required']);
    }
    const before = await liveInfo(viewer.client, roomId);
    expect(before.vip_info).toEqual({ room_type: 1, vip_status: false, amount: 30 });
    expect(before.subscription_info).toEqual({ subscription_status: false, amount: 100, expires_at: null });

    await grantDiamonds(t.db, viewer.uid, 30);
    const paid = await viewer.client.post('/api/live/pay_vip_coin', {
      uid: viewer.uid,
      anchor_id: anchor.uid,
      room_id: roomId,
      room_name: 'x',
      amount: 30,
    });
    expect(paid.json().data).toEqual({ vip_status: true, charged: 30, coin_num: 0 });

    const open = await history(viewer.client, roomId);
    expect(open.statusCode).toBe(200);
    expect(open.json().data.chat_info.map((m: { live_message: string }) => m.live_message)).toEqual(['Welcome, traveller.']);
    expect((await say(viewer.client, roomId)).statusCode).toBe(200);
    expect((await userHistory(viewer.client, roomId)).statusCode).toBe(200);
    expect((await liveInfo(viewer.client, roomId)).vip_info.vip_status).toBe(true);
    expect((await viewer.client.get('/api/users/is_logged_in')).json().data.user_info.coin_num).toBe(0);
    // Another viewer and guests stay outside.
    expect((await history(new TestClient(t.app), roomId)).statusCode).toBe(403);
  });

  it('a subscription opens every VIP and private room of the anchor and closes them when it expires', async () => {
    const anchor = await registerAnchor(t.app);
    await anchor.client.patch('/api/anchor/profile', { subscription_price: 60 });
    const vip = await paidRoom(anchor.client, { room_type: 1, coin_num: 500 });
    const privateRoom = await paidRoom(anchor.client, { room_type: 2, coin_num: 800 });
    const viewer = await registerViewer(t.app);
    await grantDiamonds(t.db, viewer.uid, 60);

    expect((await history(viewer.client, privateRoom)).statusCode).toBe(403);
    const sub = await viewer.client.post('/api/live/subscribe', { anchor_id: anchor.uid, amount: 60 });
    expect(sub.statusCode).toBe(200);
    const expiresAt = new Date(now + SUBSCRIPTION_PERIOD_MS).toISOString();

    for (const roomId of [vip, privateRoom]) {
      expect((await history(viewer.client, roomId)).statusCode).toBe(200);
      const info = await liveInfo(viewer.client, roomId);
      expect(info.vip_info.vip_status).toBe(true);
      expect(info.subscription_info).toEqual({ subscription_status: true, amount: 60, expires_at: expiresAt });
    }

    now += SUBSCRIPTION_PERIOD_MS;
    for (const roomId of [vip, privateRoom]) {
      const res = await history(viewer.client, roomId);
      expect([res.statusCode, res.json().error]).toEqual([403, 'vip_required']);
      expect((await liveInfo(viewer.client, roomId)).subscription_info).toEqual({ subscription_status: false, amount: 60, expires_at: null });
    }
  });

  it('another instance sharing the event bus lets a viewer in as soon as they paid or subscribed, and shows a new price', async () => {
    // A second app on the same database and bus, as behind a load balancer; it has its own caches.
    const other = await buildApp({ ...t.deps });
    try {
      const anchor = await registerAnchor(t.app);
      const vip = await paidRoom(anchor.client, { room_type: 1, coin_num: 30 });
      const privateRoom = await paidRoom(anchor.client, { room_type: 2, coin_num: 800 });
      const viewer = await registerViewer(t.app);
      const viewerElsewhere = new TestClient(other);
      for (const [name, value] of viewer.client.cookies) viewerElsewhere.cookies.set(name, value);
      await grantDiamonds(t.db, viewer.uid, 30 + 70);

      // The other instance has just read (and may keep) "locked" and the old price.
      expect((await history(viewerElsewhere, vip)).statusCode).toBe(403);
      expect((await history(viewerElsewhere, privateRoom)).statusCode).toBe(403);
      expect((await liveInfo(viewerElsewhere, privateRoom)).subscription_info.amount).toBe(100);

      await anchor.client.patch('/api/anchor/profile', { subscription_price: 70 });
      expect((await liveInfo(viewerElsewhere, privateRoom)).subscription_info.amount).toBe(70);

      const paid = await viewer.client.post('/api/live/pay_vip_coin', { uid: viewer.uid, anchor_id: anchor.uid, room_id: vip, room_name: 'x', amount: 30 });
      expect(paid.statusCode).toBe(200);
      expect((await history(viewerElsewhere, vip)).statusCode).toBe(200);
      expect((await history(viewerElsewhere, privateRoom)).statusCode).toBe(403);

      expect((await viewer.client.post('/api/live/subscribe', { anchor_id: anchor.uid, amount: 70 })).statusCode).toBe(200);
      expect((await history(viewerElsewhere, privateRoom)).statusCode).toBe(200);
      expect((await liveInfo(viewerElsewhere, privateRoom)).subscription_info.subscription_status).toBe(true);
    } finally {
      await other.close();
    }
  });
});
