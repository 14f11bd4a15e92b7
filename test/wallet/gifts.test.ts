/**
 * Gifts through the HTTP API and the room socket: the charge, every refusal charging nothing,
 * idempotent retries, parallel sends against one balance, and the room leaderboard by period.
 * With TEST_REDIS_URL the events travel through Redis (and PostgreSQL with TEST_DATABASE_URL).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppDependencies } from '../../src/app.js';
import type { RedisClient } from '../../src/infra/redis.js';
import { RedisEventBus } from '../../src/realtime/redis-event-bus.js';
import { verifyLedger } from '../../src/wallet/ledger.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { PASSWORD, registerAnchor, registerViewer, TestClient } from '../helpers/client.js';
import { deletePrefix, silentLog, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { WsClient } from '../realtime/ws-client.js';
import { createRoom, grantDiamonds, ROOM_FREE } from './fixtures.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const prefix = uniquePrefix();
let t: TestApp;
let base: string;
let now = Date.UTC(2026, 11, 2, 3, 0, 0);
const sockets: WsClient[] = [];
let redis: RedisClient | undefined;

beforeAll(async () => {
  const deps: Partial<AppDependencies> = { clock: () => now };
  if (TEST_REDIS_URL) deps.eventBus = await RedisEventBus.connect({ url: TEST_REDIS_URL, prefix, heartbeatMs: 1_000, log: silentLog });
  t = await createTestApp({ pgPoolSize: 8, config: { platformFeePercent: 10 }, deps });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  base = `127.0.0.1:${address.port}`;
});

afterEach(async () => {
  expect(await verifyLedger(t.db)).toEqual([]);
});
afterAll(async () => {
  for (const socket of sockets) socket.socket.terminate();
  await t.close();
  await t.deps.eventBus.close();
  await redis?.close();
  if (TEST_REDIS_URL) await deletePrefix(TEST_REDIS_URL, prefix);
});

async function viewerWith(diamonds: number) {
  const viewer = await registerViewer(t.app);
  if (diamonds > 0) await grantDiamonds(t.db, viewer.uid, diamonds);
  return viewer;
}

async function balance(client: TestClient): Promise<number> {
  return (await client.get('/api/wallet/balance')).json().data.coin_num;
}

function sendGift(client: TestClient, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return client.post('/api/live/send_gift', body, { headers });
}

async function watch(roomId: string): Promise<WsClient> {
  const socket = await WsClient.connect(`ws://${base}/ws/chat/${roomId}`, { origin: t.config.publicUrl });
  sockets.push(socket);
  await socket.untilCount('hello', 1);
  return socket;
}

describe('gift catalogue', () => {
  it('lists the default gifts from 1 to 1,000 diamonds, with labels in both languages and an icon', async () => {
    const res = await new TestClient(t.app).get('/api/live/gifts');
    expect(res.statusCode).toBe(200);
    const gifts = res.json().data.gifts as Array<{ id: string; price: number; label_zh: string; label_en: string; icon: string }>;
    expect(gifts.length).toBeGreaterThanOrEqual(5);
    expect(gifts[0]!.price).toBe(1);
    expect(gifts.at(-1)!.price).toBe(1000);
    for (const gift of gifts) expect(gift.label_zh && gift.label_en && gift.icon).toBeTruthy();
  });
});

describe('POST /api/live/send_gift', () => {
  it("moves price × count to the anchor less the platform fee, answers the new balance and shows in both histories", async () => {
    const anchor = await registerAnchor(t.app);
    const room = await createRoom(t.db, { anchorId: anchor.uid, roomType: ROOM_FREE });
    const { client } = await viewerWith(100);

    const res = await sendGift(client, { room_id: room.id, gift_id: 'rose', count: 3, amount: 15 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ code: 0, data: { gift_id: 'rose', count: 3, charged: 15, coin_num: 85 } });
    expect(await balance(client)).toBe(85);

    // The test's clock is fixed, the grant's is not: find the gift rather than rely on the order.
    const history = (await client.get('/api/wallet/transactions')).json().data.transactions as Array<{ type: string }>;
    expect(history.filter((entry) => entry.type === 'gift')).toEqual([
      expect.objectContaining({ type: 'gift', amount: -15, balance_after: 85, room_id: room.id }),
    ]);
    const earnings = (await anchor.client.get('/api/anchor/earnings')).json().data;
    expect(earnings.recent[0]).toMatchObject({ type: 'gift', amount: 14, room_id: room.id });
  });

  it('refuses with a clear error and charges nothing: guest, too few diamonds, locked room, bad count, unknown gift or room, own room, changed price', async () => {
    const anchor = await registerAnchor(t.app);
    const free = await createRoom(t.db, { anchorId: anchor.uid, roomType: ROOM_FREE });
    const vip = await createRoom(t.db, { anchorId: anchor.uid, price: 30 });
    const { client } = await viewerWith(20);
    const anchorAsViewer = new TestClient(t.app);
    expect((await anchorAsViewer.post('/api/users/login', { username: anchor.username, password: PASSWORD })).statusCode).toBe(200);
    const gift = (over: Record<string, unknown>) => ({ room_id: free.id, gift_id: 'coffee', count: 1, amount: 10, ...over });

    const cases: Array<[TestClient, Record<string, unknown>, number, string]> = [
      [new TestClient(t.app), gift({}), 401, 'unauthorized'],
      [client, gift({ count: 3, amount: 30 }), 402, 'insufficient_balance'],
      [client, gift({ room_id: vip.id }), 403, 'vip_required'],
      [client, gift({ count: 0, amount: 0 }), 400, 'invalid_request'],
      [client, gift({ count: 100, amount: 1000 }), 400, 'invalid_request'],
      [client, gift({ gift_id: 'unicorn' }), 404, 'gift_not_found'],
      [client, gift({ room_id: 'no-such-room' }), 404, 'room_not_found'],
      [anchorAsViewer, gift({}), 400, 'cannot_gift_self'],
      [client, gift({ amount: 9 }), 409, 'price_changed'],
    ];
    for (const [who, body, status, error] of cases) {
      const res = await sendGift(who, body);
      expect([res.statusCode, res.json().error], JSON.stringify(body)).toEqual([status, error]);
    }
    expect((await sendGift(client, gift({ amount: 9 }))).json()).toMatchObject({ amount: 10 });
    expect(await balance(client)).toBe(20);
  });

  it('answers a retried Idempotency-Key with the first answer and charges once', async () => {
    const anchor = await registerAnchor(t.app);
    const room = await createRoom(t.db, { anchorId: anchor.uid, roomType: ROOM_FREE });
    const { client } = await viewerWith(50);
    const body = { room_id: room.id, gift_id: 'star', count: 0 + 1, amount: 52 };

    const poor = await sendGift(client, body, { 'idempotency-key': 'k1' });
    expect(poor.statusCode).toBe(402);
    await grantDiamonds(t.db, (await client.get('/api/users/is_logged_in')).json().data.user_info.uid, 60);
    // A refused attempt does not burn its key: the same key succeeds once there is enough.
    const first = await sendGift(client, body, { 'idempotency-key': 'k1' });
    const again = await sendGift(client, body, { 'idempotency-key': 'k1' });
    expect(first.json()).toEqual({ code: 0, data: { gift_id: 'star', count: 1, charged: 52, coin_num: 58 } });
    expect(again.json()).toEqual(first.json());
    const reused = await sendGift(client, { ...body, gift_id: 'heart', amount: 1 }, { 'idempotency-key': 'k1' });
    expect([reused.statusCode, reused.json().error]).toEqual([409, 'idempotency_key_reused']);
    expect(await balance(client)).toBe(58);
  });

  it('lets exactly as many parallel gifts through as the balance covers', async () => {
    const anchor = await registerAnchor(t.app);
    const room = await createRoom(t.db, { anchorId: anchor.uid, roomType: ROOM_FREE });
    const { client } = await viewerWith(50);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => sendGift(client, { room_id: room.id, gift_id: 'rose', count: 1, amount: 5 })),
    );
    expect(responses.filter((r) => r.statusCode === 200)).toHaveLength(10);
    expect(responses.filter((r) => r.statusCode === 402)).toHaveLength(10);
    expect(await balance(client)).toBe(0);
  });
});

describe('room leaderboard', () => {
  it('ranks gifts, VIP unlocks and subscriptions bought in the room, for today, 30 days and all time', async () => {
    const anchor = await registerAnchor(t.app);
    const room = await createRoom(t.db, { anchorId: anchor.uid, price: 30 });
    const early = await viewerWith(500);
    const late = await viewerWith(500);
    const pay = (client: TestClient) => client.post('/api/live/pay_vip_coin', { anchor_id: anchor.uid, room_id: room.id, amount: 30 });

    expect((await pay(early.client)).statusCode).toBe(200);
    expect((await sendGift(early.client, { room_id: room.id, gift_id: 'fire', count: 2, amount: 198 })).statusCode).toBe(200);
    now += 3 * DAY_MS;
    expect((await pay(late.client)).statusCode).toBe(200);
    const subscribed = await late.client.post('/api/live/subscribe', { anchor_id: anchor.uid, room_id: room.id, amount: 100 });
    expect(subscribed.statusCode).toBe(200);

    const board = (await new TestClient(t.app).get('/api/live/leaderboard', { query: { room_id: room.id } })).json().data;
    const ranked = (list: Array<{ username: string; diamonds: number }>) => list.map((s) => [s.username, s.diamonds]);
    expect(ranked(board.today)).toEqual([[late.username, 130]]);
    expect(ranked(board.last_30_days)).toEqual([
      [early.username, 228],
      [late.username, 130],
    ]);
    now += 40 * DAY_MS;
    const later = (await new TestClient(t.app).get('/api/live/leaderboard', { query: { room_id: room.id } })).json().data;
    expect(later.today).toEqual([]);
    expect(later.last_30_days).toEqual([]);
    expect(ranked(later.all_time)).toEqual([
      [early.username, 228],
      [late.username, 130],
    ]);
  });

  it('reaches everyone in the room as it happens: the gift, then the new board', async () => {
    const anchor = await registerAnchor(t.app);
    const room = await createRoom(t.db, { anchorId: anchor.uid, roomType: ROOM_FREE });
    const watcher = await watch(room.id);
    const fan = await viewerWith(100);

    expect((await sendGift(fan.client, { room_id: room.id, gift_id: 'lollipop', count: 2, amount: 40 })).statusCode).toBe(200);
    await watcher.untilCount('leaderboard', 1);
    expect(watcher.of('gift')).toEqual([
      { uid: fan.uid, username: fan.username, gift_id: 'lollipop', count: 2, diamonds: 40, send_date: new Date(now).toISOString() },
    ]);
    expect(watcher.of('leaderboard')[0]).toMatchObject({ room_id: room.id, today: [{ uid: fan.uid, diamonds: 40 }] });
    const types = watcher.frames.map((frame) => frame.type).filter((type) => type === 'gift' || type === 'leaderboard');
    expect(types).toEqual(['gift', 'leaderboard']);
  });

  it('shows a new payment on the board of a room nobody has open, even after the board was read', async () => {
    const anchor = await registerAnchor(t.app);
    const room = await createRoom(t.db, { anchorId: anchor.uid, roomType: ROOM_FREE });
    const fan = await viewerWith(100);
    const board = async () => (await new TestClient(t.app).get('/api/live/leaderboard', { query: { room_id: room.id } })).json().data;
    expect((await board()).today).toEqual([]);

    expect((await sendGift(fan.client, { room_id: room.id, gift_id: 'lollipop', count: 1, amount: 20 })).statusCode).toBe(200);
    await expect.poll(async () => (await board()).today, { timeout: 5_000 }).toEqual([{ uid: fan.uid, username: fan.username, diamonds: 20 }]);
  });

  it('sends one board for a burst of gifts, not one per gift', async () => {
    const anchor = await registerAnchor(t.app);
    const room = await createRoom(t.db, { anchorId: anchor.uid, roomType: ROOM_FREE });
    const watcher = await watch(room.id);
    const fan = await viewerWith(100);
    for (let i = 0; i < 10; i++) await sendGift(fan.client, { room_id: room.id, gift_id: 'heart', count: 1, amount: 1 });
    await watcher.untilCount('gift', 10);
    await watcher.until((w) => w.of('leaderboard').some((b) => (b.today as Array<{ diamonds: number }>)[0]?.diamonds === 10), 'board of 10');
    expect(watcher.of('leaderboard').length).toBeLessThanOrEqual(3);
  });
});
