/**
 * Payments into a room reach its owner's console live, on the room's own socket: a VIP unlock, a
 * gift and a subscription bought from the room each arrive once as a `room_payment` frame on the
 * anchor's sockets, after the payment committed, and never on a viewer's socket. With
 * TEST_REDIS_URL the events travel through Redis (and PostgreSQL with TEST_DATABASE_URL).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AppDependencies } from '../../src/app.js';
import { RedisEventBus } from '../../src/realtime/redis-event-bus.js';
import { verifyLedger } from '../../src/wallet/ledger.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { PASSWORD, registerAnchor, registerViewer, type TestClient } from '../helpers/client.js';
import { deletePrefix, silentLog, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { WsClient } from '../realtime/ws-client.js';
import { createRoom, grantDiamonds, ROOM_VIP } from './fixtures.js';

const prefix = uniquePrefix();
let t: TestApp;
let base: string;
const sockets: WsClient[] = [];

beforeAll(async () => {
  const deps: Partial<AppDependencies> = {};
  if (TEST_REDIS_URL) deps.eventBus = await RedisEventBus.connect({ url: TEST_REDIS_URL, prefix, heartbeatMs: 1_000, log: silentLog });
  t = await createTestApp({ pgPoolSize: 8, config: { platformFeePercent: 10 }, deps });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  base = `127.0.0.1:${address.port}`;
});

afterAll(async () => {
  expect(await verifyLedger(t.db)).toEqual([]);
  for (const socket of sockets) socket.socket.terminate();
  await t.close();
  await t.deps.eventBus.close();
  if (TEST_REDIS_URL) await deletePrefix(TEST_REDIS_URL, prefix);
});

function cookieHeader(client: TestClient): string {
  return [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}

async function watch(roomId: string, client?: TestClient): Promise<WsClient> {
  const headers: Record<string, string> = { origin: t.config.publicUrl };
  if (client) headers.cookie = cookieHeader(client);
  const socket = await WsClient.connect(`ws://${base}/ws/chat/${roomId}`, headers);
  sockets.push(socket);
  await socket.untilCount('hello', 1);
  return socket;
}

/** An anchor signed in with a session (as the console is) and one of their VIP rooms. */
async function anchorWithRoom() {
  const anchor = await registerAnchor(t.app);
  const login = await anchor.client.post('/api/users/login', { username: anchor.username, password: PASSWORD });
  expect(login.statusCode).toBe(200);
  anchor.client.bearer = undefined;
  const room = await createRoom(t.db, { anchorId: anchor.uid, roomType: ROOM_VIP, price: 50, name: 'The Vault' });
  return { anchor, room };
}

it('a VIP unlock, a gift and a subscription bought in the room reach the owner live, and only the owner', async () => {
  const { anchor, room } = await anchorWithRoom();
  const payer = await registerViewer(t.app);
  await grantDiamonds(t.db, payer.uid, 1_000);
  const ownerSocket = await watch(room.id, anchor.client);
  const secondOwnerSocket = await watch(room.id, anchor.client);

  const paid = await payer.client.post('/api/live/pay_vip_coin', { uid: payer.uid, anchor_id: anchor.uid, room_id: room.id, room_name: room.roomName, amount: 50 });
  expect(paid.statusCode).toBe(200);
  // The payer entered the room right after paying: their socket must not learn about payments.
  const payerSocket = await watch(room.id, payer.client);

  await ownerSocket.untilCount('room_payment', 1);
  const [unlock] = ownerSocket.of('room_payment');
  expect(unlock).toMatchObject({ type: 'vip_room', uid: payer.uid, username: payer.username, amount: 50, earned: 45 });
  const entries = (await anchor.client.get('/api/anchor/earnings/entries')).json().data.entries;
  expect(entries[0].id).toBe(unlock!.id);

  const gift = await payer.client.post('/api/live/send_gift', { room_id: room.id, gift_id: 'rose', count: 3, amount: 15 });
  expect(gift.statusCode, gift.body).toBe(200);
  const subscription = await payer.client.post('/api/live/subscribe', { anchor_id: anchor.uid, room_id: room.id });
  expect(subscription.statusCode, subscription.body).toBe(200);
  // A subscription bought elsewhere (no room) is not a payment into this room.
  expect((await payer.client.post('/api/live/subscribe', { anchor_id: anchor.uid })).statusCode).toBe(200);

  await ownerSocket.untilCount('room_payment', 3);
  await secondOwnerSocket.untilCount('room_payment', 3);
  // A retried idempotent payment changes nothing, so nothing new is announced.
  const retry = await payer.client.post('/api/live/pay_vip_coin', { uid: payer.uid, anchor_id: anchor.uid, room_id: room.id, room_name: room.roomName, amount: 50 });
  expect(retry.json().data.charged).toBe(0);
  payerSocket.send({ type: 'ping' });
  await payerSocket.untilCount('pong', 1);
  await new Promise((resolve) => setTimeout(resolve, 300));

  expect(ownerSocket.of('room_payment').map((p) => [p.type, p.amount, p.gift_id ?? null, p.count ?? null])).toEqual([
    ['vip_room', 50, null, null],
    ['gift', 15, 'rose', 3],
    ['subscription', 100, null, null],
  ]);
  expect(payerSocket.of('room_payment')).toEqual([]);
});

it("another anchor watching the room gets no payment frames, and a payment into another of the owner's rooms stays there", async () => {
  const { anchor, room } = await anchorWithRoom();
  const other = await anchorWithRoom();
  const otherRoom = await createRoom(t.db, { anchorId: anchor.uid, roomType: ROOM_VIP, price: 20 });
  const payer = await registerViewer(t.app);
  await grantDiamonds(t.db, payer.uid, 500);
  // The other anchor has unlocked the room, so they may watch it.
  await grantDiamonds(t.db, other.anchor.uid, 100);
  expect(
    (await other.anchor.client.post('/api/live/pay_vip_coin', { anchor_id: anchor.uid, room_id: room.id, room_name: room.roomName, amount: 50 })).statusCode,
  ).toBe(200);
  const ownerSocket = await watch(room.id, anchor.client);
  const strangerSocket = await watch(room.id, other.anchor.client);
  const guestSocket = await watch(otherRoom.id, anchor.client);

  await payer.client.post('/api/live/pay_vip_coin', { anchor_id: anchor.uid, room_id: otherRoom.id, room_name: otherRoom.roomName, amount: 20 });
  await payer.client.post('/api/live/pay_vip_coin', { anchor_id: anchor.uid, room_id: room.id, room_name: room.roomName, amount: 50 });
  await ownerSocket.untilCount('room_payment', 1);
  await guestSocket.untilCount('room_payment', 1);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(ownerSocket.of('room_payment').map((p) => p.amount)).toEqual([50]);
  expect(guestSocket.of('room_payment').map((p) => p.amount)).toEqual([20]);
  expect(strangerSocket.of('room_payment')).toEqual([]);
});

it("a VIP unlock puts the payer on the board of everyone watching the room", async () => {
  const { anchor, room } = await anchorWithRoom();
  const payer = await registerViewer(t.app);
  await grantDiamonds(t.db, payer.uid, 100);
  const ownerSocket = await watch(room.id, anchor.client);

  const paid = await payer.client.post('/api/live/pay_vip_coin', { anchor_id: anchor.uid, room_id: room.id, amount: 50 });
  expect(paid.statusCode).toBe(200);
  await ownerSocket.untilCount('leaderboard', 1);
  expect(ownerSocket.of('leaderboard')[0]).toMatchObject({ room_id: room.id, today: [{ uid: payer.uid, username: payer.username, diamonds: 50 }] });
});
