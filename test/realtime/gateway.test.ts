/**
 * The gateway on its own, over real sockets, with an in-memory room feed whose timing the tests
 * control: events racing a join, slow readers, bad frames, dead peers, caps and shutdown.
 */
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GUEST_COOKIE, RequestAuth } from '../../src/accounts/auth.js';
import { routeAuth } from '../../src/accounts/route-auth.js';
import { AccountsService, type Viewer } from '../../src/accounts/service.js';
import type { RealtimeConfig } from '../../src/config.js';
import { apiDocs } from '../../src/http/api-docs.js';
import { installErrorHandling } from '../../src/http/error-handler.js';
import { forbidden, notFound, tooManyRequests } from '../../src/http/errors.js';
import { ErrorBody } from '../../src/http/schemas.js';
import { MemoryRateLimiter } from '../../src/infra/rate-limiter.js';
import type { TelemetryCounter } from '../../src/infra/telemetry.js';
import type { LiveMessageData, UserMessageData } from '../../src/realtime/schemas.js';
import type { ChatFeed, LiveMessageItem, RoomDirectory, TranscriptChanges } from '../../src/realtime/feed.js';
import type { RealtimeGateway } from '../../src/realtime/gateway.js';
import { MemoryEventBus } from '../../src/realtime/memory-event-bus.js';
import { MemoryPresence } from '../../src/realtime/presence.js';
import { realtimeFeature } from '../../src/realtime/plugin.js';
import { createTestDatabase, testConfig, type TestDatabase } from '../helpers/app.js';
import { type Frame, WsClient } from './ws-client.js';

/** Rooms and chat in memory; `duringJoin` runs while a joining socket reads its cursor. */
class FakeFeed implements RoomDirectory, ChatFeed {
  readonly rooms = new Map<string, { live_status: boolean; room_type: number }>();
  readonly live = new Map<string, LiveMessageItem[]>();
  readonly user = new Map<string, UserMessageData[]>();
  duringJoin?: () => Promise<void>;
  private nextUserId = 0;

  constructor(private readonly bus: MemoryEventBus) {}

  /** This gateway test has no notification sockets' followers. */
  async followersAmong(): Promise<string[]> {
    return [];
  }

  async getRoom(roomId: string) {
    const room = this.rooms.get(roomId);
    if (!room) throw notFound('room_not_found', 'Room not found');
    return room;
  }

  async assertCanEnter(_viewer: Viewer, roomId: string) {
    const room = await this.getRoom(roomId);
    if (room.room_type !== 0) throw forbidden('vip_required', 'VIP room');
  }

  async postViewerMessage(viewer: Viewer, roomId: string, text: string): Promise<UserMessageData> {
    if (text.trim() === '') throw tooManyRequests('no', 1, 'invalid_message');
    this.nextUserId += 1;
    const username = viewer.kind === 'user' ? viewer.user.username : viewer.guestName;
    const message: UserMessageData = { id: this.nextUserId, uid: '', username, user_message: text, send_date: new Date().toISOString(), badges: [] };
    this.user.get(roomId)!.push(message);
    await this.bus.publish({ type: 'chat_user_message', room_id: roomId, data: message });
    return message;
  }

  async addLive(roomId: string, floor: number, text = `line ${floor}`, publish = true): Promise<void> {
    const item = { floor, is_user: floor % 2 === 0, live_message: text, live_message_html: text, sender_name: 'Aria', send_date: new Date().toISOString() };
    const lines = this.live.get(roomId)!;
    lines.push(item);
    lines.sort((a, b) => a.floor - b.floor);
    const data: LiveMessageData = { op: 'add', ...item };
    if (publish) await this.bus.publish({ type: 'chat_live_message', room_id: roomId, data });
  }

  async liveMessagesAfter(roomId: string, afterFloor: number, limit: number) {
    return this.live.get(roomId)!.filter((item) => item.floor > afterFloor).slice(0, limit);
  }

  async userMessagesAfter(roomId: string, afterId: number, limit: number) {
    return this.user.get(roomId)!.filter((item) => item.id > afterId).slice(0, limit);
  }

  /** What changesSince answers (the real query is tested in test/realtime/websocket.test.ts). */
  changes: TranscriptChanges = { live: [], deletedUserMessageIds: [], complete: true };
  readonly changesAsked: Array<{ since: number; upToFloor: number; upToUserMessageId: number }> = [];

  async changesSince(_roomId: string, since: number, upToFloor: number, upToUserMessageId: number) {
    this.changesAsked.push({ since, upToFloor, upToUserMessageId });
    return this.changes;
  }

  async roomCursor(roomId: string) {
    await this.duringJoin?.();
    const live = this.live.get(roomId)!;
    const user = this.user.get(roomId)!;
    return { last_floor: live.at(-1)?.floor ?? -1, last_user_message_id: user.at(-1)?.id ?? 0 };
  }

  addRoom(roomId: string, roomType = 0): void {
    this.rooms.set(roomId, { live_status: true, room_type: roomType });
    this.live.set(roomId, []);
    this.user.set(roomId, []);
  }
}

const FAST: Partial<RealtimeConfig> = {
  pingIntervalMs: 60_000,
  heartbeatMs: 60_000,
  liveNumIntervalMs: 50,
  maxBufferedBytes: 256 * 1024,
  inboundMaxMessages: 5,
  inboundWindowMs: 60_000,
  maxConnectionsPerIp: 6,
};

interface Server {
  app: FastifyInstance;
  url: string;
  feed: FakeFeed;
  bus: MemoryEventBus;
  gateway: RealtimeGateway;
  counted: TelemetryCounter[];
}

let database: TestDatabase;
const servers: Server[] = [];
const clients: WsClient[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.terminate();
  for (const server of servers.splice(0)) await server.app.close();
});

async function startServer(realtime: Partial<RealtimeConfig> = {}): Promise<Server> {
  const base = testConfig();
  const config = { ...base, realtime: { ...base.realtime, ...FAST, ...realtime } };
  const app = Fastify({ logger: false, routerOptions: { ignoreTrailingSlash: true } });
  installErrorHandling(app);
  app.addSchema(ErrorBody);
  await app.register(cookie, { secret: config.cookieSecret });
  const { sessionTtlDays, loginMaxFailures, loginWindowSeconds, loginMaxAttemptsPerOrigin, loginSlowdownMaxMs, registerMaxPerOrigin, registerWindowSeconds, passwordHashCost, passwordHashConcurrency, passwordHashMaxWaiting } = config;
  const accounts = new AccountsService(database.db, new MemoryRateLimiter(), {
    sessionTtlDays,
    loginMaxFailures,
    loginWindowSeconds,
    loginMaxAttemptsPerOrigin,
    loginSlowdownMaxMs,
    registerMaxPerOrigin,
    registerWindowSeconds,
    passwordHashCost,
    passwordHashConcurrency,
    passwordHashMaxWaiting,
  });
  const bus = new MemoryEventBus();
  const feed = new FakeFeed(bus);
  /** What the gateway counted for /metrics. */
  const counted: TelemetryCounter[] = [];
  feed.addRoom('free');
  feed.addRoom('vip', 1);
  await app.register(apiDocs);
  await app.register(routeAuth, { auth: new RequestAuth(accounts, { cookieSecure: false }) });
  await app.register(realtimeFeature, {
    config: config.realtime,
    originPolicy: config,
    rooms: feed,
    chat: feed,
    eventBus: bus,
    presence: new MemoryPresence(),
    telemetry: { count: (counter) => counted.push(counter) },
  });
  const gateway = app.realtime;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  const server = { app, url: `ws://127.0.0.1:${address.port}`, feed, bus, gateway, counted };
  servers.push(server);
  return server;
}

async function connect(server: Server, path: string, headers: Record<string, string> = {}): Promise<WsClient> {
  const client = await WsClient.connect(server.url + path, headers);
  clients.push(client);
  return client;
}

function guestCookie(server: Server, name: string): Record<string, string> {
  return { cookie: `${GUEST_COOKIE}=${encodeURIComponent(server.app.signCookie(name))}` };
}

describe('joining a room', () => {
  it('greets with hello, then delivers events live; unknown and VIP rooms are closed with 4404 / 4403', async () => {
    const server = await startServer();
    await server.feed.addLive('free', 0);
    const viewer = await connect(server, '/ws/chat/free/');
    await viewer.untilCount('hello', 1);
    expect(viewer.frames[0]).toEqual({
      type: 'hello',
      data: { room_id: 'free', live_status: true, live_num: 1, last_floor: 0, last_user_message_id: 0, resume_complete: true, server_time: expect.any(Number), heartbeat_ms: 60_000 },
    });
    await server.feed.addLive('free', 1, 'hi there');
    await viewer.untilCount('chat_live_message', 1);
    expect(viewer.of('chat_live_message')[0]).toMatchObject({ op: 'add', floor: 1, live_message: 'hi there' });

    expect((await (await connect(server, '/ws/chat/nope')).closed).code).toBe(4404);
    expect((await (await connect(server, '/ws/chat/vip')).closed).code).toBe(4403);
  });

  it('events committed while a resuming socket reads its replay arrive exactly once, in order', async () => {
    const server = await startServer();
    for (const floor of [0, 1, 2]) await server.feed.addLive('free', floor);
    await server.feed.postViewerMessage({ kind: 'guest', guestName: 'g1' }, 'free', 'first');
    // Two lines and a viewer message land between the subscription and the history read.
    server.feed.duringJoin = async () => {
      server.feed.duringJoin = undefined;
      await server.feed.addLive('free', 3);
      await server.feed.addLive('free', 4);
      await server.feed.postViewerMessage({ kind: 'guest', guestName: 'g2' }, 'free', 'racing');
    };
    const viewer = await connect(server, '/ws/chat/free?after_floor=1&after_user_message_id=0');
    await viewer.untilCount('chat_live_message', 3);
    await server.feed.addLive('free', 5);
    await viewer.untilCount('chat_live_message', 4);
    await viewer.untilCount('chat_user_message', 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(viewer.frames[0]!.type).toBe('hello');
    expect(viewer.of('chat_live_message').map((item) => item.floor)).toEqual([2, 3, 4, 5]);
    expect(viewer.of('chat_user_message').map((item) => item.user_message)).toEqual(['first', 'racing']);
  });

  it.each([
    ['a plain', ''],
    ['a batch-mode', '&batch=1'],
  ])('a line replayed on resume whose live copy comes late (the bus lags the database) arrives once on %s socket', async (_kind, mode) => {
    const server = await startServer();
    for (const floor of [0, 1]) await server.feed.addLive('free', floor);
    // Committed on another instance: stored, its event still on the way when the viewer resumes.
    await server.feed.addLive('free', 2, 'line 2', false);
    const message = { id: 41, uid: '', username: 'g', user_message: 'late', send_date: new Date().toISOString(), badges: [] };
    server.feed.user.get('free')!.push(message);
    const viewer = await connect(server, `/ws/chat/free?after_floor=0&after_user_message_id=0${mode}`);
    await viewer.untilCount('chat_user_message', 1);
    await server.bus.publish({ type: 'chat_live_message', room_id: 'free', data: { op: 'add', ...server.feed.live.get('free')![2]! } });
    await server.bus.publish({ type: 'chat_user_message', room_id: 'free', data: message });
    await server.feed.addLive('free', 3);
    await viewer.untilCount('chat_live_message', 3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(viewer.of('chat_live_message').map((item) => item.floor)).toEqual([1, 2, 3]);
    expect(viewer.of('chat_user_message').map((item) => item.id)).toEqual([41]);
  });

  it('after the bus lost events, a catch-up delivers each missed line once, and not the older history', async () => {
    const server = await startServer();
    await server.feed.addLive('free', 0);
    const viewer = await connect(server, '/ws/chat/free');
    await viewer.untilCount('hello', 1);
    await server.feed.addLive('free', 1);
    // Lost on the way: stored, never announced; floor 3 arrives live before the catch-up runs.
    await server.feed.addLive('free', 2, 'lost', false);
    await server.feed.addLive('free', 3);
    await server.gateway.catchUp(Date.now() - 1000);
    await server.gateway.catchUp(Date.now() - 1000);
    // The late live copy of a caught-up line is dropped.
    await server.bus.publish({ type: 'chat_live_message', room_id: 'free', data: { op: 'add', floor: 2, is_user: true, live_message: 'lost', live_message_html: 'lost', sender_name: 'Aria', send_date: '' } });
    await server.feed.addLive('free', 4);
    await viewer.untilCount('chat_live_message', 4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(viewer.of('chat_live_message').map((item) => item.floor)).toEqual([1, 3, 2, 4]);
  });

  it('a catch-up also sends the edits and deletions made during the gap, among what viewers had', async () => {
    const server = await startServer();
    await server.feed.addLive('free', 0);
    await server.feed.addLive('free', 1);
    const viewer = await connect(server, '/ws/chat/free');
    await viewer.untilCount('hello', 1);
    const swipe: LiveMessageData = { op: 'replace', floor: 0, is_user: true, live_message: 'second swipe', live_message_html: 'second swipe', sender_name: 'Aria', send_date: '' };
    const removal: LiveMessageData = { op: 'delete', floor: 1, is_user: false, live_message: '', live_message_html: '', sender_name: '', send_date: '' };
    server.feed.changes = { live: [swipe, removal], deletedUserMessageIds: [7], complete: true };
    await server.gateway.catchUp(123_000);
    await viewer.untilCount('chat_user_message_deleted', 1);
    expect(server.feed.changesAsked).toEqual([{ since: 123_000, upToFloor: 1, upToUserMessageId: 0 }]);
    expect(viewer.of('chat_live_message')).toEqual([swipe, removal]);
    expect(viewer.of('chat_user_message_deleted')).toEqual([{ id: 7 }]);
  });

  it('batch mode carries several events in one frame', async () => {
    const server = await startServer();
    const viewer = await connect(server, '/ws/chat/free?batch=1');
    await viewer.untilCount('hello', 1);
    let frames = 0;
    viewer.socket.on('message', () => (frames += 1));
    await Promise.all([1, 2, 3, 4].map((floor) => server.feed.addLive('free', floor)));
    await viewer.untilCount('chat_live_message', 4);
    expect(viewer.of('chat_live_message').map((item) => item.floor)).toEqual([1, 2, 3, 4]);
    expect(frames).toBeLessThan(4);
  });

  it('counts a guest with three tabs once in live_num', async () => {
    const server = await startServer();
    const tabs = await Promise.all([1, 2, 3].map(() => connect(server, '/ws/chat/free', guestCookie(server, '游客Tabs01'))));
    const other = await connect(server, '/ws/chat/free');
    await other.until((c) => c.of('live_num').at(-1)?.live_num === 2, 'live_num 2');
    await tabs[0]!.close();
    await tabs[1]!.close();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(other.of('live_num').at(-1)?.live_num).toBe(2);
    await tabs[2]!.close();
    await other.until((c) => c.of('live_num').at(-1)?.live_num === 1, 'live_num 1');
  });
});

describe('coalescing (batch mode)', () => {
  /** Raw text frames from now on, each split into the events it carries. */
  function recordFrames(client: WsClient): Frame[][] {
    const frames: Frame[][] = [];
    client.socket.on('message', (data: Buffer) => frames.push(data.toString('utf8').split('\n').map((line) => JSON.parse(line) as Frame)));
    return frames;
  }
  const floorsOf = (frame: Frame[]) => frame.filter((event) => event.type === 'chat_live_message').map((event) => event.data.floor);
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  it('gives a batch-mode viewer the events of one tick in one frame, in order; plain and legacy sockets one frame per event', async () => {
    const server = await startServer({ coalesceMs: 200, liveNumIntervalMs: 60_000 });
    const batch = await connect(server, '/ws/chat/free?batch=1');
    const plain = await connect(server, '/ws/chat/free');
    const legacy = await connect(server, '/ws/chat/free/free-room');
    await Promise.all([batch, plain, legacy].map((client) => client.untilCount('hello', 1)));
    const [batchFrames, plainFrames, legacyFrames] = [batch, plain, legacy].map(recordFrames);
    // Published in separate event-loop turns, all within one tick.
    for (const floor of [1, 2, 3, 4]) {
      await server.feed.addLive('free', floor);
      await nextTurn();
    }
    await Promise.all([batch, plain, legacy].map((client) => client.untilCount('chat_live_message', 4)));
    expect(batchFrames!.map(floorsOf)).toEqual([[1, 2, 3, 4]]);
    expect(plainFrames!.map(floorsOf)).toEqual([[1], [2], [3], [4]]);
    expect(legacyFrames!.map(floorsOf)).toEqual([[1], [2], [3], [4]]);
  });

  it('loses and repeats nothing across many ticks, also for a viewer resuming while events flow', async () => {
    const server = await startServer({ coalesceMs: 2 });
    const early = await connect(server, '/ws/chat/free?batch=1');
    const plain = await connect(server, '/ws/chat/free');
    await Promise.all([early.untilCount('hello', 1), plain.untilCount('hello', 1)]);
    let resuming: Promise<WsClient> | undefined;
    for (let floor = 0; floor < 300; floor++) {
      await server.feed.addLive('free', floor);
      if (floor === 100) resuming = connect(server, '/ws/chat/free?batch=1&after_floor=49');
      if (floor % 7 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const late = await resuming!;
    const floors = (from: number) => Array.from({ length: 300 - from }, (_, i) => from + i);
    for (const [client, from] of [[early, 0], [plain, 0], [late, 50]] as const) {
      await client.untilCount('chat_live_message', 300 - from);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(client.of('chat_live_message').map((item) => item.floor)).toEqual(floors(from));
    }
  });

  it('splits a big tick into frames that each stay far below the slow-client limit', async () => {
    const server = await startServer({ coalesceMs: 50, maxBufferedBytes: 64 * 1024 });
    const viewer = await connect(server, '/ws/chat/free?batch=1');
    await viewer.untilCount('hello', 1);
    const frames: Buffer[] = [];
    viewer.socket.on('message', (data: Buffer) => frames.push(data));
    const text = 'z'.repeat(3 * 1024);
    for (let floor = 0; floor < 40; floor++) await server.feed.addLive('free', floor, text);
    await viewer.untilCount('chat_live_message', 40);
    expect(viewer.socket.readyState).toBe(WebSocket.OPEN);
    expect(frames.length).toBeGreaterThan(1);
    expect(frames.length).toBeLessThan(40);
    expect(Math.max(...frames.map((frame) => frame.length))).toBeLessThanOrEqual(16 * 1024);
  });
});

describe('protecting the server', () => {
  it('answers bad frames with errors, closes floods and oversized frames, and keeps serving others', async () => {
    const server = await startServer();
    const bystander = await connect(server, '/ws/chat/free');
    const bad = await connect(server, '/ws/chat/free');
    await bad.untilCount('hello', 1);
    bad.send('{not json');
    bad.send({ type: 'dance' });
    bad.send({ type: 'chat_user_message', user_message: 42 });
    bad.send({ type: 'ping' });
    await bad.untilCount('error', 3);
    expect(bad.of('error').map((e) => e.error)).toEqual(['invalid_json', 'unknown_type', 'invalid_message']);
    expect(bad.frames.some((frame) => frame.type === 'pong')).toBe(true);
    // Limit is 5 per window: the 6th..10th get rate_limited, the 11th closes the socket.
    for (let i = 0; i < 7; i++) bad.send({ type: 'ping' });
    expect((await bad.closed).code).toBe(4029);
    expect(bad.of('error').some((e) => e.error === 'rate_limited')).toBe(true);
    expect(server.counted.filter((counter) => counter === 'websocket_rate_limited').length).toBeGreaterThanOrEqual(2);

    const huge = await connect(server, '/ws/chat/free');
    await huge.untilCount('hello', 1);
    huge.send({ type: 'chat_user_message', user_message: 'x'.repeat(20 * 1024) });
    expect((await huge.closed).code).toBe(1009);

    await server.feed.addLive('free', 7);
    await bystander.untilCount('chat_live_message', 1);
    expect(bystander.socket.readyState).toBe(WebSocket.OPEN);
  });

  it.each([
    ['', ''],
    [' in batch mode', '?batch=1'],
  ])('drops a reader that stopped reading (4008) once its buffer is full, without holding more%s', async (_mode, query) => {
    // Batch frames flushed every event-loop turn, so the yields below let the healthy reader keep up.
    const server = await startServer({ maxBufferedBytes: 64 * 1024, coalesceMs: 0 });
    const healthy = await connect(server, `/ws/chat/free${query}`);
    const slow = await connect(server, `/ws/chat/free${query}`);
    await Promise.all([healthy.untilCount('hello', 1), slow.untilCount('hello', 1)]);
    // Stop reading from the socket, like a client on a dead-slow link.
    (slow.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const text = 'y'.repeat(16 * 1024);
    // Up to 64 MB: more than the kernel's socket buffers can hold (loopback receive buffers autotune up to 32 MB here).
    for (let floor = 0; floor < 4000 && server.gateway.connectionCount('free') === 2; floor++) {
      await server.feed.addLive('free', floor, text);
      // The test's own client shares this event loop: it reads only while the loop yields, so yield
      // before the healthy reader's 64 KiB could fill (two 16 KB lines at a time).
      if (floor % 2 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(server.gateway.connectionCount('free')).toBe(1);
    (slow.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    const closed = await slow.closed;
    expect(closed.code).toBe(4008);
    expect(server.counted).toEqual(['websocket_slow_clients_dropped']);
    await healthy.until((c) => c.of('chat_live_message').length === server.feed.live.get('free')!.length, 'all lines');
  });

  it('sends a heartbeat frame to a socket it has had nothing to say to, and none while frames flow', async () => {
    const server = await startServer({ heartbeatMs: 60 });
    const quiet = await connect(server, '/ws/chat/free');
    await quiet.untilCount('hello', 1);
    expect(quiet.of('hello')[0]!.heartbeat_ms).toBe(60);
    await quiet.until((c) => c.frames.filter((f) => f.type === 'heartbeat').length >= 3, 'three heartbeats');

    const busy = await connect(server, '/ws/chat/free');
    await busy.untilCount('hello', 1);
    const heartbeatsBefore = busy.frames.filter((f) => f.type === 'heartbeat').length;
    // A line every 20 ms keeps the socket busy: no tick finds it idle.
    for (let floor = 0; floor < 25; floor++) {
      await server.feed.addLive('free', floor);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await busy.untilCount('chat_live_message', 25);
    // Idle for 500 ms it would have had about 8; a slow timer on a busy machine may let one or two through.
    expect(busy.frames.filter((f) => f.type === 'heartbeat').length - heartbeatsBefore).toBeLessThan(4);
  });

  it('terminates a connection that stops answering pings', async () => {
    const server = await startServer({ pingIntervalMs: 40 });
    const socket = new WebSocket(`${server.url}/ws/chat/free`, { autoPong: false });
    const alive = await connect(server, '/ws/chat/free');
    const code = await new Promise<number>((resolve) => socket.on('close', (c) => resolve(c)));
    expect(code).toBe(1006);
    expect(alive.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('refuses foreign origins and connections beyond the per-IP cap', async () => {
    const server = await startServer({ maxConnectionsPerIp: 2 });
    await expect(connect(server, '/ws/chat/free', { origin: 'https://evil.example' })).rejects.toThrow('403');
    await connect(server, '/ws/chat/free', { origin: 'http://localhost:8080' });
    await connect(server, '/ws/chat/free');
    await expect(connect(server, '/ws/chat/free')).rejects.toThrow('429');
  });

  it('closes every socket with 1001 when the app shuts down', async () => {
    const server = await startServer();
    const viewer = await connect(server, '/ws/chat/free');
    await viewer.untilCount('hello', 1);
    servers.splice(servers.indexOf(server), 1);
    await server.app.close();
    expect((await viewer.closed).code).toBe(1001);
  });
});
