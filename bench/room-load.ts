/**
 * How fast a room opens in a real browser: largest contentful paint (LCP) and total blocking time
 * (TBT) of a cold first visit to a room with a 200-line transcript and 20 viewer messages, in
 * Debian's Chromium driven by playwright-core, with the CPU slowed 4× through the DevTools protocol
 * (`Emulation.setCPUThrottlingRate`) and no network throttling. Targets: LCP < 1.2 s, TBT < 250 ms.
 *
 *   npx tsx bench/room-load.ts                  # 7 cold visits, median and spread
 *   npx tsx bench/room-load.ts --runs 11 --cpu 4
 *
 * The server is the production build (`bench/build.ts`, and `web/dist` from `npm run build:web`),
 * started by bench/server.ts on a throwaway SQLite database. TBT here is the sum over long tasks
 * (> 50 ms) that start after first contentful paint, until the page has been quiet for 3 s, of
 * their time beyond 50 ms — Lighthouse's definition with "quiet" standing in for its TTI.
 * The last line is `ROOM_LOAD_RESULT {json}`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { buildServer, ROOT } from './build.js';
import { HttpSession } from './http-session.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    cpu: { type: 'string', default: '4' },
  },
});
const runs = Math.max(1, Number(args.runs));
const cpuRate = Number(args.cpu);
const CHROMIUM = '/usr/bin/chromium';

if (!existsSync(join(ROOT, 'web', 'dist', 'index.html'))) throw new Error('build the web app first: npm run build:web');
buildServer();

// The seed posts 20 viewer messages at once, past the per-sender chat limit.
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/server.ts'], {
  cwd: ROOT,
  env: { ...process.env, CHAT_RATE_LIMIT_MESSAGES: '1000' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const ready = await new Promise<string>((resolve, reject) => {
  createInterface({ input: child.stdout! }).once('line', resolve);
  child.once('exit', (code) => reject(new Error(`bench server exited early (${code})`)));
});
const base = `http://127.0.0.1:${(JSON.parse(ready) as { appPort: number }).appPort}`;

/** Collected in the page from the first byte on; init scripts run outside the page's CSP. */
const OBSERVE = `
  window.__perf = { lcp: 0, fcp: 0, longTasks: [] };
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__perf.lcp = e.startTime; })
    .observe({ type: 'largest-contentful-paint', buffered: true });
  new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') window.__perf.fcp = e.startTime; })
    .observe({ type: 'paint', buffered: true });
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__perf.longTasks.push([e.startTime, e.duration]); })
    .observe({ type: 'longtask', buffered: true });
`;

interface Visit {
  lcpMs: number;
  fcpMs: number;
  tbtMs: number;
  /** The same sum over every long task, also those before first contentful paint. */
  allBlockingMs: number;
  longTasks: number;
}

async function seedRoom(): Promise<string> {
  const anchor = new HttpSession(base);
  const registered = await anchor.call<{ data: { token: string } }>('POST', '/api/anchor/register', { username: `load_anchor_${process.pid}`, password: 'bench-password-1' });
  anchor.bearer = registered.data.token;
  const created = await anchor.call<{ data: { room: { room_id: string } } }>('POST', '/api/anchor/rooms', {
    character_name: 'Seraphina',
    character_date: '2025-07-11@17h51m00s',
    title: 'Moonlit glade',
    describe: 'A slow-burn fantasy role-play by the campfire',
  });
  const roomId = created.data.room.room_id;
  const messages = Array.from({ length: 200 }, (_, i) => ({
    name: i % 2 === 0 ? 'Traveler' : 'Seraphina',
    is_user: i % 2 === 0,
    send_date: 'July 11, 2025 5:51pm',
    mes:
      i % 2 === 0
        ? `*leans closer to the fire* Tell me more about the forest, Seraphina. (${i})`
        : `*Seraphina smiles softly, the glow of the embers in her eyes* "The forest remembers everyone who walks it..." 森林记得每一个走过它的人。\n\n> The glade hums with quiet magic. (${i})`,
  }));
  await anchor.call('POST', `/api/anchor/rooms/${roomId}/messages`, { messages });
  await anchor.call('POST', `/api/anchor/rooms/${roomId}/live`, { live_status: 'start' });
  const viewer = new HttpSession(base);
  await viewer.call('POST', '/api/users/register', { username: `load_viewer_${process.pid}`, password: 'bench-password-1' });
  for (let i = 0; i < 20; i++) {
    await viewer.call('POST', '/api/live/save_user_chat_history', { room_id: roomId, user_message: `这个故事太好看了！ message ${i}` });
  }
  return roomId;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const visits: Visit[] = [];
try {
  const roomId = await seedRoom();
  for (let run = 0; run < runs; run++) {
    // A fresh context per visit: a first visit, nothing cached.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', colorScheme: 'dark' });
    try {
      const page = await context.newPage();
      await page.addInitScript(OBSERVE);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuRate });
      await page.goto(`${base}/live/${roomId}`);
      await page.locator('.msg').first().waitFor();
      // Quiet: no new long task for 3 s (or 15 s in all), so late work still counts.
      let seen = -1;
      for (let waited = 0; waited < 15_000; waited += 3_000) {
        await page.waitForTimeout(3_000);
        const count = (await page.evaluate('window.__perf.longTasks.length')) as number;
        if (count === seen) break;
        seen = count;
      }
      const perf = (await page.evaluate('window.__perf')) as { lcp: number; fcp: number; longTasks: Array<[number, number]> };
      const blockingOf = (tasks: Array<[number, number]>) => tasks.reduce((sum, [, duration]) => sum + Math.max(0, duration - 50), 0);
      const blocking = blockingOf(perf.longTasks.filter(([start]) => start >= perf.fcp));
      const allBlocking = blockingOf(perf.longTasks);
      visits.push({
        lcpMs: Math.round(perf.lcp),
        fcpMs: Math.round(perf.fcp),
        tbtMs: Math.round(blocking),
        allBlockingMs: Math.round(allBlocking),
        longTasks: perf.longTasks.length,
      });
      process.stderr.write(
        `visit ${run + 1}: LCP ${Math.round(perf.lcp)} ms, FCP ${Math.round(perf.fcp)} ms, TBT ${Math.round(blocking)} ms ` +
          `(blocking incl. before FCP ${Math.round(allBlocking)} ms, ${perf.longTasks.length} long tasks)\n`,
      );
    } finally {
      await context.close();
    }
  }
} finally {
  await browser.close();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const result = {
  cpuThrottling: cpuRate,
  runs,
  lcpMedianMs: median(visits.map((v) => v.lcpMs)),
  lcpMaxMs: Math.max(...visits.map((v) => v.lcpMs)),
  tbtMedianMs: median(visits.map((v) => v.tbtMs)),
  tbtMaxMs: Math.max(...visits.map((v) => v.tbtMs)),
  fcpMedianMs: median(visits.map((v) => v.fcpMs)),
  allBlockingMedianMs: median(visits.map((v) => v.allBlockingMs)),
  visits,
};
console.log(
  `LCP median ${result.lcpMedianMs} ms (max ${result.lcpMaxMs}), TBT median ${result.tbtMedianMs} ms (max ${result.tbtMaxMs}), ` +
    `FCP median ${result.fcpMedianMs} ms, blocking incl. before FCP median ${result.allBlockingMedianMs} ms at ${cpuRate}× CPU`,
);
console.log(`ROOM_LOAD_RESULT ${JSON.stringify(result)}`);
