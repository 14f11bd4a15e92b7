/**
 * Fan-out benchmark: N viewer sockets in one room, held by a separate client process, while the
 * anchor posts at a fixed rate through the real HTTP API of a real server process.
 *
 *   npx tsx bench/fanout.ts [--viewers 2000] [--rate 10] [--seconds 10] [--burst 100] [--batch 1]
 *
 * Viewers open the room the way the web app does, in batch mode (`?batch=1`: events coalesced into
 * newline-delimited frames); `--batch 0` opens one-event-per-frame sockets instead.
 *
 * Prints delivery latency p50/p99/max, messages lost or duplicated, server RSS per connection, and
 * the ratio of deliveries/s (a burst of `--burst` messages to every viewer) to a bare `ws` server
 * sending each message's bytes to every client as its own frame, uncoalesced, in the same run: the
 * per-frame ceiling of the machine, which only coalescing can beat. The last line is
 * `FANOUT_RESULT {json}` for scripts.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocketServer } from 'ws';
import { buildServer } from './build.js';
import { api, Child, freePort, measureLatency, now, percentile, round, rssMiB, runClients, sleep, startBenchServer } from './viewers.js';

const SELF = fileURLToPath(import.meta.url);

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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      viewers: { type: 'string', default: '2000' },
      rate: { type: 'string', default: '10' },
      seconds: { type: 'string', default: '10' },
      burst: { type: 'string', default: '100' },
      batch: { type: 'string', default: '1' },
      role: { type: 'string' },
    },
  });
  if (values.role === 'clients') return runClients();
  if (values.role === 'bare') return runBareServer();

  const viewers = Number(values.viewers);
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const burst = Number(values.burst);
  const batch = values.batch !== '0';
  buildServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'pecktra-fanout-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const children: ChildProcess[] = [];
  try {
    const server = await startBenchServer(port, dataDir);
    children.push(server);
    const clients = Child.fork(SELF, 'clients');
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
    const connected = await clients.ask({ cmd: 'connect', url: `ws://127.0.0.1:${port}/ws/chat/${room.room_id}${batch ? '?batch=1' : ''}`, viewers, awaitHello: true }, 'connected');
    const connectSeconds = (now() - connectStarted) / 1000;
    await sleep(500);
    const rssConnected = rssMiB(server.pid!);

    // Latency: one message every 1/rate s, each timestamped by the poster.
    const { messages: total, latencies, lost, duplicated, stillOpen } = await measureLatency(clients, post, { viewers, rate, seconds });
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

    // The same bursts from a bare ws server to the same number of clients: each message's bytes as
    // its own frame to every client, what a server that does not coalesce can do at best.
    const sample = JSON.stringify({
      type: 'chat_live_message',
      data: { op: 'add', floor: 1000, is_user: false, live_message: `burst:0:${now()}`, sender_name: 'Bench', send_date: new Date().toISOString() },
    });
    const bare = Child.fork(SELF, 'bare');
    children.push(bare.process);
    const { port: barePort } = await bare.next('listening');
    await clients.ask({ cmd: 'connect', url: `ws://127.0.0.1:${String(barePort)}`, viewers }, 'connected');
    const bareRate = await timeBursts(() => bare.process.send({ cmd: 'broadcast', payload: sample, count: burst }));

    const result = {
      viewers,
      batch,
      connected: connected.open,
      connect_seconds: round(connectSeconds),
      rate_per_second: rate,
      messages: total,
      latency_ms: { p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)), max: round(latencies.at(-1) ?? NaN) },
      lost,
      duplicated,
      still_open: stillOpen,
      server_rss_mib: { before: round(rssBefore), connected: round(rssConnected), after: round(rssAfter) },
      server_rss_kib_per_connection: round(((rssConnected - rssBefore) * 1024) / viewers),
      burst_messages: burst,
      deliveries_per_second: Math.round(ourRate),
      bare_ws_deliveries_per_second: Math.round(bareRate),
      ratio_to_bare_ws: round(ourRate / bareRate),
    };
    console.log(
      `fan-out: ${viewers} ${batch ? 'batch-mode' : 'one-event-per-frame'} viewers (${String(connected.open)} connected and greeted in ${result.connect_seconds} s), ${rate} msg/s for ${seconds} s`,
    );
    console.log(`  latency p50 ${result.latency_ms.p50} ms, p99 ${result.latency_ms.p99} ms, max ${result.latency_ms.max} ms`);
    console.log(`  lost ${lost}, duplicated ${duplicated}, sockets still open ${String(stillOpen)}`);
    console.log(`  server RSS ${result.server_rss_mib.before} → ${result.server_rss_mib.connected} MiB: ${result.server_rss_kib_per_connection} KiB per connection`);
    console.log(`  burst of ${burst}: ${result.deliveries_per_second} deliveries/s vs bare ws ${result.bare_ws_deliveries_per_second}/s → ratio ${result.ratio_to_bare_ws}`);
    console.log(`FANOUT_RESULT ${JSON.stringify(result)}`);
  } finally {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}


await main();
