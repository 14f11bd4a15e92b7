/**
 * Live typing benchmark: N viewer sockets in one room (a separate client process) while the anchor
 * streams a reply through `POST …/typing` at the extension's pace and posts lines at a fixed rate.
 *
 *   npx tsx bench/typing.ts [--viewers 1000] [--typing-rate 8] [--rate 10] [--seconds 8]
 *
 * Reports the typing frame's latency from the anchor's post to every viewer (p50/p99), and the
 * `chat_live_message` latency p99 without typing and with typing, measured in the same run, as a
 * ratio. (In SillyTavern a token waits up to one typing interval, 125 ms, in the extension before it
 * is posted; that pacing is the extension's choice and is not part of these figures.) The last line
 * is `TYPING_RESULT {json}` for scripts.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildServer } from './build.js';
import { api, Child, freePort, measureLatency, now, percentile, round, runClients, sleep, startBenchServer } from './viewers.js';

const SELF = fileURLToPath(import.meta.url);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      viewers: { type: 'string', default: '1000' },
      'typing-rate': { type: 'string', default: '8' },
      rate: { type: 'string', default: '10' },
      seconds: { type: 'string', default: '8' },
      role: { type: 'string' },
    },
  });
  if (values.role === 'clients') return runClients();

  const viewers = Number(values.viewers);
  const typingRate = Number(values['typing-rate']);
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  buildServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'pecktra-typing-'));
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
    const roomPath = `/api/anchor/rooms/${room.room_id}`;
    await api(base, `${roomPath}/live`, { live_status: 'start' }, token);
    const post = (text: string) => api(base, `${roomPath}/messages`, { name: 'Bench', is_user: false, mes: text }, token);
    await post('warm-up:0:0');
    const connected = await clients.ask({ cmd: 'connect', url: `ws://127.0.0.1:${port}/ws/chat/${room.room_id}`, viewers }, 'connected');
    await sleep(500);

    // Lines alone: the baseline for chat_live_message latency, in this run.
    const baseline = await measureLatency(clients, post, { viewers, rate, seconds });

    // Lines while a reply streams: the typing text grows like a reply (about 40 characters an update).
    let streaming = true;
    let typingPosts = 0;
    let typingRefused = 0;
    const filler = 'She lowers her bow and smiles, for the forest told her. ';
    const typing = (async () => {
      const started = now();
      for (let seq = 0; streaming; seq++) {
        const due = started + (seq * 1000) / typingRate;
        const wait = due - now();
        if (wait > 0) await sleep(wait);
        const text = `typing:${seq}:${now()}:${filler.repeat(1 + (seq % 40))}`;
        // Floor 0 (the warm-up line) being regenerated: any floor up to the next one would do.
        // A server that fell behind sends late posts in a bunch, which the per-room limit refuses (429).
        await api(base, `${roomPath}/typing`, { floor: 0, text }, token).catch(() => (typingRefused += 1));
        typingPosts += 1;
      }
    })();
    const withTyping = await measureLatency(clients, post, { viewers, rate, seconds });
    streaming = false;
    await typing;
    // measureLatency's report also carried the typing frames received during that phase.
    const typingLatencies = withTyping.typingLatencies;
    const result = {
      viewers,
      connected: connected.open,
      typing_updates_per_second: typingRate,
      typing_posts: typingPosts,
      typing_refused: typingRefused,
      typing_frames_received: typingLatencies.length,
      typing_latency_ms: { p50: round(percentile(typingLatencies, 50)), p99: round(percentile(typingLatencies, 99)) },
      line_rate_per_second: rate,
      line_latency_p99_ms: { without_typing: round(percentile(baseline.latencies, 99)), with_typing: round(percentile(withTyping.latencies, 99)) },
      line_p99_ratio: round(percentile(withTyping.latencies, 99) / percentile(baseline.latencies, 99)),
      lost: baseline.lost + withTyping.lost,
    };
    console.log(`typing: ${viewers} viewers (${String(connected.open)} connected), ${typingRate} typing updates/s with ${rate} lines/s for ${seconds} s`);
    console.log(`  typing frame post → viewer: p50 ${result.typing_latency_ms.p50} ms, p99 ${result.typing_latency_ms.p99} ms (${result.typing_frames_received} frames; ${typingRefused} of ${typingPosts} posts refused)`);
    console.log(
      `  chat_live_message p99: ${result.line_latency_p99_ms.without_typing} ms alone, ${result.line_latency_p99_ms.with_typing} ms with typing → ratio ${result.line_p99_ratio}; lost ${result.lost}`,
    );
    console.log(`TYPING_RESULT ${JSON.stringify(result)}`);
  } finally {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
