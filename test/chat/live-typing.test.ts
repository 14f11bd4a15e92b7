/**
 * Live typing: the anchor's tool streams the AI reply, viewers watch it grow over the room
 * WebSocket, nothing is stored, and bad input is refused without touching other rooms. With
 * TEST_REDIS_URL the bus, presence and rate limits are Redis's, and a second bus (another
 * instance) sees the same frames.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDependencies } from '../../src/app.js';
import { RedisRateLimiter } from '../../src/infra/rate-limiter.js';
import type { RedisClient } from '../../src/infra/redis.js';
import type { DomainEvent } from '../../src/realtime/events.js';
import { RedisEventBus } from '../../src/realtime/redis-event-bus.js';
import { RedisPresence } from '../../src/realtime/redis-presence.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { registerAnchor, TestClient } from '../helpers/client.js';
import { connectTestRedis, deletePrefix, silentLog, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { openRoom, postMessages, setLive } from '../helpers/rooms.js';
import { WsClient } from '../realtime/ws-client.js';

let t: TestApp;
let base: string;
let redis: RedisClient | undefined;
let otherInstanceBus: RedisEventBus | undefined;
const otherInstanceEvents: DomainEvent[] = [];
const prefix = uniquePrefix();
const sockets: WsClient[] = [];

async function sharedStateDeps(): Promise<Partial<AppDependencies>> {
  if (!TEST_REDIS_URL) return {};
  redis = await connectTestRedis();
  const presence = new RedisPresence(redis, { prefix, ttlMs: 3_000, log: silentLog });
  await presence.start();
  otherInstanceBus = await RedisEventBus.connect({ url: TEST_REDIS_URL, prefix, heartbeatMs: 1_000, log: silentLog });
  otherInstanceBus.subscribe((event) => otherInstanceEvents.push(event));
  return {
    rateLimiter: new RedisRateLimiter(redis, `${prefix}rl:`),
    eventBus: await RedisEventBus.connect({ url: TEST_REDIS_URL, prefix, heartbeatMs: 1_000, log: silentLog }),
    presence,
  };
}

beforeAll(async () => {
  t = await createTestApp({ deps: await sharedStateDeps() });
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
  await otherInstanceBus?.close();
  if (redis) {
    await redis.close();
    await deletePrefix(TEST_REDIS_URL, prefix);
  }
});

async function watch(roomId: string): Promise<WsClient> {
  const socket = await WsClient.connect(`ws://${base}/ws/chat/${roomId}`, { origin: t.config.publicUrl });
  sockets.push(socket);
  await socket.untilCount('hello', 1);
  return socket;
}

async function liveRoom() {
  const anchor = await registerAnchor(t.app);
  const roomId = await openRoom(anchor.client, { character_name: 'Seraphina' });
  await setLive(anchor.client, roomId);
  return { anchor, roomId };
}

function type(anchor: TestClient, roomId: string, body: unknown) {
  return anchor.post(`/api/anchor/rooms/${roomId}/typing`, body);
}

/** Waits for the next rate-limit window, so a test starts with the room's full allowance. */
async function freshSecond(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1_000 - (Date.now() % 1_000) + 20));
}

describe('live typing', () => {
  it('viewers see the reply grow at its floor, then the real line; nothing is stored', async () => {
    const { anchor, roomId } = await liveRoom();
    const viewer = await watch(roomId);
    expect((await postMessages(anchor.client, roomId, { name: 'Anchor', is_user: true, mes: 'Hello?' })).statusCode).toBe(200);

    for (const text of ['Gree', 'Greetings, tr', 'Greetings, traveller.']) {
      const res = await type(anchor.client, roomId, { floor: 1, text });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ code: 0, data: { floor: 1, done: false } });
    }
    await viewer.untilCount('chat_live_typing', 3);
    expect(viewer.of('chat_live_typing')).toEqual([
      { floor: 1, text: 'Gree', sender_name: 'Seraphina', done: false },
      { floor: 1, text: 'Greetings, tr', sender_name: 'Seraphina', done: false },
      { floor: 1, text: 'Greetings, traveller.', sender_name: 'Seraphina', done: false },
    ]);

    // Typing left no trace: the history still holds only the user line.
    const history = await new TestClient(t.app).get('/api/live/get_live_chat_history', { query: { room_id: roomId } });
    expect(history.json().data.chat_info.map((line: { floor: number }) => line.floor)).toEqual([0]);

    expect((await type(anchor.client, roomId, { floor: 1, text: 'Greetings, traveller.', done: true })).json().data).toEqual({ floor: 1, done: true });
    expect((await postMessages(anchor.client, roomId, { name: 'Seraphina', is_user: false, mes: 'Greetings, traveller.' })).statusCode).toBe(200);
    await viewer.until((v) => v.of('chat_live_message').some((m) => m.floor === 1), 'the real line');
    const order = viewer.frames.filter((f) => f.type.startsWith('chat_live')).map((f) => [f.type, f.data.floor, f.data.done ?? f.data.op]);
    expect(order).toEqual([
      ['chat_live_message', 0, 'add'],
      ['chat_live_typing', 1, false],
      ['chat_live_typing', 1, false],
      ['chat_live_typing', 1, false],
      ['chat_live_typing', 1, true],
      ['chat_live_message', 1, 'add'],
    ]);

    if (otherInstanceBus) {
      const crossed = () => otherInstanceEvents.filter((e) => e.type === 'chat_live_typing' && e.room_id === roomId).length;
      const deadline = Date.now() + 5_000;
      while (crossed() < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(crossed()).toBe(4);
    }
  });

  it('refuses typing for unknown rooms, other anchors\' rooms, oversized text and floors far ahead, without touching other rooms', async () => {
    const { anchor, roomId } = await liveRoom();
    const other = await liveRoom();
    const otherViewer = await watch(other.roomId);
    const stranger = await registerAnchor(t.app);

    const unknown = await type(anchor.client, 'no-such-room', { floor: 0, text: 'x' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 1, error: 'room_not_found' });
    const foreign = await type(stranger.client, roomId, { floor: 0, text: 'x' });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ code: 1, error: 'room_not_found' });
    const oversized = await type(anchor.client, roomId, { floor: 0, text: 'x'.repeat(20_001) });
    expect(oversized.statusCode).toBe(413);
    expect(oversized.json()).toMatchObject({ code: 1, error: 'typing_too_long' });
    // An empty chat's next floor is 0; two more are allowed for lines still on their way.
    expect((await type(anchor.client, roomId, { floor: 2, text: 'x' })).statusCode).toBe(200);
    const farAhead = await type(anchor.client, roomId, { floor: 3, text: 'x' });
    expect(farAhead.statusCode).toBe(400);
    expect(farAhead.json()).toMatchObject({ code: 1, error: 'floor_out_of_range', next_floor: 0 });
    const malformed = await type(anchor.client, roomId, { floor: -1, text: 'x' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 1 });
    const viewerSession = new TestClient(t.app);
    expect((await type(viewerSession, roomId, { floor: 0, text: 'x' })).statusCode).toBe(401);

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(otherViewer.of('chat_live_typing')).toEqual([]);
  });

  it('too many updates in a second are refused with 429 for that room only', async () => {
    const { anchor, roomId } = await liveRoom();
    const other = await liveRoom();
    await freshSecond();
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await type(anchor.client, roomId, { floor: 0, text: `t${i}` })).statusCode);
    expect(statuses.filter((s) => s === 200).length).toBe(12);
    const refused = await type(anchor.client, roomId, { floor: 0, text: 'again' });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 1, error: 'rate_limited' });
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await type(other.anchor.client, other.roomId, { floor: 0, text: 'fine' })).statusCode).toBe(200);
  });
});
