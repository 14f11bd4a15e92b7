/**
 * The viewer side of the WebSocket benchmarks (bench/fanout.ts, bench/proxy.ts): a child process
 * holding thousands of thin viewer sockets, the IPC plumbing to drive it, and one round of timed
 * posts measured at every viewer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, connect as netConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import { DIST_SRC, ROOT } from './build.js';

export const now = (): number => performance.timeOrigin + performance.now();

type ToClients =
  /** `awaitHello`: answer once every socket got its first frame (our server's hello, sent after the join). */
  | { cmd: 'connect'; url: string; viewers: number; awaitHello?: boolean }
  | { cmd: 'burst'; expect: number }
  | { cmd: 'report' }
  | { cmd: 'disconnect' };

const MARKER = Buffer.from('"live_message":"');
/**
 * Typing frames (bench/typing.ts) carry the reply so far as `"text":"typing:R<reply>,<t1>,<t2>,..."`:
 * one token per emitted time, so every token new in a frame gives one emitted → received latency.
 */
const TYPING_MARKER = Buffer.from('"text":"typing:');
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

export async function runClients(): Promise<void> {
  let sockets: ThinSocket[] = [];
  let latencies: number[] = [];
  let typingLatencies: number[] = [];
  /** Per socket: the reply being typed (its `R<n>` tag) and how much of its text was already seen. */
  let typingReply: string[] = [];
  let typingSeen: number[] = [];
  let received = new Map<number, number>();
  let burstExpected = 0;
  let burstDoneSockets = 0;
  let burstCounts: number[] = [];
  let greeted: boolean[] = [];
  let greetedCount = 0;
  const send = (message: unknown) => process.send!(message);

  /** Payloads hold `"live_message":"bench:<seq>:<sent at>"` or `"burst:..."`, one per line in batch mode. */
  function onText(index: number, payload: Buffer): void {
    const at = now();
    if (!greeted[index]) {
      greeted[index] = true;
      greetedCount += 1;
    }
    const typing = payload.indexOf(TYPING_MARKER);
    if (typing >= 0) {
      const start = typing + TYPING_MARKER.length;
      const text = payload.toString('latin1', start, payload.indexOf(0x22, start));
      const reply = text.slice(0, text.indexOf(','));
      if (reply !== typingReply[index]) {
        typingReply[index] = reply;
        typingSeen[index] = reply.length + 1;
      }
      for (const token of text.slice(typingSeen[index]).split(',')) if (token) typingLatencies.push(at - Number(token));
      typingSeen[index] = text.length;
      return;
    }
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
      greeted = [];
      greetedCount = 0;
      // A few hundred handshakes in flight at a time keeps the listen backlog from overflowing.
      for (let start = 0; start < message.viewers; start += 250) {
        const batch: Promise<ThinSocket>[] = [];
        for (let i = start; i < Math.min(message.viewers, start + 250); i++) {
          const index = i;
          batch.push(ThinSocket.connect(message.url, (payload) => onText(index, payload)));
        }
        sockets.push(...(await Promise.all(batch)));
      }
      // Joins (access check, hello, cursor) can lag the upgrades by seconds on a busy machine; a
      // measurement started before they are done would time the join backlog, not the fan-out.
      const deadline = now() + 120_000;
      while (message.awaitHello && greetedCount < sockets.length && now() < deadline) await sleep(50);
      latencies = [];
      typingLatencies = [];
      typingReply = sockets.map(() => '');
      typingSeen = sockets.map(() => 0);
      received = new Map();
      send({ ev: 'connected', open: sockets.filter((s) => s.open).length });
    } else if (message.cmd === 'burst') {
      burstCounts = sockets.map(() => 0);
      burstDoneSockets = 0;
      burstExpected = message.expect;
      send({ ev: 'burst-armed' });
    } else if (message.cmd === 'report') {
      send({ ev: 'report', latencies, typingLatencies, received: [...received], open: sockets.filter((s) => !s.closed).length });
      latencies = [];
      typingLatencies = [];
      received = new Map();
    } else if (message.cmd === 'disconnect') {
      await Promise.all(sockets.map((socket) => socket.terminate()));
      sockets = [];
      send({ ev: 'disconnected' });
    }
  });
  send({ ev: 'ready' });
}

export class Child {
  private readonly waiting: Array<{ ev: string; resolve: (message: Record<string, unknown>) => void }> = [];

  constructor(readonly process: ChildProcess) {
    process.on('message', (message: Record<string, unknown>) => {
      const index = this.waiting.findIndex((w) => w.ev === message.ev);
      if (index >= 0) this.waiting.splice(index, 1)[0]!.resolve(message);
    });
  }

  /** Runs `script` (a bench file) again as a child process with `--role <role>`, talking over IPC. */
  static fork(script: string, role: string): Child {
    return new Child(
      spawn(process.execPath, ['--import', 'tsx', script, '--role', role], {
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

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function api(base: string, path: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json.data as Record<string, unknown>;
}


export interface LatencyRound {
  messages: number;
  /** Post → viewer delivery times in ms, ascending. */
  latencies: number[];
  /** Typing tokens' emitted → viewer times in ms, ascending (bench/typing.ts). */
  typingLatencies: number[];
  lost: number;
  duplicated: number;
  stillOpen: number;
}

/**
 * Posts `rate` messages a second for `seconds` seconds, each carrying its send time, then asks the
 * viewers (all `viewers` of them, connected through `clients`) what arrived.
 */
export async function measureLatency(
  clients: Child,
  post: (text: string) => Promise<unknown>,
  options: { viewers: number; rate: number; seconds: number },
): Promise<LatencyRound> {
  const total = Math.round(options.rate * options.seconds);
  const started = now();
  const posts: Promise<unknown>[] = [];
  for (let seq = 0; seq < total; seq++) {
    const due = started + (seq * 1000) / options.rate;
    const wait = due - now();
    if (wait > 0) await sleep(wait);
    posts.push(post(`bench:${seq}:${now()}`));
  }
  await Promise.all(posts);
  await sleep(2_000);
  const report = await clients.ask({ cmd: 'report' }, 'report');
  const received = new Map(report.received as Array<[number, number]>);
  let lost = 0;
  let duplicated = 0;
  for (let seq = 0; seq < total; seq++) {
    const count = received.get(seq) ?? 0;
    lost += Math.max(0, options.viewers - count);
    duplicated += Math.max(0, count - options.viewers);
  }
  return {
    messages: total,
    latencies: (report.latencies as number[]).sort((a, b) => a - b),
    typingLatencies: ((report.typingLatencies as number[] | undefined) ?? []).sort((a, b) => a - b),
    lost,
    duplicated,
    stillOpen: report.open as number,
  };
}

export function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The built server on a throwaway SQLite file in `dataDir`, without the per-IP socket cap; resolves once it answers /healthz. */
export async function startBenchServer(port: number, dataDir: string): Promise<ChildProcess> {
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
