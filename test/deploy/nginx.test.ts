/**
 * The production shape, on loopback: two instances of the compiled server (dist/) on PostgreSQL and
 * Redis behind nginx configured from deploy/nginx.conf. Clients talk to nginx only, from several
 * loopback addresses (127.0.0.x) so the per-IP limits can tell them apart. nginx adds the answering
 * instance's address to each response here (and only here) so the test knows where a socket landed.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signIpnBody } from '../../src/payments/ipn-signature.js';
import { runLedgerVerify } from '../../src/wallet/cli-commands.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/app.js';
import { ensureServerBuild, httpCall, nginxBinary, PrivateNginx, startServerProcess, type HttpAnswer, type ServerProcess } from '../helpers/cluster.js';
import { freePort } from '../helpers/ports.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { WsClient } from '../realtime/ws-client.js';

const enginesAvailable = Boolean(TEST_DATABASE_URL && TEST_REDIS_URL);
if (!enginesAvailable) {
  console.warn('[test/deploy/nginx] skipped: needs TEST_DATABASE_URL and TEST_REDIS_URL (it runs in the PostgreSQL + Redis leg)');
} else if (!nginxBinary) {
  // CI installs nginx (.ci/run); there a missing nginx is a failure, not a skip.
  if (process.env.CI) throw new Error('nginx is not installed: .ci/run should have installed it for this test');
  console.warn('[test/deploy/nginx] skipped: nginx is not installed (apt-get install nginx libnginx-mod-http-brotli-filter)');
}

const PASSWORD = 'correct horse battery';
const IPN_SECRET = 'nginx-test-ipn-secret';
const LOGIN_MAX_FAILURES = 3;
const WS_MAX_CONNECTIONS_PER_IP = 3;
/** A recharge package of the default configuration, and the VIP room's price. */
const RECHARGE = { usd: '20', diamonds: 100 };
const VIP_PRICE = 30;

let database: TestDatabase;
let nginx: PrivateNginx;
let dir: string;
const prefix = uniquePrefix();
const instances: ServerProcess[] = [];
const sockets: WsClient[] = [];
let unique = 0;

function instanceEnv(): Record<string, string> {
  return {
    ...database.env,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    COOKIE_SECRET: 'nginx-test-cluster-secret',
    TRUST_PROXY: '127.0.0.1',
    PUBLIC_URL: nginx.url,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    PASSWORD_HASH_COST: '10',
    LOGIN_MAX_FAILURES: String(LOGIN_MAX_FAILURES),
    LOGIN_MAX_ATTEMPTS_PER_ORIGIN: String(LOGIN_MAX_FAILURES),
    WS_MAX_CONNECTIONS_PER_IP: String(WS_MAX_CONNECTIONS_PER_IP),
    CHAT_RATE_LIMIT_MESSAGES: '1000',
    NOWPAYMENTS_IPN_SECRET: IPN_SECRET,
    BUS_HEARTBEAT_MS: '500',
  };
}

function name(kind: string): string {
  unique += 1;
  return `${kind}_${process.pid}_${unique}`;
}

/** A request through nginx from a loopback source address. */
function api(path: string, options: { body?: unknown; token?: string; cookie?: string; from?: string; headers?: Record<string, string>; method?: string } = {}) {
  return httpCall(nginx.url + path, {
    method: options.method,
    body: options.body,
    from: options.from,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers,
    },
  });
}

async function ok(answer: Promise<HttpAnswer>): Promise<HttpAnswer> {
  const res = await answer;
  if (res.status !== 200) throw new Error(`${res.status} ${res.body}`);
  return res;
}

const cookieOf = (res: HttpAnswer) => ([res.headers['set-cookie'] ?? []].flat() as string[]).map((c) => c.split(';')[0]).join('; ');

async function registerAnchor(): Promise<{ token: string; uid: string }> {
  const { data } = (await ok(api('/api/anchor/register', { body: { username: name('anchor'), password: PASSWORD } }))).json();
  return { token: data.token, uid: data.uid };
}

async function registerViewer(from: string): Promise<{ cookie: string; uid: string }> {
  const res = await ok(api('/api/users/register', { body: { username: name('viewer'), password: PASSWORD }, from }));
  return { cookie: cookieOf(res), uid: res.json().data.user_info.uid };
}

async function openLiveRoom(token: string, fields: Record<string, unknown> = {}): Promise<string> {
  const room = await ok(api('/api/anchor/rooms', { token, body: { character_name: 'Seraphina', character_date: name('chat'), ...fields } }));
  const roomId = room.json().data.room.room_id as string;
  await ok(api(`/api/anchor/rooms/${roomId}/live`, { token, body: { live_status: 'start' } }));
  return roomId;
}

function say(token: string, roomId: string, floor: number) {
  return api(`/api/anchor/rooms/${roomId}/messages`, { token, body: { name: 'Seraphina', is_user: false, mes: `line ${floor}`, floor } });
}

async function watch(roomId: string, options: { from: string; cookie?: string; query?: string; headers?: Record<string, string> }): Promise<WsClient> {
  const url = `${nginx.url.replace('http', 'ws')}/ws/chat/${roomId}${options.query ?? ''}`;
  const socket = await WsClient.connect(url, { ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers }, { localAddress: options.from });
  sockets.push(socket);
  await socket.untilCount('hello', 1);
  return socket;
}

const upstreamOf = (socket: WsClient) => String(socket.handshakeHeaders['x-upstream']);
const addedFloors = (socket: WsClient) =>
  socket
    .of('chat_live_message')
    .filter((m) => m.op === 'add')
    .map((m) => m.floor as number);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe.skipIf(!enginesAvailable || !nginxBinary)('two instances behind nginx (deploy/nginx.conf)', () => {
  beforeAll(async () => {
    ensureServerBuild();
    // An empty schema: both instances migrate it at start, at the same moment.
    database = await createTestDatabase({ migrate: false });
    dir = mkdtempSync(join(tmpdir(), 'pecktra-nginx-'));
    const [nginxPort, portA, portB] = [await freePort(), await freePort(), await freePort()];
    nginx = await PrivateNginx.start({ dir: join(dir, 'nginx'), port: nginxPort, upstreamPorts: [portA!, portB!], revealUpstream: true });
    instances.push(...(await Promise.all([portA!, portB!].map((port) => startServerProcess(port, instanceEnv())))));
  }, 180_000);

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.socket.terminate();
  });

  afterAll(async () => {
    for (const instance of instances) await instance.stop('SIGKILL');
    await nginx?.stop();
    await database?.close();
    await deletePrefix(TEST_REDIS_URL, prefix);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('viewers on either instance see every message, wherever it was posted', async () => {
    const { token } = await registerAnchor();
    const roomId = await openLiveRoom(token);
    const guests = [];
    for (let i = 0; i < 4; i++) guests.push(await watch(roomId, { from: `127.0.0.${10 + i}` }));
    expect(new Set(guests.map(upstreamOf))).toEqual(new Set(instances.map((instance) => `127.0.0.1:${instance.port}`)));
    const { cookie } = await registerViewer('127.0.0.14');
    const chatter = await watch(roomId, { from: '127.0.0.14', cookie });

    for (let floor = 0; floor < 10; floor++) await ok(say(token, roomId, floor));
    chatter.send({ type: 'chat_user_message', user_message: 'hello from a viewer' });
    for (const viewer of [...guests, chatter]) {
      await viewer.until((s) => addedFloors(s).length >= 10 && s.of('chat_user_message').length >= 1, 'every line and the chat message');
      expect(addedFloors(viewer)).toEqual(range(0, 10));
      expect(viewer.of('chat_user_message').map((m) => m.user_message)).toEqual(['hello from a viewer']);
    }
  }, 60_000);

  it('a viewer who reconnects lands on the other instance and resumes without loss', async () => {
    const { token } = await registerAnchor();
    const roomId = await openLiveRoom(token);
    const first = await watch(roomId, { from: '127.0.0.20' });
    for (let floor = 0; floor < 3; floor++) await ok(say(token, roomId, floor));
    await first.until((s) => addedFloors(s).length === 3, 'floors 0-2');
    const home = upstreamOf(first);
    first.socket.terminate();
    await first.closed;

    // While away: three more lines and a viewer's chat message.
    for (let floor = 3; floor < 6; floor++) await ok(say(token, roomId, floor));
    const other = await registerViewer('127.0.0.21');
    const posted = await ok(
      api('/api/live/save_user_chat_history', { cookie: other.cookie, from: '127.0.0.21', body: { room_id: roomId, room_name: 'x', username: 'x', user_message: 'while you were away' } }),
    );

    // least_conn picks the instance with fewer sockets; a landing on the old one stays open, so the next try goes elsewhere.
    let resumed: WsClient | undefined;
    for (let attempt = 0; attempt < 3 && !resumed; attempt++) {
      const socket = await watch(roomId, { from: '127.0.0.20', query: '?after_floor=2&after_user_message_id=0' });
      if (upstreamOf(socket) !== home) resumed = socket;
    }
    expect(resumed, `no reconnect landed away from ${home}`).toBeDefined();
    expect(resumed!.of('hello')[0]).toMatchObject({ resume_complete: true, last_floor: 5 });
    await ok(say(token, roomId, 6));
    await resumed!.until((s) => addedFloors(s).includes(6), 'floor 6 live after the replay');
    expect(addedFloors(resumed!)).toEqual([3, 4, 5, 6]);
    expect(resumed!.of('chat_user_message')).toEqual([expect.objectContaining({ id: posted.json().data.id, user_message: 'while you were away' })]);
  }, 60_000);

  it('the per-IP limits see the real client address, whatever X-Forwarded-For it sends', async () => {
    const failLogin = (from: string, forwardedFor: string) =>
      api('/api/users/login', { from, body: { username: name('guess'), password: 'wrong password!' }, headers: { 'x-forwarded-for': forwardedFor } });
    const codes: number[] = [];
    for (let i = 0; i <= LOGIN_MAX_FAILURES; i++) codes.push((await failLogin('127.0.0.30', `198.51.100.${i}`)).status);
    expect(codes).toEqual([401, 401, 401, 429]);
    // The neighbour at another address is not locked out with them.
    expect((await failLogin('127.0.0.31', '198.51.100.0')).status).toBe(401);
    const neighbour = name('viewer');
    await ok(api('/api/users/register', { from: '127.0.0.31', body: { username: neighbour, password: PASSWORD } }));
    await ok(api('/api/users/login', { from: '127.0.0.31', body: { username: neighbour, password: PASSWORD } }));

    // WebSockets: the cap is per instance, so one address holds at most two instances' worth.
    const { token } = await registerAnchor();
    const roomId = await openLiveRoom(token);
    const outcomes: string[] = [];
    for (let i = 0; i < 2 * WS_MAX_CONNECTIONS_PER_IP + 2; i++) {
      try {
        await watch(roomId, { from: '127.0.0.32', headers: { 'x-forwarded-for': `198.51.100.${i}` } });
        outcomes.push('open');
      } catch (err) {
        outcomes.push(String(err).includes('429') ? 'refused' : String(err));
      }
    }
    expect(outcomes.filter((o) => o === 'open').length).toBeLessThanOrEqual(2 * WS_MAX_CONNECTIONS_PER_IP);
    expect(outcomes.filter((o) => o !== 'open').every((o) => o === 'refused')).toBe(true);
    await watch(roomId, { from: '127.0.0.33' });
  }, 60_000);

  it('compresses answers with brotli or gzip', async () => {
    for (const [encoding, decode] of [
      ['br', brotliDecompressSync],
      ['gzip', gunzipSync],
    ] as const) {
      const res = await api('/docs/json', { headers: { 'accept-encoding': encoding } });
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(JSON.parse(decode(res.raw).toString()).openapi).toMatch(/^3\./);
    }
  });

  it("passes the app's compressed JSON on as it is (never compressed twice) and small answers plain", async () => {
    const { token } = await registerAnchor();
    const roomId = await openLiveRoom(token);
    const lines = Array.from({ length: 60 }, (_, floor) => ({ name: 'Seraphina', is_user: false, mes: `line ${floor} of a long enough story`, floor }));
    await ok(api(`/api/anchor/rooms/${roomId}/messages`, { token, body: { messages: lines } }));
    const history = `/api/live/get_live_chat_history?room_id=${roomId}`;
    for (const [encoding, decode] of [
      ['br', brotliDecompressSync],
      ['gzip', gunzipSync],
    ] as const) {
      const headers = { 'accept-encoding': encoding };
      const viaNginx = await ok(api(history, { headers }));
      expect(viaNginx.headers['content-encoding']).toBe(encoding);
      // One encoding, decoded once; and sized as the app sent it (what nginx compresses goes out chunked).
      expect(JSON.parse(decode(viaNginx.raw).toString()).data.chat_info).toHaveLength(60);
      expect(viaNginx.headers['content-length']).toBe(String(viaNginx.raw.length));
    }
    const small = await ok(api(`/api/live/get_live_info?room_id=${roomId}`, { headers: { 'accept-encoding': 'br, gzip' } }));
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json().data.live_info.room_id).toBe(roomId);
  });

  it('an instance restarted (SIGTERM, then start) during live traffic loses no message and drops no payment', async () => {
    const anchor = await registerAnchor();
    const { token } = anchor;
    const roomId = await openLiveRoom(token);
    const vipRoomId = await openLiveRoom(token, { room_type: 1, coin_num: VIP_PRICE });

    // Payers: each has a recharge order waiting for the provider's callback.
    const payers = [];
    for (let i = 0; i < 6; i++) {
      const from = `127.0.0.${40 + i}`;
      const { cookie, uid } = await registerViewer(from);
      const order = (await ok(api('/api/payment/process_recharge/', { cookie, from, body: { crypto_amount: RECHARGE.usd } }))).json();
      payers.push({ from, cookie, uid, order });
    }

    // Viewers that reconnect with resume whenever their socket closes (1001 from the stopping instance).
    const viewers = Array.from({ length: 6 }, (_, i) => new ResumingViewer(roomId, `127.0.0.${50 + i}`));
    await Promise.all(viewers.map((viewer) => viewer.connect()));
    expect(new Set(viewers.map((viewer) => upstreamOf(viewer.sockets[0]!))).size).toBe(2);

    const failures: string[] = [];
    /** Retries like the real callers: the anchor's tool, NOWPayments, a careful payment client. */
    async function persist(what: string, call: () => Promise<HttpAnswer>): Promise<HttpAnswer> {
      for (;;) {
        try {
          const res = await call();
          if (res.status < 500) return res;
          failures.push(`${what}: ${res.status}`);
        } catch (err) {
          failures.push(`${what}: ${String(err)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    let posting = true;
    let floors = 0;
    const anchorTraffic = (async () => {
      while (posting) {
        const floor = floors;
        expect((await persist(`post ${floor}`, () => say(token, roomId, floor))).status).toBe(200);
        floors += 1;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    const payments = (async () => {
      const results = [];
      for (const payer of payers) {
        const { order } = payer;
        const ipn = {
          payment_id: Number(order.payment_id),
          payment_status: 'finished',
          pay_address: order.pay_address,
          price_amount: Number(RECHARGE.usd),
          price_currency: 'usd',
          pay_amount: Number(order.pay_amount),
          actually_paid: Number(order.pay_amount),
          pay_currency: order.pay_currency,
          order_id: order.order_id,
          updated_at: new Date().toISOString(),
        };
        const callback = await persist('ipn', () =>
          api('/api/payment/ipn', { body: ipn, headers: { 'x-nowpayments-sig': signIpnBody(ipn, IPN_SECRET) } }),
        );
        expect(callback.status).toBe(200);
        const key = randomUUID();
        const paid = await persist('pay_vip_coin', () =>
          api('/api/live/pay_vip_coin', {
            cookie: payer.cookie,
            from: payer.from,
            headers: { 'idempotency-key': key },
            body: { uid: payer.uid, anchor_id: anchor.uid, room_id: vipRoomId, room_name: 'VIP', amount: VIP_PRICE },
          }),
        );
        results.push(paid);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      return results;
    })();

    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const restarted = instances[0]!;
    const stoppedWith = await restarted.stop('SIGTERM');
    expect(stoppedWith, restarted.output()).toBe(0);
    instances[0] = await startServerProcess(restarted.port, instanceEnv());
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const paid = await payments;
    posting = false;
    await anchorTraffic;

    const total = floors;
    for (const viewer of viewers) {
      await viewer.until(() => viewer.floors().length >= total, `floors 0-${total - 1}`);
      expect(viewer.floors()).toEqual(range(0, total));
      expect(viewer.hellos().every((hello) => hello.resume_complete === true)).toBe(true);
    }
    expect(viewers.some((viewer) => viewer.sockets.length > 1), 'someone was on the restarted instance').toBe(true);

    // Every payment went through exactly once.
    for (const res of paid) expect(res.json()).toMatchObject({ code: 0, data: { vip_status: true } });
    for (const payer of payers) {
      const status = (await ok(api(`/api/payment/check_payment_status/${payer.order.order_id}`, { cookie: payer.cookie, from: payer.from }))).json();
      expect(status).toMatchObject({ status: 'finished', coin_num_credited: RECHARGE.diamonds, coin_num: RECHARGE.diamonds - VIP_PRICE });
    }
    expect((await ok(api('/api/anchor/earnings', { token }))).json().data.vip_total).toBe(payers.length * VIP_PRICE);
    expect((await runLedgerVerify(database.db)).exitCode).toBe(0);
    // The stopping instance served what reached it instead of refusing it (503). What remains possible
    // is nginx losing a race with a kept-alive connection being closed (502), which callers retry.
    console.log(`[test/deploy/nginx] restart: ${total} lines posted; errors the callers retried: ${failures.length ? failures.join('; ') : 'none'}`);
    expect(failures.filter((failure) => failure.endsWith(': 503'))).toEqual([]);
  }, 120_000);
});

/** A viewer page: on any close it reconnects through nginx and resumes from what it has. */
class ResumingViewer {
  readonly sockets: WsClient[] = [];

  constructor(
    private readonly roomId: string,
    private readonly from: string,
  ) {}

  floors(): number[] {
    return this.sockets.flatMap(addedFloors).sort((x, y) => x - y);
  }

  hellos() {
    return this.sockets.flatMap((socket) => socket.of('hello'));
  }

  async connect(): Promise<void> {
    const seen = this.floors();
    const userIds = this.sockets.flatMap((socket) => socket.of('chat_user_message').map((m) => m.id as number));
    const query = this.sockets.length ? `?after_floor=${Math.max(-1, ...seen)}&after_user_message_id=${Math.max(0, ...userIds)}` : '';
    for (;;) {
      try {
        const socket = await watch(this.roomId, { from: this.from, query });
        this.sockets.push(socket);
        void socket.closed.then(() => {
          if (sockets.includes(socket)) void this.connect();
        });
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  async until(predicate: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: got ${JSON.stringify(this.floors())}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
