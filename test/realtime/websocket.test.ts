/**
 * The viewer WebSocket end to end: real sockets against the real app, anchor and viewers going
 * through the HTTP API. In-process bus and presence by default; with TEST_REDIS_URL the Redis
 * implementations (and PostgreSQL with TEST_DATABASE_URL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDependencies } from '../../src/app.js';
import { RedisRateLimiter } from '../../src/infra/rate-limiter.js';
import type { RedisClient } from '../../src/infra/redis.js';
import { RedisEventBus } from '../../src/realtime/redis-event-bus.js';
import { RedisPresence } from '../../src/realtime/redis-presence.js';
import type { RoomAccessPolicy } from '../../src/rooms/access.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { registerAnchor, registerViewer, TestClient } from '../helpers/client.js';
import { connectTestRedis, deletePrefix, silentLog, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { openRoom, postMessages, setLive } from '../helpers/rooms.js';
import { WsClient } from './ws-client.js';

let t: TestApp;
let base: string;
let redis: RedisClient | undefined;
const prefix = uniquePrefix();
const sockets: WsClient[] = [];

/** VIP rooms open only to viewers named in `paidViewers`. */
const paidViewers = new Set<string>();
const roomAccess: RoomAccessPolicy = {
  canEnter: async (viewer, room) => room.room_type === 0 || (viewer.kind === 'user' && paidViewers.has(viewer.user.id)),
  subscriptionInfo: async () => ({ subscription_status: false, amount: 0, expires_at: null }),
  paidInto: async (viewer) => viewer.kind === 'user' && paidViewers.has(viewer.user.id),
};

async function sharedStateDeps(): Promise<Partial<AppDependencies>> {
  if (!TEST_REDIS_URL) return {};
  redis = await connectTestRedis();
  const presence = new RedisPresence(redis, { prefix, ttlMs: 3_000, log: silentLog });
  await presence.start();
  return {
    rateLimiter: new RedisRateLimiter(redis, `${prefix}rl:`),
    eventBus: await RedisEventBus.connect({ url: TEST_REDIS_URL, prefix, heartbeatMs: 1_000, log: silentLog }),
    presence,
  };
}

beforeAll(async () => {
  const deps = await sharedStateDeps();
  t = await createTestApp({
    config: { chatRateLimitMessages: 50 },
    deps: { ...deps, roomAccess },
  });
  t.config.realtime.liveNumIntervalMs = 50;
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  base = `127.0.0.1:${address.port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.socket.terminate();
  await t.close();
  await t.deps.eventBus.close();
  await t.deps.presence.close();
  if (redis) {
    await redis.close();
    await deletePrefix(TEST_REDIS_URL, prefix);
  }
});

function cookieHeader(client: TestClient): string {
  return [...client.cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
}

async function watch(roomId: string, client?: TestClient, query = ''): Promise<WsClient> {
  const headers: Record<string, string> = { origin: t.config.publicUrl };
  if (client?.cookies.size) headers.cookie = cookieHeader(client);
  const socket = await WsClient.connect(`ws://${base}/ws/chat/${roomId}${query}`, headers);
  sockets.push(socket);
  await socket.untilCount('hello', 1);
  return socket;
}

async function liveRoom() {
  const anchor = await registerAnchor(t.app);
  const roomId = await openRoom(anchor.client);
  await setLive(anchor.client, roomId);
  return { anchor, roomId };
}

function say(client: TestClient, roomId: string, user_message: string) {
  return client.post('/api/live/save_user_chat_history', { room_id: roomId, room_name: 'x', username: 'x', user_message });
}

const floors = (socket: WsClient) => socket.of('chat_live_message').filter((m) => m.op === 'add').map((m) => m.floor);

describe('WebSocket viewers', () => {
  it('every viewer gets each anchor message once, in floor order; replace and delete follow', async () => {
    const { anchor, roomId } = await liveRoom();
    const viewers = await Promise.all([watch(roomId), watch(roomId), watch(roomId, (await registerViewer(t.app)).client)]);
    expect(viewers[0]!.frames[0]).toMatchObject({ type: 'hello', data: { room_id: roomId, live_status: true, last_floor: -1 } });

    const batch = Array.from({ length: 5 }, (_, i) => ({ name: i % 2 ? 'Seraphina' : 'Anchor', is_user: i % 2 === 0, mes: `line ${i}` }));
    expect((await postMessages(anchor.client, roomId, { messages: batch })).statusCode).toBe(200);
    expect((await postMessages(anchor.client, roomId, { name: 'Seraphina', is_user: false, mes: 'line 5' })).statusCode).toBe(200);
    for (const viewer of viewers) await viewer.until((v) => floors(v).length === 6, '6 lines');
    for (const viewer of viewers) expect(floors(viewer)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(viewers[0]!.of('chat_live_message')[1]).toEqual({
      op: 'add',
      floor: 1,
      is_user: false,
      live_message: 'line 1',
      live_message_html: 'line 1',
      sender_name: 'Seraphina',
      send_date: expect.stringMatching(/Z$/),
    });

    expect((await postMessages(anchor.client, roomId, { floor: 1, name: 'Seraphina', is_user: false, mes: 'line 1, swiped' })).statusCode).toBe(200);
    expect((await anchor.client.delete(`/api/anchor/rooms/${roomId}/messages/2`)).statusCode).toBe(200);
    for (const viewer of viewers) {
      await viewer.until((v) => v.of('chat_live_message').some((m) => m.op === 'delete'), 'delete');
      const edits = viewer.of('chat_live_message').filter((m) => m.op !== 'add');
      expect(edits.map((m) => [m.op, m.floor])).toEqual([['replace', 1], ['delete', 2]]);
      expect(edits[0]!.live_message).toBe('line 1, swiped');
    }
  });

  it('viewer messages sent over POST and over the socket both reach every viewer; rejected ones get an error frame', async () => {
    const { roomId } = await liveRoom();
    const alice = await registerViewer(t.app);
    const aliceSocket = await watch(roomId, alice.client);
    const guest = new TestClient(t.app);
    const guestName = (await guest.get('/api/users/is_logged_in')).json().data.user_info.guest_name as string;
    const guestSocket = await watch(roomId, guest);

    expect((await say(alice.client, roomId, 'hi from http')).statusCode).toBe(200);
    guestSocket.send({ type: 'chat_user_message', user_message: 'hi from the socket' });
    for (const socket of [aliceSocket, guestSocket]) {
      await socket.untilCount('chat_user_message', 2);
      expect(socket.of('chat_user_message').map((m) => [m.username, m.user_message])).toEqual([
        [alice.username, 'hi from http'],
        [guestName, 'hi from the socket'],
      ]);
    }
    expect(aliceSocket.of('chat_user_message')[0]).toEqual({
      id: expect.any(Number),
      uid: alice.uid,
      username: alice.username,
      user_message: 'hi from http',
      send_date: expect.stringMatching(/Z$/),
      badges: [],
    });

    guestSocket.send({ type: 'chat_user_message', user_message: '   ' });
    await guestSocket.untilCount('error', 1);
    expect(guestSocket.of('error')[0]).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    expect(aliceSocket.of('chat_user_message')).toHaveLength(2);
  });

  it('a viewer who reconnects with after_floor / after_user_message_id misses nothing and sees nothing twice', async () => {
    const { anchor, roomId } = await liveRoom();
    const viewer = await registerViewer(t.app);
    await postMessages(anchor.client, roomId, { name: 'Seraphina', is_user: false, mes: 'before' });
    const first = await watch(roomId, viewer.client);
    await postMessages(anchor.client, roomId, { name: 'Seraphina', is_user: false, mes: 'seen live' });
    await say(viewer.client, roomId, 'chat seen live');
    await first.until((s) => floors(s).length === 1 && s.of('chat_user_message').length === 1, 'live messages');
    first.socket.terminate();

    // Missed while away, and more arriving while the reconnect is in progress.
    await postMessages(anchor.client, roomId, { messages: [1, 2, 3].map((i) => ({ name: 'Seraphina', is_user: false, mes: `missed ${i}` })) });
    await say(viewer.client, roomId, 'chat missed');
    const lastFloor = floors(first).at(-1);
    const lastId = first.of('chat_user_message').at(-1)!.id;
    const resuming = watch(roomId, viewer.client, `?after_floor=${String(lastFloor)}&after_user_message_id=${String(lastId)}`);
    const during = postMessages(anchor.client, roomId, { name: 'Seraphina', is_user: false, mes: 'during reconnect' });
    const second = await resuming;
    await during;
    await postMessages(anchor.client, roomId, { name: 'Seraphina', is_user: false, mes: 'after' });
    await second.until((s) => floors(s).length === 5, 'replay and live');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([...floors(first), ...floors(second)]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(second.of('chat_live_message').map((m) => m.live_message)).toEqual(['missed 1', 'missed 2', 'missed 3', 'during reconnect', 'after']);
    expect(second.of('chat_user_message').map((m) => m.user_message)).toEqual(['chat missed']);
  });

  it('a viewer who resumes with changed_since also learns of edits and deletions made while it was away', async () => {
    const { anchor, roomId } = await liveRoom();
    const viewer = await registerViewer(t.app);
    await postMessages(anchor.client, roomId, { messages: [0, 1, 2, 3].map((i) => ({ name: 'Seraphina', is_user: false, mes: `line ${i}` })) });
    await say(viewer.client, roomId, 'first comment');
    await say(viewer.client, roomId, 'second comment');
    const first = await watch(roomId, viewer.client);
    const hello = first.of('hello')[0]!;
    expect(hello).toMatchObject({ last_floor: 3, server_time: expect.any(Number) });
    first.socket.terminate();

    // While away: a swipe, a deleted line, a deleted comment, and one new line.
    const [firstComment] = (await viewer.client.get('/api/live/get_user_chat_history', { query: { room_id: roomId } })).json().data.chat_info;
    expect((await postMessages(anchor.client, roomId, { floor: 1, name: 'Seraphina', is_user: false, mes: 'line 1, second swipe' })).statusCode).toBe(200);
    expect((await anchor.client.delete(`/api/anchor/rooms/${roomId}/messages/2`)).statusCode).toBe(200);
    expect((await anchor.client.delete(`/api/anchor/rooms/${roomId}/user_messages/${String(firstComment.id)}`)).statusCode).toBe(200);
    await postMessages(anchor.client, roomId, { floor: 4, name: 'Seraphina', is_user: false, mes: 'line 4' });

    const cursor = `?after_floor=${String(hello.last_floor)}&after_user_message_id=${String(hello.last_user_message_id)}`;
    const second = await watch(roomId, viewer.client, `${cursor}&changed_since=${String(hello.server_time)}`);
    await second.until((s) => s.of('chat_live_message').length === 3 && s.of('chat_user_message_deleted').length === 1, 'changes');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(second.of('hello')[0]).toMatchObject({ resume_complete: true, last_floor: 4 });
    expect(second.of('chat_live_message').map((m) => [m.op, m.floor, m.live_message])).toEqual([
      ['replace', 1, 'line 1, second swipe'],
      ['delete', 2, ''],
      ['add', 4, 'line 4'],
    ]);
    expect(second.of('chat_user_message_deleted')).toEqual([{ id: firstComment.id }]);

    // Without changed_since a resume carries only what was added.
    const plain = await watch(roomId, viewer.client, cursor);
    await plain.until((s) => s.of('chat_live_message').length === 1, 'added line');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(plain.of('chat_live_message').map((m) => m.floor)).toEqual([4]);
    expect(plain.of('chat_user_message_deleted')).toEqual([]);

    // Changes older than the server keeps cannot be vouched for: the client must reload history.
    const tooOld = await watch(roomId, viewer.client, `${cursor}&changed_since=0`);
    expect(tooOld.of('hello')[0]).toMatchObject({ resume_complete: false });
  });

  it('a socket opened after the history with its server_time as changed_since gets the edits made in between', async () => {
    const { anchor, roomId } = await liveRoom();
    await postMessages(anchor.client, roomId, { name: 'Seraphina', is_user: false, mes: 'first take' });
    const page = (await new TestClient(t.app).get('/api/live/get_live_chat_history', { query: { room_id: roomId } })).json().data;
    expect(page.chat_info.map((m: { live_message: string }) => m.live_message)).toEqual(['first take']);
    await postMessages(anchor.client, roomId, { floor: 0, name: 'Seraphina', is_user: false, mes: 'second take' });

    const socket = await watch(roomId, undefined, `?after_floor=0&changed_since=${String(page.server_time)}`);
    await socket.untilCount('chat_live_message', 1);
    expect(socket.of('chat_live_message')[0]).toMatchObject({ op: 'replace', floor: 0, live_message: 'second take' });
  });

  it('a VIP room refuses viewers without access (4403) and admits those with it; unknown rooms close with 4404', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client, { room_type: 1, coin_num: 10 });
    const stranger = await registerViewer(t.app);
    const payer = await registerViewer(t.app);
    paidViewers.add(payer.uid);
    const refused = await WsClient.connect(`ws://${base}/ws/chat/${roomId}`, { cookie: cookieHeader(stranger.client) });
    expect((await refused.closed).code).toBe(4403);
    expect(refused.frames).toEqual([]);
    const admitted = await watch(roomId, payer.client);
    expect(admitted.frames[0]!.type).toBe('hello');
    const unknown = await WsClient.connect(`ws://${base}/ws/chat/no-such-room`);
    expect((await unknown.closed).code).toBe(4404);
  });

  it('live_num counts distinct viewers and matches get_live_info and get_all_lives', async () => {
    const { roomId } = await liveRoom();
    const user = await registerViewer(t.app);
    const guest = new TestClient(t.app);
    await guest.get('/api/users/is_logged_in');
    const tabs = [await watch(roomId, user.client), await watch(roomId, user.client), await watch(roomId, guest)];
    await tabs[2]!.until((s) => s.of('live_num').at(-1)?.live_num === 2, 'live_num 2');

    const liveNum = async () => {
      const info = await new TestClient(t.app).get('/api/live/get_live_info', { query: { room_id: roomId } });
      const all = await new TestClient(t.app).get('/api/live/get_all_lives');
      const listed = (all.json().data.lives_info as Array<{ room_id: string; live_num: number }>).find((r) => r.room_id === roomId);
      return [info.json().data.live_info.live_num as number, listed?.live_num];
    };
    await expect.poll(liveNum, { timeout: 5_000 }).toEqual([2, 2]);
    await tabs[2]!.close();
    await tabs[0]!.until((s) => s.of('live_num').at(-1)?.live_num === 1, 'live_num 1');
    await expect.poll(liveNum, { timeout: 5_000 }).toEqual([1, 1]);
  });

  it('answers a plain GET with 426 and refuses upgrades from another site', async () => {
    const { roomId } = await liveRoom();
    const plain = await new TestClient(t.app).get(`/ws/chat/${roomId}`);
    expect(plain.statusCode).toBe(426);
    expect(plain.json()).toMatchObject({ code: 1, error: 'upgrade_required' });
    await expect(WsClient.connect(`ws://${base}/ws/chat/${roomId}`, { origin: 'https://evil.example' })).rejects.toThrow('403');
  });
});
