/**
 * The anchor console in a real browser against the real server: sign up as an anchor, create a VIP
 * room, go live, create a token for the bridge and post lines with it, revoke it (the bridge gets
 * 401). Also writes the console's screenshots (desktop and phone).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, ensureWebBuild, hasChromium, launchBrowser, newContext, PHONE, startServer, stMessage, watchPageProblems, type E2eServer } from './harness.js';

const PASSWORD = 'correct horse battery';
const SCREENSHOTS = path.resolve('test-results/screenshots');

let server: E2eServer;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  ensureWebBuild();
  server = await startServer();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function uniqueAnchor(label: string): string {
  return `studio_${label}_${Math.random().toString(36).slice(2, 8)}`;
}

async function signUpAsAnchor(page: Page, username: string): Promise<void> {
  await page.goto(`${server.baseUrl}/studio`);
  await page.getByRole('heading', { name: 'Become an anchor' }).waitFor();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create anchor account' }).click();
  await page.getByRole('heading', { name: 'Studio', level: 1 }).waitFor();
}

async function createRoom(page: Page, room: { character: string; title: string; type: 'Free' | 'VIP'; price?: string }): Promise<void> {
  await page.getByRole('button', { name: /New room/ }).click();
  const form = page.locator('form.room-form');
  await form.getByLabel('Character name', { exact: true }).fill(room.character);
  await form.getByLabel('Title', { exact: true }).fill(room.title);
  await form.getByLabel(new RegExp(`^${room.type}`)).check();
  if (room.price) await form.getByLabel('Price (diamonds)').fill(room.price);
  await form.getByRole('button', { name: 'Create room' }).click();
  await page.getByTestId('studio-room').filter({ hasText: room.title }).waitFor();
}

async function bearerCall(token: string, method: string, url: string, body?: unknown): Promise<Response> {
  return fetch(server.baseUrl + url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe.skipIf(!hasChromium)('anchor console', () => {
  it(
    'signs up an anchor, creates a VIP room, goes live, and a named token posts lines until it is revoked',
    async () => {
      const context = await newContext(browser);
      try {
        const page = await context.newPage();
        const problems = watchPageProblems(page);
        page.on('dialog', (dialog) => void dialog.accept());
        await signUpAsAnchor(page, uniqueAnchor('flow'));
        await page.getByText('No rooms yet').waitFor();

        await createRoom(page, { character: 'Seraphina', title: 'Moonlit glade', type: 'VIP', price: '30' });
        const room = page.getByTestId('studio-room').filter({ hasText: 'Moonlit glade' });
        await room.getByText('VIP · 30 diamonds').waitFor();
        await room.getByText('Stopped').waitFor();
        await room.getByRole('button', { name: 'Go live' }).click();
        await room.getByText('LIVE', { exact: true }).waitFor();

        // A token for the bridge, shown once.
        await page.getByRole('link', { name: 'Tokens & devices' }).click();
        await page.getByLabel('New token name').fill('SillyTavern laptop');
        await page.getByRole('button', { name: 'Create token' }).click();
        const secret = (await page.getByTestId('new-token-secret').textContent()) ?? '';
        expect(secret.length).toBeGreaterThanOrEqual(43);
        await page.getByTestId('token-row').filter({ hasText: 'SillyTavern laptop' }).waitFor();

        // The bridge posts lines with it into the room made in the console.
        const rooms = (await (await bearerCall(secret, 'GET', '/api/anchor/rooms')).json()) as { data: { rooms: Array<{ room_id: string }> } };
        const roomId = rooms.data.rooms[0]!.room_id;
        const posted = await bearerCall(secret, 'POST', `/api/anchor/rooms/${roomId}/messages`, {
          messages: [stMessage('Seraphina', false, 'Welcome to the glade.'), stMessage('Traveller', true, 'Hello!')],
        });
        expect(posted.status).toBe(200);
        await page.getByRole('link', { name: 'Rooms', exact: true }).click();
        // The list refreshes itself every 15 s; a reload shows the new counts at once.
        await page.reload();
        await page.getByTestId('studio-room').filter({ hasText: '2 lines' }).waitFor();

        // Revoked in the console: the bridge is refused at once.
        await page.getByRole('link', { name: 'Tokens & devices' }).click();
        await page.getByRole('button', { name: 'Revoke: SillyTavern laptop' }).click();
        await page.getByTestId('token-row').filter({ hasText: 'SillyTavern laptop' }).waitFor({ state: 'detached' });
        expect((await bearerCall(secret, 'GET', '/api/anchor/rooms')).status).toBe(401);
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    },
    120_000,
  );

  it(
    'a failed save keeps what the anchor typed and says what to fix, in Chinese too',
    async () => {
      const context = await newContext(browser, { locale: 'zh-CN' });
      try {
        const page = await context.newPage();
        await page.goto(`${server.baseUrl}/studio`);
        await page.getByRole('heading', { name: '成为主播' }).waitFor();
        await page.getByLabel('用户名').fill(uniqueAnchor('zh'));
        await page.getByLabel('密码').fill(PASSWORD);
        await page.getByRole('button', { name: '创建主播账号' }).click();
        await page.getByRole('button', { name: /新建直播间/ }).click();
        const form = page.locator('form.room-form');
        await form.getByLabel('角色名', { exact: true }).fill('夜鸢');
        await form.getByLabel('标题', { exact: true }).fill('午夜假面舞会');
        await form.getByLabel(/^VIP/).check();
        // A price of 0 passes the browser's checks; the server refuses it.
        await form.getByLabel('价格（钻石）').fill('0');
        await form.getByRole('button', { name: '创建直播间' }).click();
        await form.getByRole('alert').filter({ hasText: '大于 0' }).waitFor();
        expect(await form.getByLabel('标题', { exact: true }).inputValue()).toBe('午夜假面舞会');
        await form.getByLabel('价格（钻石）').fill('50');
        await form.getByRole('button', { name: '创建直播间' }).click();
        await page.getByTestId('studio-room').filter({ hasText: '午夜假面舞会' }).waitFor();
      } finally {
        await context.close();
      }
    },
    120_000,
  );

  it(
    'a viewer is asked to sign in as an anchor, and a signed-in viewer to confirm the password to become one',
    async () => {
      const context = await newContext(browser);
      try {
        const page = await context.newPage();
        const viewerName = uniqueAnchor('viewer');
        const registered = await page.request.post(`${server.baseUrl}/api/users/register`, { data: { username: viewerName, password: PASSWORD } });
        expect(registered.status()).toBe(200);
        await page.goto(`${server.baseUrl}/studio`);
        await page.getByRole('heading', { name: 'Make this account an anchor account' }).waitFor();
        await page.getByLabel('Password').fill(PASSWORD);
        await page.getByRole('button', { name: 'Become an anchor' }).click();
        await page.getByRole('heading', { name: 'Studio', level: 1 }).waitFor();
        await page.getByText(`Signed in as ${viewerName}`).waitFor();
      } finally {
        await context.close();
      }
    },
    120_000,
  );

  it(
    'captures the console on desktop and phone',
    async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      for (const [label, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        const context = await newContext(browser, { viewport });
        try {
          const page = await context.newPage();
          await page.goto(`${server.baseUrl}/studio`);
          await page.getByRole('heading', { name: 'Become an anchor' }).waitFor();
          await page.screenshot({ path: path.join(SCREENSHOTS, `studio-sign-up-${label}.png`) });
          await signUpAsAnchor(page, uniqueAnchor(label));
          await createRoom(page, { character: 'Seraphina', title: 'Moonlit glade · 月光林地', type: 'VIP', price: '30' });
          await page.getByTestId('studio-room').getByRole('button', { name: 'Go live' }).click();
          await page.getByTestId('studio-room').getByText('LIVE', { exact: true }).waitFor();
          await createRoom(page, { character: 'Aria', title: 'Starship bridge: first contact', type: 'Free' });
          await page.screenshot({ path: path.join(SCREENSHOTS, `studio-rooms-${label}.png`), fullPage: true });
          await page.getByTestId('studio-room').filter({ hasText: 'Starship' }).getByRole('button', { name: 'Edit' }).click();
          await page.locator('form.room-form').waitFor();
          await page.screenshot({ path: path.join(SCREENSHOTS, `studio-room-edit-${label}.png`), fullPage: true });

          await page.getByRole('link', { name: 'Tokens & devices' }).click();
          await page.getByLabel('New token name').fill('SillyTavern laptop');
          await page.getByRole('button', { name: 'Create token' }).click();
          await page.getByTestId('new-token-secret').waitFor();
          await page.screenshot({ path: path.join(SCREENSHOTS, `studio-devices-${label}.png`), fullPage: true });
        } finally {
          await context.close();
        }
      }
    },
    180_000,
  );
});
