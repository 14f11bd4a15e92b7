import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/wallet/ledger.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { registerAnchor, registerViewer, TestClient } from '../helpers/client.js';
import { createRoom, grantDiamonds, ROOM_FREE, ROOM_PRIVATE, setRoomPrice } from './fixtures.js';

let t: TestApp;
let anchor: Awaited<ReturnType<typeof registerAnchor>>;

beforeAll(async () => {
  t = await createTestApp({ config: { platformFeePercent: 10 } });
  anchor = await registerAnchor(t.app);
});
afterEach(async () => {
  expect(await verifyLedger(t.db)).toEqual([]);
});
afterAll(async () => {
  await t.close();
});

async function viewerWith(diamonds: number) {
  const viewer = await registerViewer(t.app);
  if (diamonds > 0) await grantDiamonds(t.db, viewer.uid, diamonds);
  return viewer;
}

function payBody(uid: string, room: { id: string; anchorId: string; roomName: string }, amount: unknown) {
  return { uid, anchor_id: room.anchorId, room_id: room.id, room_name: room.roomName, amount };
}

async function balance(client: TestClient): Promise<number> {
  return (await client.get('/api/wallet/balance')).json().data.coin_num;
}

describe('POST /api/live/pay_vip_coin', () => {
  it('moves the price from viewer to anchor (minus the platform fee) and unlocks the room once', async () => {
    const anchor = await registerAnchor(t.app);
    const room = await createRoom(t.db, { anchorId: anchor.uid, price: 50 });
    const { client, uid } = await viewerWith(120);

    const first = await client.post('/api/live/pay_vip_coin', payBody(uid, room, 50));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ code: 0, data: { vip_status: true, charged: 50, coin_num: 70 } });

    const again = await client.post('/api/live/pay_vip_coin', payBody(uid, room, 50));
    expect(again.json()).toEqual({ code: 0, data: { vip_status: true, charged: 0, coin_num: 70 } });
    expect(await balance(client)).toBe(70);
    expect((await client.get('/api/users/is_logged_in')).json().data.user_info.coin_num).toBe(70);

    const earnings = (await anchor.client.get('/api/anchor/earnings')).json().data;
    expect(earnings).toMatchObject({ coin_num: 45, total_earned: 45, vip_total: 45, subscription_total: 0 });
    expect(earnings.recent).toEqual([expect.objectContaining({ type: 'vip_room', amount: 45, room_id: room.id, from_uid: uid })]);
  });

  it('answers a viewer who already unlocked the room "unlocked, nothing charged", even after the price changed', async () => {
    const room = await createRoom(t.db, { anchorId: anchor.uid, price: 30 });
    const { client, uid } = await viewerWith(100);
    expect((await client.post('/api/live/pay_vip_coin', payBody(uid, room, 30))).json().data).toMatchObject({ charged: 30, coin_num: 70 });
    await setRoomPrice(t.db, room.id, 40);
    const again = await client.post('/api/live/pay_vip_coin', payBody(uid, room, 30));
    expect(again.statusCode).toBe(200);
    expect(again.json().data).toEqual({ vip_status: true, charged: 0, coin_num: 70 });
  });

  it('refuses a payment into an archived room with 409 room_archived and charges nothing', async () => {
    const room = await createRoom(t.db, { anchorId: anchor.uid, price: 30 });
    await t.db.updateTable('rooms').set({ archived_at: Date.now() }).where('id', '=', room.id).execute();
    const { client, uid } = await viewerWith(100);
    const res = await client.post('/api/live/pay_vip_coin', payBody(uid, room, 30));
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 1, error: 'room_archived' });
    expect(await balance(client)).toBe(100);
  });

  it('refuses a price the room no longer has with 409 price_changed and the current price', async () => {
    const room = await createRoom(t.db, { anchorId: anchor.uid, price: 30 });
    const { client, uid } = await viewerWith(100);
    await setRoomPrice(t.db, room.id, 40);
    const res = await client.post('/api/live/pay_vip_coin', payBody(uid, room, 30));
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 1, error: 'price_changed', amount: 40 });
    expect(await balance(client)).toBe(100);
    const retry = await client.post('/api/live/pay_vip_coin', payBody(uid, room, 40));
    expect(retry.json().data).toEqual({ vip_status: true, charged: 40, coin_num: 60 });
  });

  it('refuses with 402 insufficient_balance and charges nothing', async () => {
    const room = await createRoom(t.db, { anchorId: anchor.uid, price: 80 });
    const { client, uid } = await viewerWith(79);
    const res = await client.post('/api/live/pay_vip_coin', payBody(uid, room, 80));
    expect(res.statusCode).toBe(402);
    expect(res.json()).toMatchObject({ code: 1, error: 'insufficient_balance', amount: 80, coin_num: 79 });
    expect(await balance(client)).toBe(79);
  });

  it('refuses free rooms, a foreign uid, the wrong anchor, unknown rooms and guests', async () => {
    const free = await createRoom(t.db, { anchorId: anchor.uid, roomType: ROOM_FREE });
    const vip = await createRoom(t.db, { anchorId: anchor.uid, price: 10 });
    const other = await registerAnchor(t.app);
    const { client, uid } = await viewerWith(100);

    const freeRes = await client.post('/api/live/pay_vip_coin', payBody(uid, free, 10));
    expect([freeRes.statusCode, freeRes.json().error]).toEqual([400, 'room_is_free']);

    const foreign = await client.post('/api/live/pay_vip_coin', payBody(other.uid, vip, 10));
    expect([foreign.statusCode, foreign.json().error]).toEqual([403, 'uid_mismatch']);

    const wrongAnchor = await client.post('/api/live/pay_vip_coin', { ...payBody(uid, vip, 10), anchor_id: other.uid });
    expect([wrongAnchor.statusCode, wrongAnchor.json().error]).toEqual([400, 'anchor_mismatch']);

    const unknown = await client.post('/api/live/pay_vip_coin', { ...payBody(uid, vip, 10), room_id: 'no-such-room' });
    expect([unknown.statusCode, unknown.json().error]).toEqual([404, 'room_not_found']);

    const guest = await new TestClient(t.app).post('/api/live/pay_vip_coin', payBody('', vip, 10));
    expect([guest.statusCode, guest.json().error]).toEqual([401, 'unauthorized']);

    expect(await balance(client)).toBe(100);
  });

  it("takes the original site's user_id in place of uid, checked the same way (legacy client support)", async () => {
    const vip = await createRoom(t.db, { anchorId: anchor.uid, price: 10 });
    const other = await registerViewer(t.app);
    const { client, uid } = await viewerWith(100);
    const { uid: _uid, ...withoutUid } = payBody(uid, vip, 10);

    for (const body of [{ ...withoutUid, user_id: other.uid }, { ...payBody(uid, vip, 10), user_id: other.uid }, { ...payBody(other.uid, vip, 10), user_id: uid }]) {
      const refused = await client.post('/api/live/pay_vip_coin', body);
      expect([refused.statusCode, refused.json().error]).toEqual([403, 'uid_mismatch']);
    }
    expect(await balance(client)).toBe(100);

    const paid = await client.post('/api/live/pay_vip_coin', { ...withoutUid, user_id: uid });
    expect(paid.statusCode).toBe(200);
    expect(await balance(client)).toBe(90);
  });

  it.each([
    ['negative', -50],
    ['zero', 0],
    ['fractional', 49.5],
    ['a string', '50'],
    ['huge', 1e20],
    ['missing', undefined],
  ])('refuses an amount that is %s with 400 and charges nothing', async (_label, amount) => {
    const room = await createRoom(t.db, { anchorId: anchor.uid, price: 50 });
    const { client, uid } = await viewerWith(100);
    const res = await client.post('/api/live/pay_vip_coin', payBody(uid, room, amount));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 1, error: 'invalid_request' });
    expect(await balance(client)).toBe(100);
  });

  it('lets the anchor into their own room without charging', async () => {
    const room = await createRoom(t.db, { anchorId: anchor.uid, roomType: ROOM_PRIVATE, price: 20 });
    const res = await anchor.client.post('/api/users/login', { username: anchor.username, password: 'correct horse battery' });
    expect(res.statusCode).toBe(200);
    const pay = await anchor.client.post('/api/live/pay_vip_coin', payBody(anchor.uid, room, 20));
    expect(pay.json().data).toMatchObject({ vip_status: true, charged: 0 });
  });

  it('replays the first answer for a repeated Idempotency-Key and refuses reusing it for another request', async () => {
    const roomA = await createRoom(t.db, { anchorId: anchor.uid, price: 10 });
    const roomB = await createRoom(t.db, { anchorId: anchor.uid, price: 10 });
    const { client, uid } = await viewerWith(50);
    const headers = { 'idempotency-key': 'click-1' };
    const first = await client.post('/api/live/pay_vip_coin', payBody(uid, roomA, 10), { headers });
    expect(first.json().data).toEqual({ vip_status: true, charged: 10, coin_num: 40 });
    const retried = await client.post('/api/live/pay_vip_coin', payBody(uid, roomA, 10), { headers });
    expect(retried.json().data).toEqual({ vip_status: true, charged: 10, coin_num: 40 });
    const reused = await client.post('/api/live/pay_vip_coin', payBody(uid, roomB, 10), { headers });
    expect([reused.statusCode, reused.json().error]).toEqual([409, 'idempotency_key_reused']);
    expect(await balance(client)).toBe(40);
  });
});

describe('wallet history', () => {
  it('lists movements newest first with room and anchor, paging with next_cursor', async () => {
    const rooms = await Promise.all([1, 2, 3].map(() => createRoom(t.db, { anchorId: anchor.uid, price: 5 })));
    const { client, uid } = await viewerWith(100);
    for (const room of rooms) {
      expect((await client.post('/api/live/pay_vip_coin', payBody(uid, room, 5))).statusCode).toBe(200);
    }
    const page1 = (await client.get('/api/wallet/transactions', { query: { limit: 2 } })).json().data;
    expect(page1.transactions).toHaveLength(2);
    expect(page1.transactions[0]).toMatchObject({ type: 'vip_room', amount: -5, balance_after: 85, room_id: rooms[2]!.id, anchor_id: anchor.uid });
    expect(page1.transactions[1]).toMatchObject({ amount: -5, balance_after: 90, room_id: rooms[1]!.id });
    const page2 = (await client.get('/api/wallet/transactions', { query: { limit: 2, cursor: page1.next_cursor } })).json().data;
    expect(page2.transactions.map((tx: { type: string; balance_after: number }) => [tx.type, tx.balance_after])).toEqual([
      ['vip_room', 95],
      ['adjustment', 100],
    ]);
    expect(page2.next_cursor).toBeNull();
    expect((await new TestClient(t.app).get('/api/wallet/transactions')).statusCode).toBe(401);
  });
});
