/**
 * The notification socket end to end: a viewer's every open tab hears that a followed room went
 * live, once per go-live however often the anchor toggles; nobody else hears it. In-process bus by
 * default; the Redis bus with TEST_REDIS_URL (and PostgreSQL with TEST_DATABASE_URL). Two real
 * instances are covered in multi-instance.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDependencies } from '../../src/app.js';
import type { RedisClient } from '../../src/infra/redis.js';
import { RedisEventBus } from '../../src/realtime/redis-event-bus.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { registerAnchor, registerViewer, TestClient } from '../helpers/client.js';
import { connectTestRedis, deletePrefix, silentLog, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { openRoom, postMessages, setLive } from '../helpers/rooms.js';
import { WsClient } from './ws-client.js';

const COOLDOWN_MINUTES = 10;
let t: TestApp;
let base: string;
let redis: RedisClient | undefined;
const prefix = uniquePrefix();
const sockets: WsClient[] = [];
let now = Date.now();

async function busDeps(): Promise<Partial<AppDependencies>> {
  if (!TEST_REDIS_URL) return {};
  redis = await connectTestRedis();
  return { eventBus: await RedisEventBus.connect({ url: TEST_REDIS_URL, prefix, heartbeatMs: 1_000, log: silentLog }) };
}

beforeAll(async () => {
  t = await createTestApp({
    config: { goLiveNotifyCooldownMinutes: COOLDOWN_MINUTES, liveIdleMinutes: 30 },
    deps: { ...(await busDeps()), clock: () => now },
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  base = `127.0.0.1:${address.port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.socket.terminate();
  await t.close();
  await t.deps.eventBus.close();
  if (redis) {
    await redis.close();
    await deletePrefix(TEST_REDIS_URL, prefix);
  }
});

function cookieHeader(client: TestClient): string {
  return [...client.cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
}

/** A tab's notification socket, once the server has registered it (hello). */
async function openTab(client: TestClient): Promise<WsClient> {
  const socket = await WsClient.connect(`ws://${base}/ws/notifications`, { origin: t.config.publicUrl, cookie: cookieHeader(client) });
  sockets.push(socket);
  await socket.untilCount('hello', 1);
  return socket;
}

async function follow(client: TestClient, roomId: string): Promise<void> {
  const res = await client.post('/api/live/follow', { room_id: roomId, follow_status: true });
  expect(res.statusCode, res.body).toBe(200);
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('go-live notifications', () => {
  it("reach every open tab of the room's followers within 2 s, and no one else", async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client, { title: '今晚开播', character_name: 'Seraphina' });
    const fan = await registerViewer(t.app);
    const stranger = await registerViewer(t.app);
    await follow(fan.client, roomId);
    const tabs = [await openTab(fan.client), await openTab(fan.client)];
    const strangerTab = await openTab(stranger.client);
    expect(tabs[0]!.of('hello')[0]).toMatchObject({ uid: fan.uid });

    const started = Date.now();
    await setLive(anchor.client, roomId);
    for (const tab of tabs) await tab.untilCount('followed_live', 1, 2_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(tabs[1]!.of('followed_live')[0]).toEqual({
      room_id: roomId,
      room_name: 'Seraphina',
      title: '今晚开播',
      character_name: 'Seraphina',
      uid: anchor.uid,
      username: anchor.username,
      went_live_at: new Date(now).toISOString(),
    });
    await settle();
    expect(strangerTab.of('followed_live')).toEqual([]);
  });

  it('is sent once per go-live: toggling live again and again within the cooldown sends nothing more', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const fan = await registerViewer(t.app);
    await follow(fan.client, roomId);
    const tab = await openTab(fan.client);

    for (let i = 0; i < 5; i++) {
      await setLive(anchor.client, roomId, true);
      await setLive(anchor.client, roomId, false);
    }
    await tab.untilCount('followed_live', 1, 2_000);
    await settle();
    expect(tab.of('followed_live')).toHaveLength(1);

    // After the cooldown, going live is news again.
    now += COOLDOWN_MINUTES * 60_000;
    await setLive(anchor.client, roomId, true);
    await tab.untilCount('followed_live', 2, 2_000);
    await setLive(anchor.client, roomId, false);
    await setLive(anchor.client, roomId, true);
    await settle();
    expect(tab.of('followed_live')).toHaveLength(2);
  });

  it('counts a switched-on room coming back from idle as going live', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const fan = await registerViewer(t.app);
    await follow(fan.client, roomId);
    const tab = await openTab(fan.client);
    await setLive(anchor.client, roomId);
    await tab.untilCount('followed_live', 1, 2_000);

    // Idle past LIVE_IDLE_MINUTES and past the cooldown: the anchor's next line brings the room back.
    now += 31 * 60_000;
    const res = await postMessages(anchor.client, roomId, { name: 'Seraphina', is_user: false, mes: '我回来了' });
    expect(res.statusCode, res.body).toBe(200);
    await tab.untilCount('followed_live', 2, 2_000);
  });

  it("never tells the anchor about their own room, nor a viewer who unfollowed", async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const signedIn = new TestClient(t.app);
    await signedIn.post('/api/users/login', { username: anchor.username, password: 'correct horse battery' });
    await follow(signedIn, roomId);
    const anchorTab = await openTab(signedIn);
    const former = await registerViewer(t.app);
    await follow(former.client, roomId);
    await former.client.post('/api/live/follow', { room_id: roomId, follow_status: false });
    const formerTab = await openTab(former.client);
    const fan = await registerViewer(t.app);
    await follow(fan.client, roomId);
    const fanTab = await openTab(fan.client);

    await setLive(anchor.client, roomId);
    await fanTab.untilCount('followed_live', 1, 2_000);
    await settle();
    expect(anchorTab.of('followed_live')).toEqual([]);
    expect(formerTab.of('followed_live')).toEqual([]);
  });

  it('refuses guests before the upgrade, and answers pings', async () => {
    await expect(WsClient.connect(`ws://${base}/ws/notifications`, { origin: t.config.publicUrl })).rejects.toThrow('401');
    const viewer = await registerViewer(t.app);
    const tab = await openTab(viewer.client);
    tab.send({ type: 'ping' });
    await tab.untilCount('pong', 1);
  });
});
