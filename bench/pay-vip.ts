/**
 * Paying with diamonds on SQLite and PostgreSQL (part of `npm run bench`). Every request is a real
 * ledger transfer (a repeat would take the cheaper "already unlocked" path):
 * - `one payer`: one viewer unlocks a different VIP room per request, 32 in parallel. Every request
 *   debits the same wallet, so it is serial by nature; reported for the record.
 * - `hot anchor`: `--viewers` distinct viewers each unlock the same VIP room: a VIP rush, every
 *   payment crediting one anchor's earnings. Baseline: pgbench's TPC-B (32 clients updating one hot
 *   branch row), measured in the same run.
 * - `distinct anchors`: distinct viewers each unlock a room of a different anchor: no shared row.
 *   Baseline: pgbench `-N` (TPC-B without the hot rows).
 * - `send_gift`: one viewer sends hearts into one room, against the bare route.
 * Payments run with a 10% platform fee, so the platform's account is credited by every payment.
 *
 *   node --import tsx bench/pay-vip.ts [--payments 2000] [--viewers 1000] [--engines sqlite,postgres]
 *                                      [--pg-url postgres://...|none] [--cpu-prof]
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import http from 'node:http';
import pg from 'pg';
import { openDatabase } from '../src/db/database.js';
import { verifyLedger } from '../src/wallet/ledger.js';
import { adjustDiamonds } from '../src/wallet/index.js';
import { buildServer } from './build.js';
import { HttpSession } from './http-session.js';

const { values: args } = parseArgs({
  options: {
    payments: { type: 'string', default: '2000' },
    viewers: { type: 'string', default: '1000' },
    connections: { type: 'string', default: '32' },
    'pgbench-seconds': { type: 'string', default: '10' },
    engines: { type: 'string', default: 'sqlite,postgres' },
    // The server writes a V8 CPU profile to bench/results/profiles on exit (bench/profile-summary.ts reads it).
    'cpu-prof': { type: 'boolean', default: false },
    'pg-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const payments = Number(args.payments);
const viewerCount = Number(args.viewers);
const connections = Number(args.connections);
const engines = args.engines.split(',');
const PRICE = 10;
const PLATFORM_FEE_PERCENT = '10';

type Operation = 'pay_vip_coin one payer' | 'pay_vip_coin hot anchor' | 'pay_vip_coin distinct anchors' | 'send_gift';

interface EngineResult {
  operation: Operation;
  engine: string;
  payments: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** What the ratio is taken against: the bare route, or a pgbench run. */
  baseline: string;
  baselinePerSecond: number;
  ratio: number;
}

async function startServer(env: Record<string, string>) {
  const profiling = args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', 'bench/results/profiles'] : [];
  const child = spawn(process.execPath, [...profiling, '--import', 'tsx', 'bench/server.ts'], {
    env: {
      ...process.env,
      PLATFORM_FEE_PERCENT,
      // Set-up registers a few thousand accounts from one address; the hash cost is not what is measured.
      PASSWORD_HASH_COST: '10',
      REGISTER_MAX_PER_ORIGIN: '100000',
      MAX_ROOMS_PER_ANCHOR: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited early (${code})`)));
  });
  return { child, ...(JSON.parse(first) as { appPort: number; barePort: number }) };
}

/** Runs `count` at a time of `task(i)` for i in 0..total-1. */
async function inBatches<T>(total: number, task: (index: number) => Promise<T>, count = 16): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; start < total; start += count) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(count, total - start) }, (_, i) => task(start + i)))));
  }
  return out;
}

async function openVipRoom(anchor: HttpSession, name: string): Promise<string> {
  const created = await anchor.call<{ data: { room: { room_id: string } } }>('POST', '/api/anchor/rooms', {
    character_name: 'Bench',
    character_date: name,
    room_type: 1,
    coin_num: PRICE,
  });
  return created.data.room.room_id;
}

async function registerAnchor(base: string, name: string): Promise<{ session: HttpSession; uid: string }> {
  const session = new HttpSession(base);
  const registered = await session.call<{ data: { uid: string; token: string } }>('POST', '/api/anchor/register', {
    username: name,
    password: 'bench-password-1',
  });
  session.bearer = registered.data.token;
  return { session, uid: registered.data.uid };
}

async function registerViewer(base: string, name: string): Promise<{ session: HttpSession; uid: string }> {
  const session = new HttpSession(base);
  const me = await session.call<{ data: { user_info: { uid: string } } }>('POST', '/api/users/register', { username: name, password: 'bench-password-1' });
  return { session, uid: me.data.user_info.uid };
}

/** What one measured run of requests gave. */
interface Run {
  requests: number;
  seconds: number;
  /** Milliseconds, sorted. */
  latencies: number[];
  errors: number;
}

/**
 * Sends request i of `total` with `requestFor(i)`'s headers and body over `connections` kept-alive
 * connections, each sending its next request when the previous one is answered. (autocannon's
 * fixed-count runs end on whole seconds, too coarse for runs of a few seconds.)
 */
async function drive(port: number, path: string, total: number, requestFor: (index: number) => { headers: Record<string, string>; body: string }): Promise<Run> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const post = (headers: Record<string, string>, body: string) =>
    new Promise<number>((resolve, reject) => {
      const request = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      request.on('error', reject);
      request.end(body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < total) {
        const { headers, body } = requestFor(next++);
        const sentAt = performance.now();
        const status = await post(headers, body).catch(() => 0);
        latencies.push(performance.now() - sentAt);
        if (status < 200 || status >= 300) errors += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { requests: total, seconds, latencies: latencies.sort((a, b) => a - b), errors };
}

const perSecond = (run: Run) => run.requests / run.seconds;
const percentile = (run: Run, p: number) => Math.round(run.latencies[Math.min(run.latencies.length - 1, Math.floor((p / 100) * run.latencies.length))]! * 10) / 10;

/** The same number of requests to the bare route answering a body of the route's size. */
async function bare(server: { appPort: number; barePort: number }, path: string, total: number, probe: { headers: Record<string, string>; body: string }) {
  const answer = await fetch(`http://127.0.0.1:${server.appPort}${path}`, { method: 'POST', headers: probe.headers, body: probe.body });
  const size = Buffer.byteLength(await answer.text());
  return drive(server.barePort, `/bare?size=${size}`, total, () => ({ headers: { 'content-type': 'application/json' }, body: probe.body }));
}

function result(operation: Operation, engine: string, app: Run, baseline: string, baselinePerSecond: number): EngineResult {
  return {
    operation,
    engine,
    payments: app.requests,
    requestsPerSecond: perSecond(app),
    p50: percentile(app, 50),
    p99: percentile(app, 99),
    errors: app.errors,
    baseline,
    baselinePerSecond,
    ratio: perSecond(app) / baselinePerSecond,
  };
}

interface Engine {
  name: string;
  env: Record<string, string>;
  /** Gives each user `amount` diamonds, straight through the ledger. */
  grant(uids: string[], amount: number): Promise<void>;
  verify(): Promise<void>;
  /** pgbench figures to compare the many-payer scenarios with (PostgreSQL only). */
  pgbench?: { tpcb: number; simple: number };
}

async function expectBalance(engine: string, session: HttpSession, expected: number): Promise<void> {
  const me = await session.call<{ data: { user_info: { coin_num: number } } }>('GET', '/api/users/is_logged_in');
  if (me.data.user_info.coin_num !== expected) {
    throw new Error(`${engine}: expected a balance of ${expected}, found ${me.data.user_info.coin_num}: a payment was not charged exactly once`);
  }
}

async function benchEngine(engine: Engine): Promise<EngineResult[]> {
  const server = await startServer(engine.env);
  const startedAt = Date.now();
  /** When each measured phase ran, in seconds since the server started (for --cpu-prof windows). */
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const from = (Date.now() - startedAt) / 1000;
    const value = await work();
    console.error(`[pay-vip] ${engine.name} ${name}: ${from.toFixed(1)}-${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    return value;
  };
  const base = `http://127.0.0.1:${server.appPort}`;
  const json = { 'content-type': 'application/json' };
  const results: EngineResult[] = [];
  try {
    // One payer, many rooms of one anchor.
    const payee = await registerAnchor(base, `bench_payee_${process.pid}`);
    const rooms = await inBatches(payments, (i) => openVipRoom(payee.session, `room-${i}`));
    const payer = await registerViewer(base, `bench_payer_${process.pid}`);
    await engine.grant([payer.uid], PRICE * payments);
    const onePayerBody = (i: number) => JSON.stringify({ anchor_id: payee.uid, room_id: rooms[i % rooms.length], room_name: 'Bench', amount: PRICE });
    const onePayer = await timed('one payer', () =>
      drive(server.appPort, '/api/live/pay_vip_coin', payments, (i) => ({ headers: payer.session.headers(json), body: onePayerBody(i) })),
    );
    await expectBalance(engine.name, payer.session, 0);
    const onePayerBare = await bare(server, '/api/live/pay_vip_coin', payments, { headers: payer.session.headers(json), body: onePayerBody(0) });
    results.push(result('pay_vip_coin one payer', engine.name, onePayer, 'bare route', perSecond(onePayerBare)));

    // Many viewers; the first `viewerCount` pay the hot anchor, the others one anchor each.
    const viewers = await inBatches(2 * viewerCount, (i) => registerViewer(base, `bench_viewer_${process.pid}_${i}`));
    await engine.grant(
      viewers.map((viewer) => viewer.uid),
      PRICE,
    );
    const hotRoom = rooms[0]!;
    const hot = await timed('hot anchor', () =>
      drive(server.appPort, '/api/live/pay_vip_coin', viewerCount, (i) => ({
        headers: viewers[i]!.session.headers(json),
        body: JSON.stringify({ anchor_id: payee.uid, room_id: hotRoom, room_name: 'Bench', amount: PRICE }),
      })),
    );
    const anchors = await inBatches(viewerCount, (i) => registerAnchor(base, `bench_anchor_${process.pid}_${i}`));
    const anchorRooms = await inBatches(viewerCount, (i) => openVipRoom(anchors[i]!.session, 'own'));
    const spread = await timed('distinct anchors', () =>
      drive(server.appPort, '/api/live/pay_vip_coin', viewerCount, (i) => ({
        headers: viewers[viewerCount + i]!.session.headers(json),
        body: JSON.stringify({ anchor_id: anchors[i]!.uid, room_id: anchorRooms[i], room_name: 'Bench', amount: PRICE }),
      })),
    );
    for (const viewer of [viewers[0]!, viewers.at(-1)!]) await expectBalance(engine.name, viewer.session, 0);
    const manyBare = engine.pgbench ? undefined : perSecond(await bare(server, '/api/live/pay_vip_coin', viewerCount, { headers: payer.session.headers(json), body: onePayerBody(0) }));
    results.push(
      engine.pgbench
        ? result('pay_vip_coin hot anchor', engine.name, hot, 'pgbench TPC-B', engine.pgbench.tpcb)
        : result('pay_vip_coin hot anchor', engine.name, hot, 'bare route', manyBare!),
      engine.pgbench
        ? result('pay_vip_coin distinct anchors', engine.name, spread, 'pgbench -N', engine.pgbench.simple)
        : result('pay_vip_coin distinct anchors', engine.name, spread, 'bare route', manyBare!),
    );

    // Gifts: one viewer sends one-diamond hearts into a free room, every send a new transfer.
    const giftRoom = await payee.session.call<{ data: { room: { room_id: string } } }>('POST', '/api/anchor/rooms', {
      character_name: 'Bench',
      character_date: 'gift-room',
      room_type: 0,
    });
    const fan = await registerViewer(base, `bench_fan_${process.pid}`);
    // One more than the run sends: the size probe after it is a gift too.
    await engine.grant([fan.uid], payments + 1);
    const giftBody = JSON.stringify({ room_id: giftRoom.data.room.room_id, gift_id: 'heart', count: 1, amount: 1 });
    const gift = { headers: fan.session.headers(json), body: giftBody };
    const gifts = await timed('send_gift', () => drive(server.appPort, '/api/live/send_gift', payments, () => gift));
    const giftsBare = await bare(server, '/api/live/send_gift', payments, gift);
    await expectBalance(engine.name, fan.session, 0);
    results.push(result('send_gift', engine.name, gifts, 'bare route', perSecond(giftsBare)));
    await engine.verify();
    return results;
  } finally {
    server.child.kill('SIGTERM');
  }
}

async function withDatabase(options: { databaseUrl: string; sqlitePath: string; pgSchema?: string }, work: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<void>) {
  const handle = await openDatabase(options);
  try {
    await work(handle.db);
  } finally {
    await handle.close();
  }
}

function grantWith(options: { databaseUrl: string; sqlitePath: string; pgSchema?: string }) {
  return (uids: string[], amount: number) =>
    withDatabase(options, async (db) => {
      const now = Date.now();
      for (const userId of uids) await adjustDiamonds(db, { userId, amount, reason: 'bench', now });
    });
}

function verifyWith(options: { databaseUrl: string; sqlitePath: string; pgSchema?: string }, engine: string) {
  return () =>
    withDatabase(options, async (db) => {
      const problems = await verifyLedger(db);
      if (problems.length > 0) throw new Error(`${engine}: ledger problems after the run: ${JSON.stringify(problems.slice(0, 5))}`);
    });
}

/** PostgreSQL's own TPC-B, with and without the hot branch/teller rows, on a scratch database. */
function runPgbench(pgUrl: string): { tpcb: number; simple: number } {
  const url = new URL(pgUrl);
  const database = `pecktra_pgbench_${process.pid}`;
  const connection = ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres')];
  const psql = (command: string) => execFileSync('psql', [...connection, '-d', url.pathname.slice(1) || 'postgres', '-qAtc', command], { stdio: 'pipe' });
  psql(`CREATE DATABASE ${database}`);
  try {
    execFileSync('pgbench', [...connection, '-i', '-s', '1', '-q', database], { stdio: 'pipe' });
    const tps = (extra: string[]) => {
      const out = execFileSync('pgbench', [...connection, '-c', String(connections), '-j', '2', '-T', args['pgbench-seconds'], ...extra, database], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const match = /tps = ([\d.]+)/.exec(out);
      if (!match) throw new Error(`pgbench printed no tps:\n${out}`);
      return Number(match[1]);
    };
    return { tpcb: tps([]), simple: tps(['-N']) };
  } finally {
    psql(`DROP DATABASE IF EXISTS ${database}`);
  }
}

buildServer();
const results: EngineResult[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'pecktra-bench-pay-'));
try {
  const sqlitePath = join(dataDir, 'pay.db');
  const sqlite = { databaseUrl: '', sqlitePath };
  if (engines.includes('sqlite')) results.push(...(await benchEngine({ name: 'sqlite', env: { SQLITE_PATH: sqlitePath, DATABASE_URL: '' }, grant: grantWith(sqlite), verify: verifyWith(sqlite, 'sqlite') })));

  const pgUrl = args['pg-url'];
  if (pgUrl && pgUrl !== 'none' && engines.includes('postgres')) {
    const schema = `bench_${randomBytes(4).toString('hex')}`;
    const url = new URL(pgUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const admin = new pg.Client({ connectionString: pgUrl });
    try {
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      const postgres = { databaseUrl: pgUrl, sqlitePath: '', pgSchema: schema };
      const pgbench = runPgbench(pgUrl);
      results.push(
        ...(await benchEngine({ name: 'postgres', env: { DATABASE_URL: url.toString() }, grant: grantWith(postgres), verify: verifyWith(postgres, 'postgres'), pgbench })),
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
    baseline: r.baseline,
    'baseline /s': Math.round(r.baselinePerSecond),
    ratio: r.ratio.toFixed(2),
    errors: r.errors,
  })),
);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/pay-vip.json', JSON.stringify({ date: new Date().toISOString(), results }, null, 2));
console.log('written bench/results/pay-vip.json');
