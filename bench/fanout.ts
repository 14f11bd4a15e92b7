/**
 * Fan-out benchmark: N viewer sockets in one room, held by a separate client process, while the
 * anchor posts at a fixed rate through the real HTTP API of a real server process.
 *
 *   npx tsx bench/fanout.ts [--viewers 2000] [--rate 10] [--seconds 10] [--burst 100]
 *
 * Prints delivery latency p50/p99/max, messages lost or duplicated, server RSS per connection, and
 * the ratio of deliveries/s (a burst of `--burst` messages to every viewer) to a bare `ws` server
 * broadcasting the same bytes to the same number of clients in the same run. The last line is
 * `FANOUT_RESULT {json}` for scripts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer, connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocketServer } from 'ws';
import { buildServer, DIST_SRC, ROOT } from './build.js';

const SELF = fileURLToPath(import.meta.url);
const now = (): number => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------- child: viewer sockets

type ToClients =
  | { cmd: 'connect'; url: string; viewers: number }
  | { cmd: 'burst'; expect: number }
  | { cmd: 'report' }
  | { cmd: 'disconnect' };

const MARKER = Buffer.from('"live_message":"');
const PONG_EMPTY = Buffer.from([0x8a, 0x80, 0, 0, 0, 0]);

/**
 * A deliberately thin WebSocket client: raw TCP, frame headers parsed by hand, payloads only
 * searched for the message marker. A full client library per socket would make this process,
 * not the server, the bottleneck on a small machine.
 */
class ThinSocket {
  open = false;
  closed = false;
  private buffer: Buffer = Buffer.alloc(0);
  private upgraded = false;

  constructor(
    private readonly socket: Socket,
    private readonly onText: (payload: Buffer) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  static connect(url: string, onText: (payload: Buffer) => void): Promise<ThinSocket> {
    const { hostname, port, pathname, search } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host: hostname, port: Number(port) }, () => {
        socket.write(
          `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        );
      });
      const thin = new ThinSocket(socket, onText);
      thin.onOpen = () => resolve(thin);
      socket.once('error', reject);
    });
  }

  onOpen: () => void = () => undefined;

  terminate(): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.destroy();
    });
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    if (!this.upgraded) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!this.buffer.subarray(0, 12).toString().includes('101')) {
        this.socket.destroy();
        return;
      }
      this.upgraded = true;
      this.open = true;
      this.buffer = this.buffer.subarray(end + 4);
      this.onOpen();
    }
    let offset = 0;
    const buf = this.buffer;
    while (buf.length - offset >= 2) {
      const opcode = buf[offset]! & 0x0f;
      let length = buf[offset + 1]! & 0x7f;
      let header = 2;
      if (length === 126) {
        if (buf.length - offset < 4) break;
        length = buf.readUInt16BE(offset + 2);
        header = 4;
      } else if (length === 127) {
        if (buf.length - offset < 10) break;
        length = Number(buf.readBigUInt64BE(offset + 2));
        header = 10;
      }
      if (buf.length - offset < header + length) break;
      const payload = buf.subarray(offset + header, offset + header + length);
      if (opcode === 0x1) this.onText(payload);
      else if (opcode === 0x9 && length === 0) this.socket.write(PONG_EMPTY);
      else if (opcode === 0x8) this.socket.end();
      offset += header + length;
    }
    this.buffer = offset === buf.length ? Buffer.alloc(0) : buf.subarray(offset);
  }
}

async function runClients(): Promise<void> {
  let sockets: ThinSocket[] = [];
  let latencies: number[] = [];
  let received = new Map<number, number>();
  let burstExpected = 0;
  let burstDoneSockets = 0;
  let burstCounts: number[] = [];
  const send = (message: unknown) => process.send!(message);

  /** Payloads hold `"live_message":"bench:<seq>:<sent at>"` or `"burst:..."`, one per line in batch mode. */
  function onText(index: number, payload: Buffer): void {
    const at = now();
    let from = 0;
    for (;;) {
      const found = payload.indexOf(MARKER, from);
      if (found < 0) return;
      const start = found + MARKER.length;
      from = start;
      if (burstExpected > 0) {
        burstCounts[index]! += 1;
        if (burstCounts[index] === burstExpected && ++burstDoneSockets === sockets.length) {
          burstExpected = 0;
          send({ ev: 'burst-done', at });
        }
        continue;
      }
      const text = payload.toString('latin1', start, payload.indexOf(0x22, start));
      const [kind, seq, sentAt] = text.split(':');
      if (kind !== 'bench') continue;
      latencies.push(at - Number(sentAt));
      received.set(Number(seq), (received.get(Number(seq)) ?? 0) + 1);
    }
  }

  process.on('message', async (message: ToClients) => {
    if (message.cmd === 'connect') {
      sockets = [];
      // A few hundred handshakes in flight at a time keeps the listen backlog from overflowing.
      for (let start = 0; start < message.viewers; start += 250) {
        const batch: Promise<ThinSocket>[] = [];
        for (let i = start; i < Math.min(message.viewers, start + 250); i++) {
          const index = i;
          batch.push(ThinSocket.connect(message.url, (payload) => onText(index, payload)));
        }
        sockets.push(...(await Promise.all(batch)));
      }
      latencies = [];
      received = new Map();
      send({ ev: 'connected', open: sockets.filter((s) => s.open).length });
    } else if (message.cmd === 'burst') {
      burstCounts = sockets.map(() => 0);
      burstDoneSockets = 0;
      burstExpected = message.expect;
      send({ ev: 'burst-armed' });
    } else if (message.cmd === 'report') {
      send({ ev: 'report', latencies, received: [...received], open: sockets.filter((s) => !s.closed).length });
    } else if (message.cmd === 'disconnect') {
      await Promise.all(sockets.map((socket) => socket.terminate()));
      sockets = [];
      send({ ev: 'disconnected' });
    }
  });
  send({ ev: 'ready' });
}

// ---------------------------------------------------------------- child: bare ws server

async function runBareServer(): Promise<void> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false, clientTracking: true });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  process.on('message', (message: { cmd: 'broadcast'; payload: string; count: number }) => {
    const bytes = Buffer.from(message.payload);
    for (let i = 0; i < message.count; i++) for (const client of server.clients) client.send(bytes, { binary: false });
  });
  process.send!({ ev: 'listening', port: (server.address() as { port: number }).port });
}

// ---------------------------------------------------------------- parent: orchestration

class Child {
  private readonly waiting: Array<{ ev: string; resolve: (message: Record<string, unknown>) => void }> = [];

  constructor(readonly process: ChildProcess) {
    process.on('message', (message: Record<string, unknown>) => {
      const index = this.waiting.findIndex((w) => w.ev === message.ev);
      if (index >= 0) this.waiting.splice(index, 1)[0]!.resolve(message);
    });
  }

  static fork(role: string): Child {
    return new Child(
      spawn(process.execPath, ['--import', 'tsx', SELF, '--role', role], {
        cwd: ROOT,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
  }

  next(ev: string): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.waiting.push({ ev, resolve }));
  }

  async ask(message: unknown, ev: string): Promise<Record<string, unknown>> {
    const reply = this.next(ev);
    this.process.send!(message as object);
    return reply;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function api(base: string, path: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json.data as Record<string, unknown>;
}

async function startServer(port: number, dataDir: string): Promise<ChildProcess> {
  const server = spawn(process.execPath, [join(DIST_SRC, 'main.js')], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: '',
      REDIS_URL: '',
      SQLITE_PATH: join(dataDir, 'bench.db'),
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      COOKIE_SECRET: 'bench-secret',
      PASSWORD_HASH_COST: '10',
      WS_MAX_CONNECTIONS_PER_IP: '1000000',
    },
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || server.exitCode !== null) throw new Error('server did not start');
    await sleep(100);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      viewers: { type: 'string', default: '2000' },
      rate: { type: 'string', default: '10' },
      seconds: { type: 'string', default: '10' },
      burst: { type: 'string', default: '100' },
      role: { type: 'string' },
    },
  });
  if (values.role === 'clients') return runClients();
  if (values.role === 'bare') return runBareServer();

  const viewers = Number(values.viewers);
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const burst = Number(values.burst);
  buildServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'pecktra-fanout-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const children: ChildProcess[] = [];
  try {
    const server = await startServer(port, dataDir);
    children.push(server);
    const clients = Child.fork('clients');
    children.push(clients.process);
    await clients.next('ready');

    const anchor = await api(base, '/api/anchor/register', { username: `bench_${process.pid}`, password: 'bench-password' });
    const token = String(anchor.token);
    const room = (await api(base, '/api/anchor/rooms', { character_name: 'Bench', character_date: '2025-01-01@00h00m00s' }, token))
      .room as { room_id: string };
    await api(base, `/api/anchor/rooms/${room.room_id}/live`, { live_status: 'start' }, token);
    const post = (text: string) => api(base, `/api/anchor/rooms/${room.room_id}/messages`, { name: 'Bench', is_user: false, mes: text }, token);
    await post('warm-up:0:0');

    const rssBefore = rssMiB(server.pid!);
    const connectStarted = now();
    const connected = await clients.ask({ cmd: 'connect', url: `ws://127.0.0.1:${port}/ws/chat/${room.room_id}`, viewers }, 'connected');
    const connectSeconds = (now() - connectStarted) / 1000;
    await sleep(500);
    const rssConnected = rssMiB(server.pid!);

    // Latency: one message every 1/rate s, each timestamped by the poster.
    const total = Math.round(rate * seconds);
    const started = now();
    const posts: Promise<unknown>[] = [];
    for (let seq = 0; seq < total; seq++) {
      const due = started + (seq * 1000) / rate;
      const wait = due - now();
      if (wait > 0) await sleep(wait);
      posts.push(post(`bench:${seq}:${now()}`));
    }
    await Promise.all(posts);
    await sleep(2_000);
    const report = await clients.ask({ cmd: 'report' }, 'report');
    const latencies = (report.latencies as number[]).sort((a, b) => a - b);
    const received = new Map(report.received as Array<[number, number]>);
    let lost = 0;
    let duplicated = 0;
    for (let seq = 0; seq < total; seq++) {
      const count = received.get(seq) ?? 0;
      lost += Math.max(0, viewers - count);
      duplicated += Math.max(0, count - viewers);
    }
    const rssAfter = rssMiB(server.pid!);

    // Throughput: bursts of messages in one batch post, timed until every viewer has all of them.
    // One warm-up round, then the median of three, for our server and the bare one alike.
    const timeBursts = async (trigger: () => unknown): Promise<number> => {
      const rates: number[] = [];
      for (let round = 0; round < 4; round++) {
        await clients.ask({ cmd: 'burst', expect: burst }, 'burst-armed');
        const done = clients.next('burst-done');
        const startedAt = now();
        await trigger();
        const seconds = (Number((await done).at) - startedAt) / 1000;
        if (round > 0) rates.push((viewers * burst) / seconds);
      }
      return rates.sort((x, y) => x - y)[1]!;
    };
    const ourRate = await timeBursts(() =>
      api(
        base,
        `/api/anchor/rooms/${room.room_id}/messages`,
        { messages: Array.from({ length: burst }, (_, i) => ({ name: 'Bench', is_user: false, mes: `burst:${i}:${now()}` })) },
        token,
      ),
    );
    await clients.ask({ cmd: 'disconnect' }, 'disconnected');

    // The same bursts from a bare ws server to the same number of clients, same frame bytes.
    const sample = JSON.stringify({
      type: 'chat_live_message',
      data: { op: 'add', floor: 1000, is_user: false, live_message: `burst:0:${now()}`, sender_name: 'Bench', send_date: new Date().toISOString() },
    });
    const bare = Child.fork('bare');
    children.push(bare.process);
    const { port: barePort } = await bare.next('listening');
    await clients.ask({ cmd: 'connect', url: `ws://127.0.0.1:${String(barePort)}`, viewers }, 'connected');
    const bareRate = await timeBursts(() => bare.process.send({ cmd: 'broadcast', payload: sample, count: burst }));

    const result = {
      viewers,
      connected: connected.open,
      connect_seconds: round(connectSeconds),
      rate_per_second: rate,
      messages: total,
      latency_ms: { p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)), max: round(latencies.at(-1) ?? NaN) },
      lost,
      duplicated,
      still_open: report.open,
      server_rss_mib: { before: round(rssBefore), connected: round(rssConnected), after: round(rssAfter) },
      server_rss_kib_per_connection: round(((rssConnected - rssBefore) * 1024) / viewers),
      burst_messages: burst,
      deliveries_per_second: Math.round(ourRate),
      bare_ws_deliveries_per_second: Math.round(bareRate),
      ratio_to_bare_ws: round(ourRate / bareRate),
    };
    console.log(`fan-out: ${viewers} viewers (${String(connected.open)} connected in ${result.connect_seconds} s), ${rate} msg/s for ${seconds} s`);
    console.log(`  latency p50 ${result.latency_ms.p50} ms, p99 ${result.latency_ms.p99} ms, max ${result.latency_ms.max} ms`);
    console.log(`  lost ${lost}, duplicated ${duplicated}, sockets still open ${String(report.open)}`);
    console.log(`  server RSS ${result.server_rss_mib.before} → ${result.server_rss_mib.connected} MiB: ${result.server_rss_kib_per_connection} KiB per connection`);
    console.log(`  burst of ${burst}: ${result.deliveries_per_second} deliveries/s vs bare ws ${result.bare_ws_deliveries_per_second}/s → ratio ${result.ratio_to_bare_ws}`);
    console.log(`FANOUT_RESULT ${JSON.stringify(result)}`);
  } finally {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

await main();
