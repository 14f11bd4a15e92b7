/**
 * Load test through the reverse proxy: N viewer sockets in one room, spread by nginx (configured from
 * deploy/nginx.conf) over two instances of the compiled server on PostgreSQL + Redis, while the
 * anchor posts at a fixed rate through nginx. The baseline is the same load on one of the instances
 * reached directly (same PostgreSQL and Redis). The two are measured in alternating rounds, so a busy
 * moment of a shared machine spoils one round rather than the comparison: the ratio is the median of
 * the rounds' ratios of p99 delivery latency (proxied over single). Latency is from the anchor's post
 * to each viewer, so it includes the database commit; the posts' own round trip is reported too.
 *
 *   npx tsx bench/proxy.ts [--viewers 5000] [--rate 10] [--seconds 10] [--rounds 3]
 *
 * Needs nginx (Debian's package, with libnginx-mod-http-brotli-filter) and PostgreSQL + Redis at
 * BENCH_DATABASE_URL / BENCH_REDIS_URL (default: the local ones). The last line is
 * `PROXY_RESULT {json}` for scripts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createClient } from 'redis';
import { nginxBinary, PrivateNginx, startServerProcess, type ServerProcess } from '../test/helpers/cluster.js';
import { buildServer } from './build.js';
import { api, Child, freePort, measureLatency, now, percentile, round, rssMiB, runClients, sleep, type LatencyRound } from './viewers.js';

const SELF = fileURLToPath(import.meta.url);

interface Phase {
  viewers: number;
  connected: number;
  connect_seconds: number;
  latency_ms: { p50: number; p99: number; max: number };
  /** Round trip of the anchor's posts (database commit included). */
  post_ms: { p50: number; p99: number };
  lost: number;
  duplicated: number;
  still_open: number;
  /** Resident memory of each instance before and after the viewers connected. */
  instance_rss_mib: Array<{ before: number; connected: number }>;
  /** CPU used while the messages were posted and delivered, in % of one core. */
  cpu_percent: { instances: number[]; nginx: number; viewer_client: number };
}

/** User + system CPU seconds a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** nginx's CPU is its workers'. */
function workerPids(masterPid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === masterPid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

function summary(
  round_: LatencyRound,
  posts: number[],
  viewers: number,
  connected: number,
  connectSeconds: number,
  rss: Phase['instance_rss_mib'],
  cpu: Phase['cpu_percent'],
): Phase {
  const { latencies } = round_;
  posts.sort((a, b) => a - b);
  return {
    viewers,
    connected,
    connect_seconds: round(connectSeconds),
    latency_ms: { p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)), max: round(latencies.at(-1) ?? NaN) },
    post_ms: { p50: round(percentile(posts, 50)), p99: round(percentile(posts, 99)) },
    lost: round_.lost,
    duplicated: round_.duplicated,
    still_open: round_.stillOpen,
    instance_rss_mib: rss,
    cpu_percent: cpu,
  };
}

/** One room, `viewers` sockets at `wsUrl`, posts through `base`; the instances are watched for memory. */
async function runPhase(
  clients: Child,
  options: {
    base: string;
    token: string;
    wsBase: string;
    viewers: number;
    rate: number;
    seconds: number;
    instances: ServerProcess[];
    nginxPid: number;
  },
): Promise<Phase> {
  const { base, token } = options;
  const room = (await api(base, '/api/anchor/rooms', { character_name: 'Bench', character_date: `proxy-${now()}` }, token)).room as { room_id: string };
  await api(base, `/api/anchor/rooms/${room.room_id}/live`, { live_status: 'start' }, token);
  const roundTrips: number[] = [];
  const post = async (text: string) => {
    const started = now();
    await api(base, `/api/anchor/rooms/${room.room_id}/messages`, { name: 'Bench', is_user: false, mes: text }, token);
    roundTrips.push(now() - started);
  };
  await post('warm-up:0:0');
  roundTrips.length = 0;
  const before = options.instances.map((instance) => rssMiB(instance.child.pid!));
  const started = now();
  const connected = await clients.ask({ cmd: 'connect', url: `${options.wsBase}/ws/chat/${room.room_id}`, viewers: options.viewers }, 'connected');
  const connectSeconds = (now() - started) / 1000;
  await sleep(500);
  const rss = options.instances.map((instance, i) => ({ before: round(before[i]!), connected: round(rssMiB(instance.child.pid!)) }));
  const processes = { instances: options.instances.map((i) => i.child.pid!), nginx: workerPids(options.nginxPid), client: clients.process.pid! };
  const cpuBefore = { instances: processes.instances.map(cpuSeconds), nginx: processes.nginx.map(cpuSeconds), client: cpuSeconds(processes.client) };
  const measureStarted = now();
  const measured = await measureLatency(clients, post, options);
  const wall = (now() - measureStarted) / 1000;
  const percent = (used: number) => Math.round((used / wall) * 100);
  const cpu = {
    instances: processes.instances.map((pid, i) => percent(cpuSeconds(pid) - cpuBefore.instances[i]!)),
    nginx: percent(processes.nginx.reduce((sum, pid, i) => sum + cpuSeconds(pid) - cpuBefore.nginx[i]!, 0)),
    viewer_client: percent(cpuSeconds(processes.client) - cpuBefore.client),
  };
  await clients.ask({ cmd: 'disconnect' }, 'disconnected');
  return summary(measured, roundTrips, options.viewers, connected.open as number, connectSeconds, rss, cpu);
}

function report(label: string, phase: Phase): void {
  console.log(
    `  ${label}: ${phase.connected}/${phase.viewers} connected in ${phase.connect_seconds} s; ` +
      `latency p50 ${phase.latency_ms.p50} ms, p99 ${phase.latency_ms.p99} ms, max ${phase.latency_ms.max} ms ` +
      `(posts p50 ${phase.post_ms.p50} ms, p99 ${phase.post_ms.p99} ms); lost ${phase.lost}, duplicated ${phase.duplicated}; ` +
      `RSS ${phase.instance_rss_mib.map((r) => `${r.before}→${r.connected}`).join(', ')} MiB; ` +
      `CPU % instances ${phase.cpu_percent.instances.join(' + ')}, nginx ${phase.cpu_percent.nginx}, viewer client ${phase.cpu_percent.viewer_client}`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      viewers: { type: 'string', default: '5000' },
      rate: { type: 'string', default: '10' },
      seconds: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '3' },
      role: { type: 'string' },
    },
  });
  if (values.role === 'clients') return runClients();
  if (!nginxBinary) throw new Error('nginx is not installed (apt-get install nginx libnginx-mod-http-brotli-filter)');
  const viewers = Number(values.viewers);
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const rounds = Math.max(1, Number(values.rounds));
  const pgUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  buildServer();

  // A schema and a Redis prefix of our own: the services may be shared.
  const schema = `bench_proxy_${randomBytes(4).toString('hex')}`;
  const prefix = `bench:${schema}:`;
  const databaseUrl = new URL(pgUrl);
  databaseUrl.search = `options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const dir = mkdtempSync(join(tmpdir(), 'pecktra-proxy-bench-'));
  const env = {
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    COOKIE_SECRET: 'bench-secret',
    TRUST_PROXY: '127.0.0.1',
    DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    PASSWORD_HASH_COST: '10',
    // Every viewer comes from 127.0.0.1 here.
    WS_MAX_CONNECTIONS_PER_IP: '1000000',
  };
  const instances: ServerProcess[] = [];
  let nginx: PrivateNginx | undefined;
  let clients: Child | undefined;
  try {
    const [portA, portB, nginxPort] = [await freePort(), await freePort(), await freePort()];
    instances.push(...(await Promise.all([portA!, portB!].map((port) => startServerProcess(port, env)))));
    nginx = await PrivateNginx.start({ dir: join(dir, 'nginx'), port: nginxPort!, upstreamPorts: [portA!, portB!] });
    clients = Child.fork(SELF, 'clients');
    await clients.next('ready');
    const direct = `http://127.0.0.1:${portA}`;
    const anchor = await api(nginx.url, '/api/anchor/register', { username: `bench_${process.pid}`, password: 'bench-password' });
    const token = String(anchor.token);

    const single: Phase[] = [];
    const proxied: Phase[] = [];
    const load = { viewers, rate, seconds, token, instances, nginxPid: nginx.pid };
    for (let i = 1; i <= rounds; i++) {
      console.log(`round ${i}/${rounds}: ${viewers} viewers, ${rate} msg/s for ${seconds} s, on one instance, then through nginx on two`);
      single.push(await runPhase(clients, { ...load, base: direct, wsBase: `ws://127.0.0.1:${portA}`, instances: [instances[0]!] }));
      proxied.push(await runPhase(clients, { ...load, base: nginx.url, wsBase: `ws://127.0.0.1:${nginxPort}` }));
      report('single instance', single.at(-1)!);
      report('nginx + 2 instances', proxied.at(-1)!);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const result = {
      viewers,
      rate_per_second: rate,
      seconds,
      rounds,
      load_average: loadavg().map(round),
      single,
      proxied,
      p99_ms: { single: median(single.map((p) => p.latency_ms.p99)), proxied: median(proxied.map((p) => p.latency_ms.p99)) },
      p99_ratio_proxied_to_single: round(median(proxied.map((p, i) => p.latency_ms.p99 / single[i]!.latency_ms.p99))),
      lost: [...single, ...proxied].reduce((sum, p) => sum + p.lost, 0),
      duplicated: [...single, ...proxied].reduce((sum, p) => sum + p.duplicated, 0),
    };
    console.log(
      `median p99: single ${result.p99_ms.single} ms, through nginx ${result.p99_ms.proxied} ms; ` +
        `ratio (median of rounds) ${result.p99_ratio_proxied_to_single}; lost ${result.lost}, duplicated ${result.duplicated}; ` +
        `load average ${result.load_average.join(' ')}`,
    );
    console.log(`PROXY_RESULT ${JSON.stringify(result)}`);
  } finally {
    clients?.process.kill('SIGKILL');
    await nginx?.stop();
    for (const instance of instances) await instance.stop('SIGKILL');
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end();
    const redis = createClient({ url: redisUrl });
    await redis.connect();
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) if (keys.length) await redis.del(keys);
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
