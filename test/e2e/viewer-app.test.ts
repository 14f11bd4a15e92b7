/**
 * The viewer web app in a real browser against the real server on a fresh database:
 * watching a live room, chatting across browsers, paying for a VIP room after a simulated
 * recharge, switching language and logging out. Also writes the README screenshots.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { buildApp } from '../../src/app.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { MemoryRateLimiter } from '../../src/infra/rate-limiter.js';
import { MemoryEventBus } from '../../src/realtime/memory-event-bus.js';
import { MemoryPresence } from '../../src/realtime/presence.js';
import { testConfig } from '../helpers/app.js';
import {
  createLiveRoom,
  DESKTOP,
  ensureWebBuild,
  hasChromium,
  launchBrowser,
  newContext,
  PHONE,
  startServer,
  stMessage,
  waitUntil,
  watchPageProblems,
  type E2eServer,
} from './harness.js';

const PASSWORD = 'correct horse battery';
const SCREENSHOTS = path.resolve('test-results/screenshots');

if (!hasChromium) {
  console.warn('[e2e] /usr/bin/chromium not found: browser tests skipped (apt-get install -y chromium)');
}

/**
 * Which APIs this build has; a scenario whose API has not landed yet is skipped, not failed. The
 * probe app runs on a private in-memory SQLite database whatever the test database is, so it adds
 * no schema churn to a PostgreSQL run.
 */
async function detectApis() {
  const database = await openDatabase({ databaseUrl: '', sqlitePath: ':memory:' });
  await migrateToLatest(database.db);
  const probe = await buildApp({
    config: testConfig(),
    db: database.db,
    rateLimiter: new MemoryRateLimiter(),
    eventBus: new MemoryEventBus(),
    presence: new MemoryPresence(),
    logger: pino({ level: 'silent' }),
  });
  const routeExists = async (method: 'GET' | 'POST', url: string) => {
    const res = await probe.inject({ method, url, payload: method === 'POST' ? {} : undefined });
    return !(res.statusCode === 404 && res.body.includes('No route for'));
  };
  try {
    return {
      rooms: (await routeExists('GET', '/api/live/get_all_lives')) && (await routeExists('POST', '/api/anchor/rooms')),
      realtime: await routeExists('GET', '/ws/chat/probe'),
      wallet: await routeExists('POST', '/api/live/pay_vip_coin'),
      payments: (await routeExists('GET', '/api/payment/packages')) && (await routeExists('POST', '/api/payment/simulate/probe')),
    };
  } finally {
    await probe.close();
    await database.close();
  }
}

const apis = hasChromium ? await detectApis() : { rooms: false, realtime: false, wallet: false, payments: false };

let counter = 0;
function uniqueUser(prefix: string): string {
  counter += 1;
  return `${prefix}${process.pid}x${counter}`;
}

async function registerInUi(page: Page, username: string): Promise<void> {
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.getByRole('button', { name: 'New here? Create an account' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByTestId('header-user').filter({ hasText: username }).waitFor();
}

async function headerBalance(page: Page): Promise<string> {
  return (await page.getByTestId('header-balance').textContent())?.trim() ?? '';
}

async function waitForHeaderBalance(page: Page, expected: number): Promise<void> {
  await page.getByTestId('header-balance').filter({ hasText: new RegExp(`^${expected}$`) }).waitFor();
}

const SERAPHINA = [
  stMessage('Traveler', true, 'I wake up in a clearing. *Where am I?*'),
  stMessage(
    'Seraphina',
    false,
    '*Seraphina kneels beside you, her amber eyes glowing softly.* "You are safe now, traveler. The forest brought you to me."\n\n> The glade hums with quiet magic.',
  ),
  stMessage('Traveler', true, '"Who are you?" *I sit up slowly.*'),
  stMessage(
    'Seraphina',
    false,
    '*She smiles and offers a cup of warm tea.* "I am **Seraphina**, guardian of this glade. Rest — the shadows cannot reach us here."',
  ),
];

describe.skipIf(!hasChromium)('viewer web app in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuild();
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it.skipIf(!apis.rooms || !apis.realtime)(
    '1. a guest opens home, enters a live room, sees the history and a new anchor message appear live',
    async () => {
      const { anchor, roomId } = await createLiveRoom(
        server.baseUrl,
        { character_name: 'Seraphina', title: 'Moonlit glade', describe: 'A cozy fantasy role-play' },
        SERAPHINA,
      );
      const context = await newContext(browser);
      try {
        const page = await context.newPage();
        const problems = watchPageProblems(page);
        await page.goto(`${server.baseUrl}/`);
        await page.getByRole('link', { name: /Moonlit glade/ }).first().click();
        await page.waitForURL(`**/live/${roomId}`);
        await page.getByText('Who are you?').waitFor();
        expect(await page.locator('.msg-ai em').first().textContent()).toContain('Seraphina kneels');
        expect(await page.locator('.msg-text strong').first().textContent()).toBe('Seraphina');
        await page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor();
        expect(await page.getByTestId('header-user').textContent()).toBe('Guest');

        await page.evaluate('window.__sameDocument = true');
        await anchor.call('POST', `/api/anchor/rooms/${roomId}/messages`, {
          name: 'Seraphina',
          is_user: false,
          mes: '*A lantern flickers to life.* "Look — fireflies."',
          send_date: 'July 11, 2025 5:52pm',
        });
        await page.locator('.msg', { hasText: 'A lantern flickers to life.' }).waitFor();
        expect(await page.evaluate('window.__sameDocument')).toBe(true);
        expect(await page.locator('.msg').count()).toBe(SERAPHINA.length + 1);
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    },
    60_000,
  );

  it.skipIf(!apis.rooms || !apis.realtime)(
    '2. a user registers and chats; the message appears in a second browser watching the room',
    async () => {
      const { roomId } = await createLiveRoom(server.baseUrl, { character_name: 'Aria', title: 'Starship bridge' }, SERAPHINA.slice(0, 2));
      const [chatter, watcher] = await Promise.all([newContext(browser), newContext(browser)]);
      try {
        const [page, watching] = await Promise.all([chatter.newPage(), watcher.newPage()]);
        await Promise.all([page.goto(`${server.baseUrl}/live/${roomId}`), watching.goto(`${server.baseUrl}/live/${roomId}`)]);
        const username = uniqueUser('chatter');
        await registerInUi(page, username);
        await Promise.all([
          page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor(),
          watching.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor(),
        ]);

        await page.getByLabel('Chat message').fill('Hello from the bridge!');
        await page.getByRole('button', { name: 'Send' }).click();
        const seen = watching.locator('.chat-msg', { hasText: 'Hello from the bridge!' });
        await seen.waitFor();
        expect(await seen.locator('.chat-name').textContent()).toBe(username);
        await page.locator('.chat-msg', { hasText: 'Hello from the bridge!' }).waitFor();
        expect(await page.locator('.chat-msg', { hasText: 'Hello from the bridge!' }).count()).toBe(1);
        expect(await page.getByLabel('Chat message').inputValue()).toBe('');

        // The per-sender limit (5 messages / 10 s) answers in words, not silence.
        const input = page.getByLabel('Chat message');
        const refusal = page.locator('.chat-form [role=alert]');
        for (let i = 0; i < 6 && (await refusal.count()) === 0; i += 1) {
          await input.fill(`message ${i}`);
          await page.getByRole('button', { name: 'Send' }).click();
          await waitUntil(async () => (await input.inputValue()) === '' || (await refusal.count()) > 0);
        }
        expect(await refusal.textContent()).toBe('You are sending too fast. Wait a moment and try again.');
        expect(await input.inputValue()).not.toBe('');
      } finally {
        await Promise.all([chatter.close(), watcher.close()]);
      }
    },
    60_000,
  );

  it.skipIf(!apis.rooms || !apis.wallet || !apis.payments)(
    '3. a VIP room shows the paywall; recharge through the simulated provider, pay, and the transcript unlocks',
    async () => {
      const { roomId } = await createLiveRoom(
        server.baseUrl,
        { character_name: 'Nyx', title: 'Midnight masquerade', room_type: 1, coin_num: 50 },
        SERAPHINA,
      );
      const context = await newContext(browser);
      try {
        const page = await context.newPage();
        const problems = watchPageProblems(page);
        await page.goto(`${server.baseUrl}/live/${roomId}`);
        await page.getByTestId('paywall').waitFor();
        expect(await page.getByText('Who are you?').count()).toBe(0);

        await registerInUi(page, uniqueUser('payer'));
        expect(await headerBalance(page)).toBe('0');
        await page.getByText('You need 50 more diamonds.').waitFor();
        await page.getByRole('button', { name: 'Recharge diamonds' }).click();

        const dialog = page.getByRole('dialog', { name: 'Recharge diamonds' });
        await dialog.getByRole('radio', { name: /60 diamonds/ }).click();
        await dialog.getByRole('button', { name: 'Continue' }).click();
        await dialog.getByTestId('pay-address').waitFor();
        expect(await dialog.getByTestId('pay-address').textContent()).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);
        expect(await dialog.getByRole('img', { name: 'QR code of the payment address' }).count()).toBe(1);
        await dialog.getByTestId('payment-status').filter({ hasText: 'Waiting for your payment.' }).waitFor();
        expect(await headerBalance(page)).toBe('0');

        await dialog.getByRole('button', { name: 'Simulate: confirming' }).click();
        await dialog.getByTestId('payment-status').filter({ hasText: 'waiting for confirmations' }).waitFor();
        expect(await headerBalance(page)).toBe('0');
        await dialog.getByRole('button', { name: 'Simulate: paid' }).click();
        await dialog.getByText('Payment complete — diamonds credited!').waitFor();
        await waitForHeaderBalance(page, 60);
        await dialog.getByRole('button', { name: 'Done' }).click();

        await page.getByRole('button', { name: 'Pay 50 diamonds to enter' }).click();
        await page.getByText('Who are you?').waitFor();
        await waitForHeaderBalance(page, 10);
        expect(await page.getByTestId('paywall').count()).toBe(0);

        // Unlocked for good: a reload goes straight to the transcript at the same balance.
        await page.reload();
        await page.getByText('Who are you?').waitFor();
        await waitForHeaderBalance(page, 10);
        // The QR code is a data: image and the app has no inline code: nothing trips the CSP.
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    },
    90_000,
  );

  it('4. switching language changes the interface text; logout returns to 游客', async () => {
    const context = await newContext(browser, { locale: 'en-US' });
    try {
      const page = await context.newPage();
      const problems = watchPageProblems(page);
      await page.goto(`${server.baseUrl}/`);
      await page.getByRole('heading', { name: 'Live now' }).waitFor();
      expect(await page.getByTestId('header-user').textContent()).toBe('Guest');

      await page.getByTestId('language-switch').click();
      await page.getByRole('heading', { name: '正在直播' }).waitFor();
      expect(await page.getByTestId('header-user').textContent()).toBe('游客');
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');

      await page.reload();
      await page.getByRole('heading', { name: '正在直播' }).waitFor();

      const username = uniqueUser('lang');
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByRole('button', { name: '还没有账号？立即注册' }).click();
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码').fill(PASSWORD);
      await page.getByRole('button', { name: '创建账号' }).click();
      await page.getByTestId('header-user').filter({ hasText: username }).waitFor();

      await page.getByRole('button', { name: '退出登录' }).click();
      await page.getByTestId('header-user').filter({ hasText: '游客' }).waitFor();
      await page.getByRole('button', { name: '登录' }).waitFor();

      await page.getByTestId('language-switch').click();
      await page.getByRole('heading', { name: 'Live now' }).waitFor();
      expect(await page.getByTestId('header-user').textContent()).toBe('Guest');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it.skipIf(!apis.rooms)(
    'renders a 2,000-message transcript virtualised: a bounded number of rows in the page',
    async () => {
      const long = Array.from({ length: 2000 }, (_, i) =>
        stMessage(i % 2 ? 'Seraphina' : 'Traveler', i % 2 === 0, `Line ${i}: *the story goes on* "and on," she says.`),
      );
      const { roomId } = await createLiveRoom(server.baseUrl, { character_name: 'Chronicle', title: 'The long tale' }, long);
      const context = await newContext(browser);
      try {
        const page = await context.newPage();
        await page.goto(`${server.baseUrl}/live/${roomId}`);
        await page.getByText('Line 1999:').waitFor();
        const rendered = await page.locator('.msg').count();
        expect(rendered).toBeGreaterThan(3);
        expect(rendered).toBeLessThan(60);

        // Keyboard reading: Home goes to the top, where earlier history loads on request. The earlier
        // page answers slowly here, as it does from a busy server: Line 1800 is on screen before and
        // while it loads, so only the lines above it tell that it has arrived.
        await page.route(/[?&]before_floor=/, async (route) => {
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          await route.continue();
        });
        const transcript = page.getByRole('region', { name: 'Role-play messages' });
        await transcript.focus();
        await page.keyboard.press('Home');
        await page.getByRole('button', { name: 'Load earlier messages' }).click();
        await page.getByText(/^Line 1799:/).waitFor();
        // The earlier lines arrived above the reader's line, which did not move.
        const [view, line] = await Promise.all([transcript.boundingBox(), page.getByText(/^Line 1800:/).boundingBox()]);
        expect(line!.y).toBeGreaterThanOrEqual(view!.y);
        expect(line!.y).toBeLessThan(view!.y + view!.height);
        await transcript.focus();
        await page.keyboard.press('Home');
        await page.getByText(/^Line 1600:/).waitFor();
        expect(await page.locator('.msg').count()).toBeLessThan(60);
      } finally {
        await context.close();
      }
    },
    90_000,
  );

  it.skipIf(!apis.rooms || !apis.payments)(
    'captures screenshots of home, a room and the recharge dialog on desktop and phone',
    async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const showcase = await createLiveRoom(
        server.baseUrl,
        { character_name: 'Seraphina', title: '月光林地 · Moonlit glade', describe: 'A cozy fantasy role-play in an enchanted forest' },
        SERAPHINA,
      );
      await createLiveRoom(server.baseUrl, { character_name: '夜鸢', title: '午夜假面舞会', room_type: 1, coin_num: 50 }, SERAPHINA.slice(0, 2));
      await createLiveRoom(server.baseUrl, { character_name: 'Aria', title: 'Starship bridge: first contact', room_type: 2, coin_num: 120 }, SERAPHINA.slice(0, 1));

      for (const [label, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        const context = await newContext(browser, { viewport });
        try {
          const page = await context.newPage();
          await page.goto(`${server.baseUrl}/`);
          await page.getByRole('link', { name: /月光林地/ }).first().waitFor();
          await page.screenshot({ path: path.join(SCREENSHOTS, `home-${label}.png`) });

          await page.goto(`${server.baseUrl}/live/${showcase.roomId}`);
          await registerInUi(page, uniqueUser(label));
          // On a phone the chat is the second tab.
          if (label === 'phone') await page.getByRole('tab', { name: /Chat/ }).click();
          const comment = label === 'desktop' ? 'This story is so good!' : '太好看了，期待下一幕！';
          await page.getByLabel('Chat message').fill(comment);
          await page.getByRole('button', { name: 'Send' }).click();
          await page.locator('.chat-msg', { hasText: comment }).waitFor();
          if (label === 'phone') {
            await page.screenshot({ path: path.join(SCREENSHOTS, `room-${label}-chat-tab.png`) });
            await page.getByRole('tab', { name: /Story/ }).click();
          }
          await page.locator('.msg', { hasText: 'Who are you?' }).waitFor();
          await page.evaluate('window.scrollTo(0, 0)');
          await page.screenshot({ path: path.join(SCREENSHOTS, `room-${label}.png`) });

          await page.locator('.balance-pill').click();
          const dialog = page.getByRole('dialog', { name: 'Recharge diamonds' });
          await dialog.getByRole('button', { name: 'Continue' }).click();
          await dialog.getByTestId('pay-address').waitFor();
          await page.screenshot({ path: path.join(SCREENSHOTS, `recharge-${label}.png`) });
        } finally {
          await context.close();
        }
      }
    },
    120_000,
  );
});
