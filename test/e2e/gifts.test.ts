/**
 * Gifts in Chromium against the real server: a viewer sends gifts from the panel; a second
 * browser in the room sees the banner, one combined chat line and the leaderboard change; with
 * reduced motion the banner does not move.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveRoom, DESKTOP, ensureWebBuild, hasChromium, launchBrowser, newContext, PHONE, registerUser, signIn, startServer, stMessage, watchPageProblems, type E2eServer } from './harness.js';

const SCREENSHOTS = path.resolve('test-results/screenshots');
let serial = 0;
const unique = (prefix: string) => `${prefix}${process.pid}g${++serial}`;

describe.skipIf(!hasChromium)('gifts in Chromium', () => {
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

  it('a gift from the panel shows as a banner, one combo line and a leaderboard entry in another browser', async () => {
    const room = await createLiveRoom(server.baseUrl, { character_name: 'Aria', title: 'Gift night' }, [
      stMessage('Traveler', true, 'Hello there.'),
      stMessage('Aria', false, '*waves* Welcome aboard.'),
    ]);
    const fanName = unique('fan');
    const fan = await registerUser(server.baseUrl, fanName);
    const { adjustDiamonds } = await import('../../src/wallet/index.js');
    await adjustDiamonds(server.app.db, { userId: fan.uid, amount: 500, reason: 'e2e grant', now: Date.now() });
    const watcher = await registerUser(server.baseUrl, unique('watcher'));

    const fanContext = await newContext(browser, { viewport: DESKTOP });
    const watcherContext = await newContext(browser, { viewport: PHONE, locale: 'zh-CN' });
    try {
      await signIn(fanContext, server.baseUrl, fan.cookie);
      await signIn(watcherContext, server.baseUrl, watcher.cookie);
      const fanPage = await fanContext.newPage();
      const watcherPage = await watcherContext.newPage();
      const problems = [...watchPageProblems(fanPage), ...watchPageProblems(watcherPage)];
      await Promise.all([fanPage.goto(`${server.baseUrl}/live/${room.roomId}`), watcherPage.goto(`${server.baseUrl}/live/${room.roomId}`)]);
      await fanPage.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor();
      await watcherPage.locator('.msg', { hasText: 'Welcome aboard' }).waitFor();

      await fanPage.getByTestId('gift-button').click();
      const panel = fanPage.getByRole('dialog', { name: 'Send a gift' });
      await panel.getByRole('radio', { name: /Rose/ }).click();
      await panel.getByRole('combobox').selectOption('5');
      await fanPage.screenshot({ path: path.join(SCREENSHOTS, 'gifts-panel-desktop.png') });
      await panel.getByTestId('gift-send').click();
      await panel.getByRole('status').filter({ hasText: 'Sent Rose ×5.' }).waitFor();
      await panel.getByTestId('gift-send').click();
      await panel.getByRole('status').waitFor();
      await fanPage.keyboard.press('Escape');

      // The other viewer (phone, Chinese): the banner over the story, then one combined line in the chat.
      await watcherPage.getByTestId('gift-burst').waitFor();
      await watcherPage.screenshot({ path: path.join(SCREENSHOTS, 'gifts-burst-phone.png') });
      await watcherPage.getByRole('tab', { name: /聊天/ }).click();
      const line = watcherPage.getByTestId('chat-gift');
      await line.filter({ hasText: '×10' }).waitFor();
      expect(await line.count()).toBe(1);
      expect(await line.textContent()).toContain(`${fanName} 送出了 玫瑰`);
      await watcherPage.getByTestId('leaderboard').locator('summary').click();
      await watcherPage.locator('.leaderboard-row', { hasText: fanName }).filter({ hasText: '50 钻石' }).waitFor();
      await watcherPage.screenshot({ path: path.join(SCREENSHOTS, 'gifts-chat-phone.png') });

      // The sender's balance follows the answers.
      expect((await (await fetch(`${server.baseUrl}/api/wallet/balance`, { headers: { cookie: fan.cookie } })).json()).data.coin_num).toBe(450);
      expect(problems).toEqual([]);
    } finally {
      await fanContext.close();
      await watcherContext.close();
    }
  }, 120_000);

  it('with reduced motion the banner does not animate', async () => {
    const room = await createLiveRoom(server.baseUrl, { character_name: 'Aria', title: 'Quiet room' }, [stMessage('Aria', false, 'Shh.')]);
    const fan = await registerUser(server.baseUrl, unique('calm'));
    const { adjustDiamonds } = await import('../../src/wallet/index.js');
    await adjustDiamonds(server.app.db, { userId: fan.uid, amount: 10, reason: 'e2e grant', now: Date.now() });
    const context = await browser.newContext({ viewport: DESKTOP, reducedMotion: 'reduce' });
    try {
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/live/${room.roomId}`);
      await page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor();
      const sent = await fetch(`${server.baseUrl}/api/live/send_gift`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: fan.cookie, origin: server.baseUrl },
        body: JSON.stringify({ room_id: room.roomId, gift_id: 'heart', count: 1, amount: 1 }),
      });
      expect(sent.status).toBe(200);
      const burst = page.getByTestId('gift-burst');
      await burst.waitFor();
      expect(await burst.evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
    } finally {
      await context.close();
    }
  }, 60_000);
});
