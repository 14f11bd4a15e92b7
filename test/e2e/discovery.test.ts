/**
 * Discovery and go-live notices in Chromium against the real server: the home page's sections, tag
 * filter and search; following a room, its anchor going live and the toast in every open tab; the
 * followed page's unfollow. Screenshots (desktop and phone) go to test-results/screenshots.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClient,
  createLiveRoom,
  DESKTOP,
  ensureWebBuild,
  hasChromium,
  launchBrowser,
  newContext,
  PHONE,
  registerUser,
  signIn,
  startServer,
  stMessage,
  watchPageProblems,
  type E2eServer,
} from './harness.js';

const SCREENSHOTS = path.resolve('test-results/screenshots');
let serial = 0;
const unique = (prefix: string) => `${prefix}${process.pid}d${++serial}`;
const LINES = [stMessage('Traveler', true, 'Good evening.'), stMessage('Seraphina', false, '*smiles* Welcome back to the glade.')];

async function tag(anchor: ApiClient, roomId: string, tags: string[]): Promise<void> {
  await anchor.call('PATCH', `/api/anchor/rooms/${roomId}`, { tags });
}

describe.skipIf(!hasChromium)('discovery in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuild();
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the home page lists its sections, filters by tag and searches titles in Chinese and English', async () => {
    const story = await createLiveRoom(server.baseUrl, { character_name: 'Seraphina', title: '深夜电台：小雪的故事' }, LINES);
    await tag(story.anchor, story.roomId, ['Fantasy', '恋爱']);
    const coffee = await createLiveRoom(server.baseUrl, { character_name: 'Aqua', title: 'Morning coffee' }, LINES);
    await tag(coffee.anchor, coffee.roomId, ['ＣＨＩＬＬ']);
    // A room that is not live: search finds it, the live sections do not show it.
    const archived = await story.anchor.call<{ data: { room: { room_id: string } } }>('POST', '/api/anchor/rooms', {
      character_name: 'Seraphina',
      character_date: '2024-01-01@00h00m00s',
      title: '小雪 archive',
    });

    const context = await newContext(browser, { viewport: DESKTOP });
    try {
      const page = await context.newPage();
      const problems = watchPageProblems(page);
      await page.goto(server.baseUrl);
      const mostWatched = page.getByRole('region', { name: 'Most watched' });
      await mostWatched.getByRole('heading', { name: '深夜电台：小雪的故事' }).waitFor();
      await page.getByRole('region', { name: 'New' }).getByRole('heading', { name: 'Morning coffee' }).waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'discovery-home-desktop.png'), fullPage: true });

      // The tag filter, shown in its normal form whatever the anchor typed.
      await page.getByRole('button', { name: '#chill' }).click();
      await mostWatched.getByRole('heading', { name: '深夜电台：小雪的故事' }).waitFor({ state: 'detached' });
      await mostWatched.getByRole('heading', { name: 'Morning coffee' }).waitFor();
      expect(await mostWatched.getByTestId('room-card').count()).toBe(1);
      await page.getByRole('button', { name: 'All' }).click();

      // Search: two Chinese characters find the live room first, then the one that is not live.
      await page.getByRole('searchbox', { name: 'Search rooms' }).fill('小雪');
      const results = page.getByRole('region', { name: 'Results for “小雪”' });
      await results.getByRole('heading', { name: '小雪 archive' }).waitFor();
      const titles = await results.locator('.room-title').allTextContents();
      expect(titles).toEqual(['深夜电台：小雪的故事', '小雪 archive']);
      await results.getByText('Offline').waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'discovery-search-desktop.png') });

      // English, by a prefix of the character name; no match says so.
      await page.getByRole('searchbox', { name: 'Search rooms' }).fill('aqu');
      await page.getByRole('region', { name: 'Results for “aqu”' }).getByRole('heading', { name: 'Morning coffee' }).waitFor();
      await page.getByRole('searchbox', { name: 'Search rooms' }).fill('nothing-like-this');
      await page.getByText('No room matches').waitFor();
      expect(archived.data.room.room_id).toBeTruthy();
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }

    const phone = await newContext(browser, { viewport: PHONE, locale: 'zh-CN', hasTouch: true });
    try {
      const page = await phone.newPage();
      await page.goto(server.baseUrl);
      await page.getByRole('region', { name: '最多观看' }).getByRole('heading', { name: '深夜电台：小雪的故事' }).waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'discovery-home-phone.png'), fullPage: true });
      await page.getByRole('button', { name: '#恋爱' }).click();
      const newest = page.getByRole('region', { name: '最新' });
      await newest.getByRole('heading', { name: 'Morning coffee' }).waitFor({ state: 'detached' });
      await newest.getByRole('heading', { name: '深夜电台：小雪的故事' }).waitFor();
      expect(await newest.getByTestId('room-card').count()).toBe(1);
    } finally {
      await phone.close();
    }
  }, 120_000);

  it('following a room: its anchor goes live and every open tab shows a toast that leads to the room', async () => {
    const anchor = new ApiClient(server.baseUrl);
    const registered = await anchor.call<{ data: { token: string; username: string } }>('POST', '/api/anchor/register', {
      username: unique('moon'),
      password: 'correct horse battery',
    });
    anchor.token = registered.data.token;
    const created = await anchor.call<{ data: { room: { room_id: string } } }>('POST', '/api/anchor/rooms', {
      character_name: 'Seraphina',
      character_date: '2025-07-03@18h17m20s',
      title: 'Moonlit glade',
    });
    const roomId = created.data.room.room_id;
    const fan = await registerUser(server.baseUrl, unique('fan'));
    await fetch(`${server.baseUrl}/api/live/follow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: fan.cookie },
      body: JSON.stringify({ room_id: roomId, follow_status: true }),
    });

    const desktop = await newContext(browser, { viewport: DESKTOP });
    const phone = await newContext(browser, { viewport: PHONE, locale: 'zh-CN', hasTouch: true });
    try {
      await signIn(desktop, server.baseUrl, fan.cookie);
      await signIn(phone, server.baseUrl, fan.cookie);
      const home = await desktop.newPage();
      const following = await desktop.newPage();
      const phonePage = await phone.newPage();
      const problems = [...watchPageProblems(home), ...watchPageProblems(following), ...watchPageProblems(phonePage)];
      await Promise.all([home.goto(server.baseUrl), following.goto(`${server.baseUrl}/following`), phonePage.goto(server.baseUrl)]);
      await following.getByRole('heading', { name: 'Moonlit glade' }).waitFor();
      // Each tab's notification socket, greeted by the server.
      for (const page of [home, following, phonePage]) await page.locator('[data-testid="notifications"][data-connected="true"]').waitFor({ state: 'attached' });

      await anchor.call('POST', `/api/anchor/rooms/${roomId}/live`, { live_status: 'start' });
      const started = Date.now();
      for (const page of [home, following, phonePage]) await page.getByTestId('go-live-toast').waitFor({ timeout: 5_000 });
      expect(Date.now() - started).toBeLessThan(5_000);
      const toast = home.getByTestId('go-live-toast');
      expect(await toast.textContent()).toContain(`${registered.data.username} is live`);
      expect(await phonePage.getByTestId('go-live-toast').textContent()).toContain(`${registered.data.username} 开播了`);
      // The home page's "Following, live now" shows it too.
      await home.getByRole('region', { name: 'Following, live now' }).getByRole('heading', { name: 'Moonlit glade' }).waitFor();
      await home.getByRole('region', { name: 'Most watched' }).getByRole('heading', { name: 'Moonlit glade' }).waitFor();
      await home.screenshot({ path: path.join(SCREENSHOTS, 'go-live-toast-desktop.png') });
      await phonePage.screenshot({ path: path.join(SCREENSHOTS, 'go-live-toast-phone.png') });

      // Toggling live again at once sends no second notice.
      await anchor.call('POST', `/api/anchor/rooms/${roomId}/live`, { live_status: 'stop' });
      await anchor.call('POST', `/api/anchor/rooms/${roomId}/live`, { live_status: 'start' });
      await home.waitForTimeout(1_000);
      expect(await home.getByTestId('go-live-toast').count()).toBe(1);

      await toast.getByRole('link', { name: 'Watch now' }).click();
      await home.waitForURL(`${server.baseUrl}/live/${roomId}`);
      expect(await home.getByTestId('go-live-toast').count()).toBe(0);

      // The followed page: unfollow takes the room off the list.
      await following.screenshot({ path: path.join(SCREENSHOTS, 'following-desktop.png') });
      await following.getByRole('button', { name: 'Unfollow Moonlit glade' }).click();
      await following.getByRole('heading', { name: 'Moonlit glade' }).waitFor({ state: 'detached' });
      await following.getByText('You do not follow any room yet.').waitFor();
      expect(problems).toEqual([]);
    } finally {
      await desktop.close();
      await phone.close();
    }
  }, 120_000);
});
