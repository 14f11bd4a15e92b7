/**
 * Live typing benchmark: N viewer sockets in one room (a separate client process) while a fake
 * model backend streams tokens into the real SillyTavern extension (extensions/sillytavern/lib,
 * driven through a stand-in for SillyTavern's page), which paces them and posts `…/typing` as it
 * does in SillyTavern; meanwhile the anchor posts lines at a fixed rate.
 *
 *   npx tsx bench/typing.ts [--viewers 1000] [--token-rate 30] [--rate 10] [--seconds 8]
 *
 * Reports each token's latency from the backend emitting it to every viewer's socket receiving it
 * (p50/p99; it includes the extension's pacing of at most one update per 125 ms), and the
 * `chat_live_message` latency p99 without typing and with typing, measured in the same run, as a
 * ratio. The last line is `TYPING_RESULT {json}` for scripts.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PecktraApi } from '../extensions/sillytavern/lib/api.js';
import { Bridge } from '../extensions/sillytavern/lib/bridge.js';
import { FakeSillyTavern, MemoryStorage } from '../test/bridge/fake-sillytavern.js';
import { buildServer } from './build.js';
import { api, Child, freePort, measureLatency, now, percentile, round, runClients, sleep, startBenchServer } from './viewers.js';

const SELF = fileURLToPath(import.meta.url);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      viewers: { type: 'string', default: '1000' },
      'token-rate': { type: 'string', default: '30' },
      rate: { type: 'string', default: '10' },
      seconds: { type: 'string', default: '8' },
      role: { type: 'string' },
    },
  });
  if (values.role === 'clients') return runClients();

  const viewers = Number(values.viewers);
  const tokenRate = Number(values['token-rate']);
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

    // Lines while replies stream: the fake backend emits tokens into the extension, as SillyTavern
    // would, one reply after another (about 4 s each); a token is the time it was emitted.
    const sillyTavern = new FakeSillyTavern();
    const characterDate = '2025-01-01@00h00m00s';
    sillyTavern.characters = [{ name: 'Bench', chat: `Bench - ${characterDate}` }];
    sillyTavern.chat = [{ name: 'Bench', is_user: false, mes: 'warm-up:0:0' }];
    let typingPosts = 0;
    let typingRefused = 0;
    const countingFetch = (async (url: string, init: RequestInit) => {
      const response = await fetch(url, init);
      if (String(url).endsWith('/typing')) {
        typingPosts += 1;
        if (!response.ok) typingRefused += 1;
      }
      return response;
    }) as typeof fetch;
    const bridge = new Bridge({
      getContext: sillyTavern.getContext,
      settings: { serverUrl: base, token, username: 'bench', chats: { [`Bench\u0000${characterDate}`]: { roomId: room.room_id, live: true } } },
      saveSettings: () => undefined,
      storage: new MemoryStorage(),
      createApi: (url: string, apiToken: string | null) => new PecktraApi(url, apiToken, countingFetch),
    });
    bridge.attach();
    let streaming = true;
    let tokensEmitted = 0;
    const tokensPerReply = tokenRate * 4;
    const typing = (async () => {
      const started = now();
      for (let reply = 0; streaming; reply++) {
        sillyTavern.emit('GENERATION_STARTED', 'normal', {}, false);
        let text = `typing:R${reply},`;
        for (let token = 0; token < tokensPerReply && streaming; token++) {
          const due = started + (tokensEmitted * 1000) / tokenRate;
          const wait = due - now();
          if (wait > 0) await sleep(wait);
          text += `${now().toFixed(1)},`;
          tokensEmitted += 1;
          sillyTavern.emit('STREAM_TOKEN_RECEIVED', text);
        }
        sillyTavern.emit('GENERATION_ENDED', 1);
      }
    })();
    const withTyping = await measureLatency(clients, post, { viewers, rate, seconds });
    streaming = false;
    await typing;
    bridge.detach();
    // measureLatency's report also carried the typing frames received during that phase.
    const typingLatencies = withTyping.typingLatencies;
    const result = {
      viewers,
      connected: connected.open,
      tokens_per_second: tokenRate,
      tokens_emitted: tokensEmitted,
      typing_posts: typingPosts,
      typing_refused: typingRefused,
      typing_tokens_received: typingLatencies.length,
      typing_latency_ms: { p50: round(percentile(typingLatencies, 50)), p99: round(percentile(typingLatencies, 99)) },
      line_rate_per_second: rate,
      line_latency_p99_ms: { without_typing: round(percentile(baseline.latencies, 99)), with_typing: round(percentile(withTyping.latencies, 99)) },
      line_p99_ratio: round(percentile(withTyping.latencies, 99) / percentile(baseline.latencies, 99)),
      lost: baseline.lost + withTyping.lost,
    };
    console.log(`typing: ${viewers} viewers (${String(connected.open)} connected), ${tokenRate} tokens/s through the extension with ${rate} lines/s for ${seconds} s`);
    console.log(
      `  token emitted → viewer: p50 ${result.typing_latency_ms.p50} ms, p99 ${result.typing_latency_ms.p99} ms ` +
        `(${result.typing_tokens_received} of ${tokensEmitted * viewers} token deliveries; ${typingPosts} typing posts, ${typingRefused} refused)`,
    );
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
