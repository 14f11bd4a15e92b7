/**
 * Accessibility of the viewer app in Chromium, as a keyboard and screen-reader user meets it:
 * axe-core finds no serious or critical violation on any page or dialog, in both themes and both
 * languages; focus goes where the viewer expects it; titles and `lang` describe each page from the
 * first byte; live regions announce each new line once and nothing that scrolling adds.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLiveRoom,
  ensureWebBuild,
  hasChromium,
  launchBrowser,
  newContext,
  registerUser,
  seriousAxeViolations,
  signIn,
  startServer,
  stMessage,
  waitUntil,
  watchPageProblems,
  type E2eServer,
} from './harness.js';

if (!hasChromium) console.warn('[e2e] /usr/bin/chromium not found: accessibility tests skipped');

let serial = 0;
const unique = (prefix: string) => `${prefix}${process.pid}y${++serial}`;

const STORY = Array.from({ length: 120 }, (_, i) =>
  stMessage(i % 2 ? 'Seraphina' : 'Traveler', i % 2 === 0, `Line ${i}: *the fire crackles* "The forest remembers," she says. שלום ${i}`),
);

/** Text that screen readers would be sent: everything added inside live regions since `start`. */
async function startListening(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    window.__announced = [];
    const live = (node) => node instanceof Element && node.closest('[aria-live]:not([aria-live="off"]), [role=log], [role=status], [role=alert]');
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          const region = live(node.nodeType === 1 ? node : node.parentElement);
          if (region && node.textContent.trim()) window.__announced.push(node.textContent.trim());
        }
        if (record.type === 'characterData' && live(record.target.parentElement)) window.__announced.push(record.target.textContent.trim());
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  })()`);
}
const announced = (page: Page) => page.evaluate('window.__announced') as Promise<string[]>;

describe.skipIf(!hasChromium)('accessibility in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let freeRoom: Awaited<ReturnType<typeof createLiveRoom>>;
  let vipRoom: Awaited<ReturnType<typeof createLiveRoom>>;

  beforeAll(async () => {
    ensureWebBuild();
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    freeRoom = await createLiveRoom(server.baseUrl, { character_name: 'Seraphina', title: 'Moonlit glade', describe: 'A cozy role-play' }, STORY);
    vipRoom = await createLiveRoom(server.baseUrl, { character_name: 'Nyx', title: 'Midnight masquerade', room_type: 1, coin_num: 50 }, STORY.slice(0, 4));
    // A chat message, so a viewer card can be opened.
    const talker = await registerUser(server.baseUrl, unique('hello'));
    await fetch(`${server.baseUrl}/api/live/save_user_chat_history`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: talker.cookie, origin: server.baseUrl },
      body: JSON.stringify({ room_id: freeRoom.roomId, user_message: 'hello everyone' }),
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('axe-core: no serious or critical violation on home, room, paywall, dialogs, wallet, following and account, in both themes and languages', async () => {
    const { cookie } = await registerUser(server.baseUrl, unique('axe'));
    const failures: string[] = [];
    for (const colorScheme of ['dark', 'light'] as const) {
      for (const locale of ['en-US', 'zh-CN']) {
        const context = await newContext(browser, { colorScheme, locale });
        try {
          const page = await context.newPage();
          const check = async (what: string) => {
            for (const violation of await seriousAxeViolations(page)) {
              failures.push(`${colorScheme} ${locale} ${what}: ${violation.id} (${violation.impact}) ${violation.help} ${JSON.stringify(violation.nodes)}`);
            }
          };
          await page.goto(`${server.baseUrl}/`);
          await page.locator('[data-testid=room-card]').first().waitFor();
          await check('home');
          await page.goto(`${server.baseUrl}/live/${freeRoom.roomId}`);
          await page.locator('.msg').first().waitFor();
          await page.locator('.chat-msg, .chat-empty').first().waitFor();
          await check('room');
          await page.locator('.topbar-actions .btn-primary').click();
          await page.getByRole('dialog').waitFor();
          await check('login dialog');
          await page.keyboard.press('Escape');
          await page.goto(`${server.baseUrl}/live/${vipRoom.roomId}`);
          await page.getByTestId('paywall').waitFor();
          await check('paywall (guest)');

          await signIn(context, server.baseUrl, cookie);
          await page.reload();
          await page.getByTestId('paywall').waitFor();
          await page.locator('.paywall .btn-primary').waitFor();
          await check('paywall (signed in)');
          await page.locator('.paywall .btn-primary').click();
          await page.getByRole('radiogroup').waitFor();
          await check('recharge dialog');
          await page.keyboard.press('Escape');
          await page.goto(`${server.baseUrl}/wallet`);
          await page.getByTestId('wallet-balance').waitFor();
          await check('wallet');
          await page.goto(`${server.baseUrl}/following`);
          await page.getByRole('heading', { level: 1 }).waitFor();
          await check('following');
          await page.goto(`${server.baseUrl}/account`);
          await page.locator('input[name="delete-password"]').waitFor();
          await check('account');
          await page.goto(`${server.baseUrl}/live/${freeRoom.roomId}`);
          await page.locator('.chat-msg, .chat-empty').first().waitFor();
          await page.getByRole('button', { name: 'Emoji' }).or(page.getByRole('button', { name: '表情' })).click();
          await check('emoji picker');
          await page.keyboard.press('Escape');
          await page.locator('.chat-msg .chat-name').first().click();
          await page.getByTestId('user-card').waitFor();
          await check('viewer card');
          await page.keyboard.press('Escape');
          await page.locator('.room-actions .btn', { hasText: '100' }).first().click();
          await page.getByRole('dialog').waitFor();
          await check('subscribe dialog');
        } finally {
          await context.close();
        }
      }
    }
    expect(failures).toEqual([]);
  }, 240_000);

  it('focus: dialogs open on their first field and give focus back to their opener; a room opens on its heading', async () => {
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/`);
      const login = page.getByRole('button', { name: 'Log in', exact: true });
      await login.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('dialog', { name: 'Log in' }).waitFor();
      expect(await page.evaluate('document.activeElement.name')).toBe('username');
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      expect(await login.evaluate((element) => element === document.activeElement)).toBe(true);

      // Closing with the × button, too.
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Close' }).click();
      expect(await login.evaluate((element) => element === document.activeElement)).toBe(true);

      // Following a room card by keyboard lands on the room's heading.
      await page.getByRole('link', { name: /Moonlit glade/ }).first().focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Moonlit glade' }).waitFor();
      await waitUntil(async () => (await page.evaluate('document.activeElement.id')) === 'room-title');
      expect(await page.title()).toMatch(/^Moonlit glade · @anchor_\w+ · Pecktra Live$/);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('the recharge packages are radios: arrow keys move the choice, and the dialog gives focus back', async () => {
    const { cookie } = await registerUser(server.baseUrl, unique('radio'));
    const context = await newContext(browser);
    try {
      await signIn(context, server.baseUrl, cookie);
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/wallet`);
      const recharge = page.locator('.balance-card .btn-primary');
      await recharge.focus();
      await page.keyboard.press('Enter');
      const checked = page.getByRole('radio', { checked: true });
      await checked.waitFor();
      // Opens on the chosen package, the first field of the dialog.
      expect(await checked.evaluate((element) => element === document.activeElement)).toBe(true);
      expect(await checked.textContent()).toContain('100 diamonds');
      await page.keyboard.press('ArrowRight');
      expect(await page.getByRole('radio', { checked: true }).textContent()).toContain('550 diamonds');
      expect(await page.evaluate('document.activeElement.getAttribute("aria-checked")')).toBe('true');
      await page.keyboard.press('ArrowRight');
      expect(await page.getByRole('radio', { checked: true }).textContent()).toContain('60 diamonds');
      await page.keyboard.press('ArrowLeft');
      expect(await page.getByRole('radio', { checked: true }).textContent()).toContain('550 diamonds');
      // One tab stop for the group.
      expect(await page.getByRole('radio').evaluateAll((radios) => radios.map((radio) => radio.getAttribute('tabindex')))).toEqual(['-1', '-1', '0']);
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      expect(await recharge.evaluate((element) => element === document.activeElement)).toBe(true);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('titles and lang come with the page from the server, then follow the viewer', async () => {
    const english = await fetch(`${server.baseUrl}/live/${freeRoom.roomId}`, { headers: { accept: 'text/html', 'accept-language': 'en-US,en;q=0.9' } });
    const html = await english.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/<title>Moonlit glade · @anchor_\w+ · Pecktra Live<\/title>/);
    const chinese = await (await fetch(`${server.baseUrl}/wallet`, { headers: { accept: 'text/html', 'accept-language': 'zh-CN,zh' } })).text();
    expect(chinese).toContain('<html lang="zh-CN">');

    const context = await newContext(browser, { locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/`);
      await page.getByRole('heading', { name: 'Live now' }).waitFor();
      expect(await page.title()).toBe('Live now · Pecktra Live');
      await page.getByRole('link', { name: 'Wallet', exact: true }).click();
      await waitUntil(async () => (await page.title()) === 'Wallet · Pecktra Live');
      // A language picked in the app is the one the server serves next time.
      await page.getByTestId('language-switch').click();
      await waitUntil(async () => (await page.title()) === '钱包 · Pecktra Live');
      const response = await page.goto(`${server.baseUrl}/following`);
      expect(await response!.text()).toContain('<html lang="zh-CN">');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('headings do not skip a level, and names and text of other scripts are isolated from the times beside them', async () => {
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/`);
      await page.locator('[data-testid=room-card]').first().waitFor();
      const levels = await page.locator('h1, h2, h3, h4').evaluateAll((headings) => headings.map((h) => Number(h.tagName[1])));
      for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!, `heading ${i}`).toBeLessThanOrEqual(1);
      expect(levels[0]).toBe(1);

      await page.goto(`${server.baseUrl}/live/${freeRoom.roomId}`);
      await page.locator('.msg').first().waitFor();
      expect(await page.locator('.msg-name').first().evaluate((element) => element.tagName)).toBe('BDI');
      expect(await page.locator('.msg-text').first().getAttribute('dir')).toBe('auto');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('live regions: scrolling announces nothing; each new line is announced once, with its speaker apart; all / mentions / off', async () => {
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      const problems = watchPageProblems(page);
      await page.goto(`${server.baseUrl}/live/${freeRoom.roomId}`);
      await page.getByText('Line 119:').waitFor();
      await page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor();
      await startListening(page);

      // Reading back through the whole transcript adds rows, and none of them is announced.
      const transcript = page.getByTestId('transcript');
      await transcript.focus();
      await page.keyboard.press('Home');
      await page.getByText('Line 0:').waitFor();
      await page.keyboard.press('End');
      await page.getByText('Line 119:').waitFor();
      expect(await announced(page)).toEqual([]);

      await freeRoom.anchor.call('POST', `/api/anchor/rooms/${freeRoom.roomId}/messages`, stMessage('Seraphina', false, '*A lantern flickers.* "Look — fireflies."'));
      await waitUntil(async () => (await announced(page)).length > 0);
      await page.waitForTimeout(500);
      expect(await announced(page)).toEqual(['Seraphina: A lantern flickers. "Look — fireflies."']);
      expect(await page.getByTestId('announcer').locator('bdi').first().textContent()).toBe('Seraphina');

      // Mentions only: a viewer's plain message is not read, one naming this viewer is.
      const selfName = (await page.locator('.chat-as').textContent())!.replace(/^Chatting as /, '');
      await page.getByLabel('Read out new messages').selectOption('mentions');
      const other = await registerUser(server.baseUrl, unique('talker'));
      const say = (text: string) =>
        fetch(`${server.baseUrl}/api/live/save_user_chat_history`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: other.cookie, origin: server.baseUrl },
          body: JSON.stringify({ room_id: freeRoom.roomId, user_message: text }),
        });
      await say('just chatting');
      await page.locator('.chat-msg', { hasText: 'just chatting' }).waitFor();
      await say(`@${selfName} welcome!`);
      await page.locator('.chat-msg-mention', { hasText: 'welcome!' }).waitFor();
      await page.waitForTimeout(300);
      expect((await announced(page)).slice(1)).toEqual([expect.stringMatching(new RegExp(`^talker\\w+: @${selfName} welcome!$`))]);

      await page.getByLabel('Read out new messages').selectOption('off');
      await say(`@${selfName} still there?`);
      await freeRoom.anchor.call('POST', `/api/anchor/rooms/${freeRoom.roomId}/messages`, stMessage('Seraphina', false, 'Quiet now.'));
      await page.getByText('Quiet now.').waitFor();
      await page.locator('.chat-msg', { hasText: 'still there?' }).waitFor();
      await page.waitForTimeout(300);
      expect(await announced(page)).toHaveLength(2);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
