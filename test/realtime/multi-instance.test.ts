/**
 * Two real server processes sharing PostgreSQL and a private Redis behave as one service: events
 * cross instances, live_num counts both, a killed instance's viewers drop out, and a Redis restart
 * loses nothing for a client that resumes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/app.js';
import { freePort } from '../helpers/ports.js';
import { hasRedisServerBinary, PrivateRedis, uniquePrefix } from '../helpers/redis.js';
import { adjustDiamonds } from '../../src/wallet/index.js';
import { WsClient } from './ws-client.js';

const PRESENCE_TTL_MS = 1_500;

interface Instance {
  base: string;
  ws: string;
  child: ChildProcess;
}

let database: TestDatabase;
let redis: PrivateRedis;
const prefix = uniquePrefix();
const children: ChildProcess[] = [];
const sockets: WsClient[] = [];

async function startInstance(): Promise<Instance> {
  // Another process may grab the free port before the child binds it: try a few.
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnInstance(await freePort());
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

async function spawnInstance(port: number): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    stdio: 'ignore',
    env: {
      ...process.env,
      ...database.env,
      REDIS_URL: redis.url,
      REDIS_PREFIX: prefix,
      COOKIE_SECRET: 'shared-cluster-secret',
      PORT: String(port),
      HOST: '127.0.0.1',
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      PASSWORD_HASH_COST: '10',
      PRESENCE_TTL_MS: String(PRESENCE_TTL_MS),
      BUS_HEARTBEAT_MS: '200',
      LIVE_NUM_INTERVAL_MS: '100',
    },
  });
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return { base, ws: `ws://127.0.0.1:${port}`, child };
    } catch {
      // still starting
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error('instance did not start');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function call(base: string, method: string, path: string, options: { body?: unknown; token?: string; cookie?: string } = {}) {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.cookie ? { cookie: options.cookie } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const json = (await res.json()) as { data: Record<string, unknown> };
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return { data: json.data, cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') };
}

async function liveRoom(instance: Instance): Promise<{ roomId: string; say: (mes: string) => Promise<unknown> }> {
  const anchor = await call(instance.base, 'POST', '/api/anchor/register', { body: { username: `anchor_${uniquePrefix().slice(5, 17).replace(/:/g, '_')}`, password: 'correct horse battery' } });
  const token = String(anchor.data.token);
  const room = await call(instance.base, 'POST', '/api/anchor/rooms', { token, body: { character_name: 'Seraphina', character_date: prefix } });
  const roomId = (room.data.room as { room_id: string }).room_id;
  await call(instance.base, 'POST', `/api/anchor/rooms/${roomId}/live`, { token, body: { live_status: 'start' } });
  return {
    roomId,
    say: (mes) => call(instance.base, 'POST', `/api/anchor/rooms/${roomId}/messages`, { token, body: { name: 'Seraphina', is_user: false, mes } }),
  };
}

async function watch(instance: Instance, roomId: string, query = '', cookie?: string): Promise<WsClient> {
  const socket = await WsClient.connect(`${instance.ws}/ws/chat/${roomId}${query}`, cookie ? { cookie } : {});
  sockets.push(socket);
  await socket.untilCount('hello', 1);
  return socket;
}

async function liveNum(instance: Instance, roomId: string): Promise<number> {
  const info = await call(instance.base, 'GET', `/api/live/get_live_info?room_id=${roomId}`);
  return (info.data.live_info as { live_num: number }).live_num;
}

/**
 * Floors added, in arrival order. A catch-up after a gap may also resend lines written during it as
 * `replace` with their current text (idempotent); those are not additions.
 */
const floors = (socket: WsClient) =>
  socket
    .of('chat_live_message')
    .filter((m) => m.op === 'add')
    .map((m) => m.floor as number);

describe.skipIf(!TEST_DATABASE_URL || !hasRedisServerBinary)('two instances behind one address', () => {
  let a: Instance;

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await PrivateRedis.start();
    a = await startInstance();
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.socket.terminate();
    for (const child of children) child.kill('SIGKILL');
    await redis?.stop();
    await database?.close();
  });

  it('a viewer on B gets what is posted through A; live_num counts both; a killed B drops out', async () => {
    const b = await startInstance();
    const { roomId, say } = await liveRoom(a);
    const viewer = await call(a.base, 'POST', '/api/users/register', { body: { username: `v_${process.pid}_${Date.now() % 100000}`, password: 'correct horse battery' } });
    const onA = await watch(a, roomId, '', viewer.cookie);
    const onB = await watch(b, roomId);

    await say('hello from A');
    await onB.untilCount('chat_live_message', 1);
    expect(onB.of('chat_live_message')[0]).toMatchObject({ op: 'add', floor: 0, live_message: 'hello from A' });
    onB.send({ type: 'chat_user_message', user_message: 'hello from B' });
    await onA.untilCount('chat_user_message', 1);
    expect(onA.of('chat_user_message')[0]).toMatchObject({ user_message: 'hello from B' });
    await onA.untilCount('chat_live_message', 1);

    await expect.poll(() => Promise.all([liveNum(a, roomId), liveNum(b, roomId)]), { timeout: 10_000 }).toEqual([2, 2]);
    await onA.until((s) => s.of('live_num').at(-1)?.live_num === 2, 'live_num 2 on A');

    b.child.kill('SIGKILL');
    await onB.closed;
    await expect.poll(() => liveNum(a, roomId), { timeout: 30_000, interval: 200 }).toBe(1);
    await onA.until((s) => s.of('live_num').at(-1)?.live_num === 1, 'live_num 1 on A');
  }, 120_000);

  it("a payment taken by A reaches the room owner's console socket on B, and no viewer's", async () => {
    const b = await startInstance();
    const stamp = uniquePrefix().slice(5, 17).replace(/:/g, '_');
    const anchorName = `owner_${stamp}`;
    const anchor = await call(a.base, 'POST', '/api/anchor/register', { body: { username: anchorName, password: 'correct horse battery', session: true } });
    const anchorId = String(anchor.data.uid);
    const room = await call(a.base, 'POST', '/api/anchor/rooms', { cookie: anchor.cookie, body: { character_name: 'Vault', character_date: stamp, room_type: 1, coin_num: 30 } });
    const roomId = (room.data.room as { room_id: string }).room_id;
    const payer = await call(a.base, 'POST', '/api/users/register', { body: { username: `payer_${stamp}`, password: 'correct horse battery' } });
    const payerId = String((payer.data.user_info as { uid: string }).uid);
    await adjustDiamonds(database.db, { userId: payerId, amount: 100, reason: 'test grant', now: Date.now() });

    const consoleSocket = await watch(b, roomId, '', anchor.cookie);
    await call(a.base, 'POST', '/api/live/pay_vip_coin', { cookie: payer.cookie, body: { anchor_id: anchorId, room_id: roomId, room_name: 'Vault', amount: 30 } });
    const viewerOnB = await watch(b, roomId, '', payer.cookie);
    await call(a.base, 'POST', '/api/live/send_gift', { cookie: payer.cookie, body: { room_id: roomId, gift_id: 'heart', count: 2, amount: 2 } });

    await consoleSocket.untilCount('room_payment', 2);
    expect(consoleSocket.of('room_payment')).toMatchObject([
      { type: 'vip_room', uid: payerId, amount: 30 },
      { type: 'gift', uid: payerId, amount: 2, gift_id: 'heart', count: 2 },
    ]);
    await viewerOnB.untilCount('gift', 1);
    expect(viewerOnB.of('room_payment')).toEqual([]);
  }, 120_000);

  it('a Redis restart loses no message for a client that resumes', async () => {
    const b = await startInstance();
    const { roomId, say } = await liveRoom(a);
    const first = await watch(b, roomId);
    await say('m0');
    await first.untilCount('chat_live_message', 1);

    await redis.stop();
    const duringOutage = say('m1');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await redis.restart();
    await duringOutage;
    // B's subscription notices the gap and catches up from the database.
    await first.until((s) => floors(s).includes(1), 'm1 through catch-up', 30_000);
    await say('m2');
    await new Promise((resolve) => setTimeout(resolve, 500));

    first.socket.terminate();
    const seen = floors(first);
    const resumed = await watch(b, roomId, `?after_floor=${Math.max(...seen)}&after_user_message_id=0`);
    await say('m3');
    await resumed.until((s) => floors(s).includes(3), 'm3 live after resume');
    const all = [...seen, ...floors(resumed)];
    expect([...all].sort((x, y) => x - y)).toEqual([0, 1, 2, 3]);
    for (const frame of [...first.of('chat_live_message'), ...resumed.of('chat_live_message')]) {
      if (frame.op !== 'add') expect(frame).toMatchObject({ op: 'replace', live_message: `m${String(frame.floor)}` });
    }

    // A stopping instance tells its viewers to go elsewhere.
    b.child.kill('SIGTERM');
    expect((await resumed.closed).code).toBe(1001);
  }, 120_000);
});
