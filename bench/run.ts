/**
 * `npm run bench`: starts the server (bench/server.ts) in a child process on a throwaway database,
 * drives each route with autocannon from this process, and reports every route's throughput as a
 * ratio to a bare Fastify route returning a constant body of the same size, measured in the same run.
 * Ratios, not absolute numbers, are what to compare between machines and commits. Our route and the
 * bare one are measured in alternating slices (`--rounds`), and the ratio is the median of the
 * rounds' ratios, so a moment of machine noise spoils one round rather than the figure.
 *
 *   npm run bench                      # route scenarios, then bench/pay-vip.ts, bench/fanout.ts and bench/typing.ts
 *   npm run bench -- --only is_logged_in_guest,get_all_lives --rounds 5   # just those routes
 *   npm run bench -- --only save_user_chat_history --postgres   # the app on PostgreSQL (BENCH_DATABASE_URL)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { buildWorld, scenarios, type Scenario, type ScenarioRequest, type World } from './scenarios.js';
import { buildServer } from './build.js';
import { HttpSession } from './http-session.js';

const { values: args } = parseArgs({
  options: {
    /** Seconds per slice; each round measures our route for one slice, then the bare route. */
    duration: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '32' },
    only: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    /** The app on a throwaway schema of this PostgreSQL instead of SQLite. */
    postgres: { type: 'boolean', default: false },
  },
});
const duration = Number(args.duration);
const rounds = Math.max(1, Number(args.rounds));
const warmup = Number(args.warmup);
const connections = Number(args.connections);
const only = args.only ? new Set(args.only.split(',')) : undefined;

interface Measured {
  requestsPerSecond: number;
  requests: number;
  cpuUs: number;
  /** Server process CPU time (user + system) per request, in µs. */
  cpuPerRequestUs: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

interface RouteResult {
  name: string;
  route: string;
  bodyBytes: number;
  app: Measured;
  bare: Measured;
  ratio: number;
  target?: number;
}

let serverStartedAt = 0;

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; appPort: number; barePort: number }> {
  // --cpu-prof: the server writes a V8 CPU profile on exit; `node bench/profile-summary.ts <file>` reads it.
  const profiling = args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', 'bench/results/profiles'] : [];
  serverStartedAt = performance.now();
  const child = spawn(process.execPath, [...profiling, '--import', 'tsx', 'bench/server.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited early (${code})`)));
  });
  return { child, ...(JSON.parse(first) as { appPort: number; barePort: number }) };
}

async function serverCpuUs(bareBase: string): Promise<number> {
  const usage = (await (await fetch(`${bareBase}/cpu`)).json()) as { user: number; system: number };
  return usage.user + usage.system;
}

async function drive(url: string, request: ScenarioRequest, seconds: number, bareBase: string): Promise<Measured> {
  const cpuBefore = await serverCpuUs(bareBase);
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
  const cpuUs = (await serverCpuUs(bareBase)) - cpuBefore;
  return {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    cpuUs,
    cpuPerRequestUs: cpuUs / Math.max(1, result.requests.total),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

async function measure(scenario: Scenario, appBase: string, bareBase: string, world: () => Promise<World>): Promise<RouteResult> {
  const session = new HttpSession(appBase);
  const request = await scenario.prepare(session, world);
  const probe = await fetch(appBase + request.path, { method: request.method, headers: request.headers, body: request.body });
  const bodyBytes = Buffer.byteLength(await probe.text());
  if (!probe.ok) throw new Error(`${scenario.name}: probe answered ${probe.status}`);

  const appUrl = appBase + request.path;
  // Phase times since the server started, to pick a --window for bench/profile-summary.ts.
  const since = () => ((performance.now() - serverStartedAt) / 1000).toFixed(1);
  const bareRequest: ScenarioRequest = { ...request, path: `/bare?size=${bodyBytes}` };
  const bareUrl = `${bareBase}/bare?size=${bodyBytes}`;
  if (warmup > 0) {
    await drive(appUrl, request, warmup, bareBase);
    await drive(bareUrl, bareRequest, warmup, bareBase);
  }
  const appSlices: Measured[] = [];
  const bareSlices: Measured[] = [];
  for (let round = 0; round < rounds; round++) {
    const appFrom = since();
    appSlices.push(await drive(appUrl, request, duration, bareBase));
    const bareFrom = since();
    bareSlices.push(await drive(bareUrl, bareRequest, duration, bareBase));
    process.stderr.write(`  round ${round + 1}: our route ${appFrom}-${bareFrom} s, bare route ${bareFrom}-${since()} s after server start\n`);
  }
  return {
    name: scenario.name,
    route: `${request.method} ${request.path.split('?')[0]}`,
    bodyBytes,
    app: combine(appSlices),
    bare: combine(bareSlices),
    ratio: median(appSlices.map((app, i) => app.requestsPerSecond / bareSlices[i]!.requestsPerSecond)),
    target: scenario.targetRatio,
  };
}

/** One figure for several slices: rates and CPU over all of them, latencies and the like by median. */
function combine(slices: Measured[]): Measured {
  const requests = slices.reduce((sum, m) => sum + m.requests, 0);
  const cpuUs = slices.reduce((sum, m) => sum + m.cpuUs, 0);
  return {
    requestsPerSecond: slices.reduce((sum, m) => sum + m.requestsPerSecond, 0) / slices.length,
    requests,
    cpuUs,
    cpuPerRequestUs: cpuUs / Math.max(1, requests),
    p50: median(slices.map((m) => m.p50)),
    p99: median(slices.map((m) => m.p99)),
    errors: slices.reduce((sum, m) => sum + m.errors, 0),
    non2xx: slices.reduce((sum, m) => sum + m.non2xx, 0),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function printTable(results: RouteResult[]): void {
  const rows = results.map((r) => ({
    scenario: r.name,
    'req/s': Math.round(r.app.requestsPerSecond),
    'p50 ms': r.app.p50,
    'p99 ms': r.app.p99,
    'bare req/s': Math.round(r.bare.requestsPerSecond),
    ratio: r.ratio.toFixed(2),
    // Less sensitive to machine load than req/s: server CPU per request, bare ÷ ours.
    'cpu µs/req': Math.round(r.app.cpuPerRequestUs),
    'bare cpu µs/req': Math.round(r.bare.cpuPerRequestUs),
    'cpu ratio': (r.bare.cpuPerRequestUs / r.app.cpuPerRequestUs).toFixed(2),
    target: r.target === undefined ? '' : `≥ ${r.target}`,
    errors: r.app.errors + r.app.non2xx,
  }));
  console.table(rows);
}

buildServer();
const selected = scenarios.filter((s) => !only || only.has(s.name));
// The chat bench posts as fast as it can from one account, so the per-sender limit is lifted; the
// search world signs up ten anchors from this one address.
const pgUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const pgSchema = `bench_${randomBytes(4).toString('hex')}`;
const pgAdmin = args.postgres ? new pg.Client({ connectionString: pgUrl }) : undefined;
let databaseEnv: Record<string, string> = {};
if (pgAdmin) {
  await pgAdmin.connect();
  await pgAdmin.query(`CREATE SCHEMA ${pgSchema}`);
  const url = new URL(pgUrl);
  url.searchParams.set('options', `-c search_path=${pgSchema}`);
  databaseEnv = { DATABASE_URL: url.toString() };
  console.log(`engine: PostgreSQL (${new URL(pgUrl).host}, schema ${pgSchema})`);
}
const server = await startServer({ CHAT_RATE_LIMIT_MESSAGES: '1000000000', REGISTER_MAX_PER_ORIGIN: '1000', ...databaseEnv });
const results: RouteResult[] = [];
try {
  const appBase = `http://127.0.0.1:${server.appPort}`;
  const bareBase = `http://127.0.0.1:${server.barePort}`;
  let worldPromise: Promise<World> | undefined;
  const world = () => (worldPromise ??= buildWorld(appBase));
  for (const scenario of selected) {
    process.stderr.write(`measuring ${scenario.name}...\n`);
    results.push(await measure(scenario, appBase, bareBase, world));
  }
} finally {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
  if (pgAdmin) {
    await pgAdmin.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
    await pgAdmin.end();
  }
}

printTable(results);

/** Runs a companion benchmark in its own process, echoing its output; returns its stdout lines. */
async function runCompanion(script: string): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    console.log(line);
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  return lines;
}

// A filtered run is for looking at particular routes; the full run adds payments and WebSocket fan-out.
let payVip: unknown;
let fanout: unknown;
let typing: unknown;
if (!only) {
  await runCompanion('bench/pay-vip.ts');
  payVip = JSON.parse(readFileSync('bench/results/pay-vip.json', 'utf8'));
  const fanoutLine = (await runCompanion('bench/fanout.ts')).find((line) => line.startsWith('FANOUT_RESULT '));
  fanout = fanoutLine ? JSON.parse(fanoutLine.slice('FANOUT_RESULT '.length)) : undefined;
  const typingLine = (await runCompanion('bench/typing.ts')).find((line) => line.startsWith('TYPING_RESULT '));
  typing = typingLine ? JSON.parse(typingLine.slice('TYPING_RESULT '.length)) : undefined;
}

mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/latest.json',
  JSON.stringify({ date: new Date().toISOString(), node: process.version, engine: pgAdmin ? 'postgres' : 'sqlite', duration, rounds, connections, results, payVip, fanout, typing }, null, 2),
);
console.log('written bench/results/latest.json');
