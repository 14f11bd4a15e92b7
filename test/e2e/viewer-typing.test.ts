/**
 * A viewer watches the AI reply being written: a typing bubble at the reply's floor that grows,
 * then turns into the real line in the same row (no flash), and goes away when typing is done.
 * Also writes the screenshots of a viewer watching the typing (desktop and phone).
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  type E2eServer,
} from './harness.js';

const SCREENSHOTS = path.resolve('test-results/screenshots');
if (!hasChromium) console.warn('[e2e] /usr/bin/chromium not found: typing bubble tests skipped');

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

const REPLY = 'Greetings, traveller. *She lowers her bow.* "The forest told me you would come."';

async function openRoom(page: Page, roomId: string) {
  await page.goto(`${server.baseUrl}/live/${roomId}`);
  await page.getByText('Where am I?').waitFor();
  await page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor();
}

describe.skipIf(!hasChromium)('the typing bubble', () => {
  it('grows at the reply\'s floor and becomes the real line in the same row', async () => {
    const room = await createLiveRoom(server.baseUrl, { character_name: 'Seraphina', title: 'Forest guardian' }, [
      stMessage('Traveler', true, 'Where am I?'),
    ]);
    const typing = (text: string, done = false) =>
      room.anchor.call('POST', `/api/anchor/rooms/${room.roomId}/typing`, { floor: 1, text, ...(done ? { done } : {}) });
    const context = await newContext(browser, { viewport: DESKTOP });
    try {
      const page = await context.newPage();
      await openRoom(page, room.roomId);

      const row = page.locator('article[data-floor="1"]');
      await typing(REPLY.slice(0, 20));
      await row.and(page.locator('.msg-typing')).waitFor();
      expect(await row.getByText('typing…').count()).toBe(1);
      await typing(REPLY.slice(0, 60));
      await row.filter({ hasText: 'She lowers her bow.' }).waitFor();
      // The bubble follows the user line, in floor order.
      expect(await page.locator('article').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-floor')))).toEqual(['0', '1']);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'room-typing-desktop.png') });

      // The real line replaces the bubble in the very same element: nothing is removed and redrawn.
      await row.evaluate((element) => {
        element.setAttribute('data-seen-as-bubble', '');
        const removals: string[] = [];
        new MutationObserver((records) => {
          for (const record of records) for (const node of record.removedNodes) if (node instanceof Element && node.matches('article')) removals.push(node.getAttribute('data-floor') ?? '');
          element.setAttribute('data-removed-rows', removals.join(','));
        }).observe(document.body, { childList: true, subtree: true });
      });
      const before = await row.boundingBox();
      await typing(REPLY, true);
      await room.anchor.call('POST', `/api/anchor/rooms/${room.roomId}/messages`, stMessage('Seraphina', false, REPLY));
      await page.locator('article[data-floor="1"]:not(.msg-typing)').waitFor();
      expect(await row.getAttribute('data-seen-as-bubble')).toBe('');
      expect((await row.getAttribute('data-removed-rows')) ?? '').toBe('');
      expect(await row.locator('time').count()).toBe(1);
      const after = await row.boundingBox();
      expect(after!.y).toBe(before!.y);

      // A stopped generation's bubble goes away on done.
      await room.anchor.call('POST', `/api/anchor/rooms/${room.roomId}/messages`, stMessage('Traveler', true, 'Who are you?'));
      await room.anchor.call('POST', `/api/anchor/rooms/${room.roomId}/typing`, { floor: 3, text: 'I am' });
      await page.locator('article[data-floor="3"].msg-typing').waitFor();
      await room.anchor.call('POST', `/api/anchor/rooms/${room.roomId}/typing`, { floor: 3, text: 'I am', done: true });
      await page.locator('article[data-floor="3"]').waitFor({ state: 'detached' });
    } finally {
      await context.close();
    }
  }, 90_000);

  it('on a phone, the bubble shows in the story tab', async () => {
    const room = await createLiveRoom(server.baseUrl, { character_name: 'Seraphina', title: 'Forest guardian' }, [
      stMessage('Traveler', true, 'Where am I?'),
    ]);
    const context = await newContext(browser, { viewport: PHONE, hasTouch: true });
    try {
      const page = await context.newPage();
      await openRoom(page, room.roomId);
      await room.anchor.call('POST', `/api/anchor/rooms/${room.roomId}/typing`, { floor: 1, text: REPLY.slice(0, 64) });
      await page.locator('article[data-floor="1"].msg-typing').waitFor();
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'room-typing-phone.png') });
    } finally {
      await context.close();
    }
  }, 60_000);
});
