/**
 * pay_vip_coin and send_gift throughput on SQLite and PostgreSQL (part of `npm run bench`). Each
 * pay_vip_coin unlocks a different VIP room, so every request is a real ledger transfer (a repeat
 * would take the cheaper "already unlocked" path); each send_gift is a new gift into one room (a
 * transfer plus the room's leaderboard total and the room's events). Reported like the route benchmarks: req/s, latency, and the ratio to the
 * bare route returning a body of the same size, measured in the same run.
 *
 *   node --import tsx bench/pay-vip.ts [--payments 2000] [--pg-url postgres://...|none]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { openDatabase } from '../src/db/database.js';
import { adjustDiamonds } from '../src/wallet/index.js';
import { buildServer } from './build.js';
import { HttpSession } from './http-session.js';

const { values: args } = parseArgs({
  options: {
    payments: { type: 'string', default: '2000' },
    connections: { type: 'string', default: '32' },
    'pg-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const payments = Number(args.payments);
const connections = Number(args.connections);
const PRICE = 10;

interface EngineResult {
  operation: 'pay_vip_coin' | 'send_gift';
  engine: string;
  payments: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  bareRequestsPerSecond: number;
  ratio: number;
}

async function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/server.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited early (${code})`)));
  });
  return { child, ...(JSON.parse(first) as { appPort: number; barePort: number }) };
}

/** Opens `count` VIP rooms through the anchor API, a few requests at a time. */
async function openVipRooms(anchor: HttpSession, count: number): Promise<string[]> {
  const ids: string[] = [];
  const batch = 16;
  for (let start = 0; start < count; start += batch) {
    const created = await Promise.all(
      Array.from({ length: Math.min(batch, count - start) }, (_, i) =>
        anchor.call<{ data: { room: { room_id: string } } }>('POST', '/api/anchor/rooms', {
          character_name: 'Bench',
          character_date: `room-${start + i}`,
          room_type: 1,
          coin_num: PRICE,
        }),
      ),
    );
    ids.push(...created.map((r) => r.data.room.room_id));
  }
  return ids;
}

// Fixed request counts finish in a few seconds; per-second averages would round, so divide.
const perSecond = (result: autocannon.Result) => result.requests.total / Math.max(result.duration, 0.001);

/** Runs `payments` copies of the request, then as many of a bare route answering the same size. */
async function measure(
  server: { appPort: number; barePort: number },
  path: string,
  headers: Record<string, string>,
  body: (index: number) => string,
): Promise<{ app: autocannon.Result; bare: autocannon.Result }> {
  let next = 0;
  const app = await autocannon({
    url: `http://127.0.0.1:${server.appPort}${path}`,
    method: 'POST',
    connections,
    amount: payments,
    headers,
    requests: [{ setupRequest: (request) => ({ ...request, body: body(next++) }) }],
  });
  const probe = await fetch(`http://127.0.0.1:${server.appPort}${path}`, { method: 'POST', headers, body: body(0) });
  const size = Buffer.byteLength(await probe.text());
  const bare = await autocannon({
    url: `http://127.0.0.1:${server.barePort}/bare?size=${size}`,
    method: 'POST',
    connections,
    amount: payments,
    headers: { 'content-type': 'application/json' },
    body: body(0),
  });
  return { app, bare };
}

function result(operation: EngineResult['operation'], engine: string, { app, bare }: { app: autocannon.Result; bare: autocannon.Result }): EngineResult {
  return {
    operation,
    engine,
    payments,
    requestsPerSecond: perSecond(app),
    p50: app.latency.p50,
    p99: app.latency.p99,
    errors: app.errors + app.timeouts + app.non2xx,
    bareRequestsPerSecond: perSecond(bare),
    ratio: perSecond(app) / perSecond(bare),
  };
}

async function benchEngine(engine: string, dbEnv: Record<string, string>, grant: (uid: string, amount: number) => Promise<void>): Promise<EngineResult[]> {
  const server = await startServer(dbEnv);
  try {
    const base = `http://127.0.0.1:${server.appPort}`;
    const anchor = new HttpSession(base);
    const registered = await anchor.call<{ data: { uid: string; token: string } }>('POST', '/api/anchor/register', {
      username: `bench_payee_${process.pid}`,
      password: 'bench-password-1',
    });
    anchor.bearer = registered.data.token;
    const roomIds = await openVipRooms(anchor, payments);

    const viewer = new HttpSession(base);
    const me = await viewer.call<{ data: { user_info: { uid: string } } }>('POST', '/api/users/register', {
      username: `bench_payer_${process.pid}`,
      password: 'bench-password-1',
    });
    await grant(me.data.user_info.uid, PRICE * payments);

    const bodies = roomIds.map((roomId) =>
      JSON.stringify({ anchor_id: registered.data.uid, room_id: roomId, room_name: 'Bench', amount: PRICE }),
    );
    const payVip = await measure(server, '/api/live/pay_vip_coin', viewer.headers({ 'content-type': 'application/json' }), (i) => bodies[i % bodies.length]!);
    const balance = await viewer.call<{ data: { user_info: { coin_num: number } } }>('GET', '/api/users/is_logged_in');
    if (balance.data.user_info.coin_num !== 0) {
      throw new Error(`${engine}: expected every payment to be charged once, balance left ${balance.data.user_info.coin_num}`);
    }

    // Gifts: one viewer sends one-diamond hearts into a free room, every send a new transfer.
    const giftRoom = await anchor.call<{ data: { room: { room_id: string } } }>('POST', '/api/anchor/rooms', {
      character_name: 'Bench',
      character_date: 'gift-room',
      room_type: 0,
    });
    const fan = new HttpSession(base);
    const fanAccount = await fan.call<{ data: { user_info: { uid: string } } }>('POST', '/api/users/register', {
      username: `bench_fan_${process.pid}`,
      password: 'bench-password-1',
    });
    // One more than the run sends: the size probe after it is a gift too.
    await grant(fanAccount.data.user_info.uid, payments + 1);
    const giftBody = JSON.stringify({ room_id: giftRoom.data.room.room_id, gift_id: 'heart', count: 1, amount: 1 });
    const gifts = await measure(server, '/api/live/send_gift', fan.headers({ 'content-type': 'application/json' }), () => giftBody);
    const fanBalance = await fan.call<{ data: { user_info: { coin_num: number } } }>('GET', '/api/users/is_logged_in');
    if (fanBalance.data.user_info.coin_num !== 0) throw new Error(`${engine}: gifts left ${fanBalance.data.user_info.coin_num} diamonds`);
    return [result('pay_vip_coin', engine, payVip), result('send_gift', engine, gifts)];
  } finally {
    server.child.kill('SIGTERM');
  }
}

async function withWallet(options: { databaseUrl: string; sqlitePath: string; pgSchema?: string }, uid: string, amount: number) {
  const handle = await openDatabase(options);
  try {
    await adjustDiamonds(handle.db, { userId: uid, amount, reason: 'bench', now: Date.now() });
  } finally {
    await handle.close();
  }
}

buildServer();
const results: EngineResult[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'pecktra-bench-pay-'));
try {
  const sqlitePath = join(dataDir, 'pay.db');
  results.push(
    ...await benchEngine('sqlite', { SQLITE_PATH: sqlitePath, DATABASE_URL: '' }, (uid, amount) =>
      withWallet({ databaseUrl: '', sqlitePath }, uid, amount),
    ),
  );

  const pgUrl = args['pg-url'];
  if (pgUrl && pgUrl !== 'none') {
    const schema = `bench_${randomBytes(4).toString('hex')}`;
    const url = new URL(pgUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const admin = new pg.Client({ connectionString: pgUrl });
    try {
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      results.push(
        ...await benchEngine('postgres', { DATABASE_URL: url.toString() }, (uid, amount) =>
          withWallet({ databaseUrl: pgUrl, sqlitePath: '', pgSchema: schema }, uid, amount),
        ),
      );
    } catch (err) {
      console.error(`PostgreSQL part skipped: ${(err as Error).message}`);
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await admin.end().catch(() => undefined);
    }
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

console.table(
  results.map((r) => ({
    operation: r.operation,
    engine: r.engine,
    requests: r.payments,
    'req/s': Math.round(r.requestsPerSecond),
    'p50 ms': r.p50,
    'p99 ms': r.p99,
    'bare req/s': Math.round(r.bareRequestsPerSecond),
    ratio: r.ratio.toFixed(2),
    errors: r.errors,
  })),
);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/pay-vip.json', JSON.stringify({ date: new Date().toISOString(), results }, null, 2));
console.log('written bench/results/pay-vip.json');
