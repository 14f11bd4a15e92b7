/**
 * What a viewer meets in a room beyond the basics, in Chromium against the real server: the phone
 * layout, chat ergonomics (following the end, mentions, emoji, badges, the user card and blocking,
 * the rate-limit countdown, folding), the room's own state apart from the connection's, sharing,
 * reading settings, fast and faithful loading, an honest connection badge through a stalled
 * network, and the wallet page.
 */
import { mkdirSync } from 'node:fs';
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
  registerUser,
  signIn,
  StallingProxy,
  startServer,
  stMessage,
  waitUntil,
  watchPageProblems,
  type E2eServer,
} from './harness.js';

const SCREENSHOTS = path.resolve('test-results/screenshots');
if (!hasChromium) console.warn('[e2e] /usr/bin/chromium not found: viewer experience tests skipped');

let serial = 0;
const unique = (prefix: string) => `${prefix}${process.pid}z${++serial}`;

const story = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) =>
    stMessage(i % 2 ? 'Seraphina' : 'Traveler', i % 2 === 0, `Line ${from + i}: *the story goes on* "and on," she says.`),
  );

/** Posts a viewer message as `cookie`'s owner, as another browser would. */
function say(baseUrl: string, cookie: string, roomId: string, text: string) {
  return fetch(`${baseUrl}/api/live/save_user_chat_history`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: baseUrl },
    body: JSON.stringify({ room_id: roomId, user_message: text }),
  });
}

async function grant(server: E2eServer, uid: string, coins: number) {
  const { adjustDiamonds } = await import('../../src/wallet/index.js');
  await adjustDiamonds(server.app.db, { userId: uid, amount: coins, reason: 'e2e grant', now: Date.now() });
}

/** The floor of the first transcript line in view. */
function firstVisibleFloor(page: Page): Promise<number> {
  return page.getByTestId('transcript').evaluate((scroller) => {
    const top = scroller.getBoundingClientRect().top;
    const rows = [...scroller.querySelectorAll<HTMLElement>('.msg')];
    const row = rows.find((element) => element.getBoundingClientRect().bottom > top + 4);
    return Number(row?.dataset.floor ?? -1);
  });
}

describe.skipIf(!hasChromium)('viewer experience in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuild();
    mkdirSync(SCREENSHOTS, { recursive: true });
    // Tests post many viewer messages quickly; the limit itself has its own server below.
    [server, browser] = await Promise.all([startServer({ chatRateLimitMessages: 1000 }), launchBrowser()]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('on a 390 × 844 phone, transcript and chat are tabs with unread counts, the send box is on screen, and every control is at least 44 px', async () => {
    const room = await createLiveRoom(server.baseUrl, { character_name: 'Seraphina', title: 'Moonlit glade', describe: 'A cozy role-play' }, story(40));
    const talker = await registerUser(server.baseUrl, unique('talker'));
    const context = await newContext(browser, { viewport: PHONE, hasTouch: true });
    try {
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/live/${room.roomId}`);
      await page.getByText('Line 39:').waitFor();
      await page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor();

      // Chat arriving while the story is shown is counted on the chat tab.
      for (const text of ['first!', 'second']) expect((await say(server.baseUrl, talker.cookie, room.roomId, text)).status).toBe(200);
      await page.getByTestId('unread-chat').filter({ hasText: '2' }).waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'room-phone-story.png') });

      await page.getByRole('tab', { name: /Chat/ }).click();
      expect(await page.getByTestId('unread-chat').count()).toBe(0);
      const input = page.getByLabel('Chat message');
      const box = (await input.boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
      expect(box.y).toBeGreaterThan(PHONE.height / 2);
      // …and a new story line while chatting is counted on the story tab.
      await room.anchor.call('POST', `/api/anchor/rooms/${room.roomId}/messages`, stMessage('Seraphina', false, 'A new line.'));
      await page.getByTestId('unread-story').filter({ hasText: '1' }).waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'room-phone-chat.png') });

      // Touch targets: every visible control in the page at least 44 × 44.
      const small = await page.evaluate(`[...document.querySelectorAll('button, a[href], input, select, [role=tab]')]
        .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden' && !el.closest('[inert]') && !el.classList.contains('skip-link'); })
        .map((el) => { const r = el.getBoundingClientRect(); return { what: el.textContent.trim().slice(0, 30) || el.getAttribute('aria-label') || el.tagName, w: Math.round(r.width), h: Math.round(r.height) }; })
        .filter((target) => target.w < 44 || target.h < 44)`);
      expect(small).toEqual([]);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
      // Arrow keys move between the tabs.
      await page.getByRole('tab', { name: /Chat/ }).focus();
      await page.keyboard.press('ArrowLeft');
      expect(await page.getByRole('tab', { name: /Story/ }).getAttribute('aria-selected')).toBe('true');
    } finally {
      await context.close();
    }
  }, 90_000);

  it('chat: pauses following when scrolled up with "new messages (N)"; mentions stand out and filter; emoji without an emoji font; badges; folding', async () => {
    const room = await createLiveRoom(server.baseUrl, { character_name: 'Aria', title: 'Starship bridge' }, story(4));
    const me = await registerUser(server.baseUrl, unique('me'));
    const other = await registerUser(server.baseUrl, unique('other'));
    const myName = `me${process.pid}z${serial - 1}`;
    // The anchor chats with a viewer session, so their badge shows.
    const anchorSession = await fetch(`${server.baseUrl}/api/users/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: room.anchorName, password: 'correct horse battery' }),
    });
    const anchorCookie = anchorSession.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    for (let i = 0; i < 30; i++) await say(server.baseUrl, other.cookie, room.roomId, `filler message ${i}`);

    const context = await newContext(browser, { viewport: DESKTOP });
    try {
      await signIn(context, server.baseUrl, me.cookie);
      const page = await context.newPage();
      const problems = watchPageProblems(page);
      await page.goto(`${server.baseUrl}/live/${room.roomId}`);
      await page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor();
      const list = page.getByTestId('chat-list');
      await page.locator('.chat-msg', { hasText: 'filler message 29' }).waitFor();
      const atEnd = () => list.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 40);
      expect(await atEnd()).toBe(true);

      // Scrolled up: new messages do not move the list; a button counts them.
      await list.evaluate((el) => el.scrollTo({ top: 0 }));
      await page.waitForTimeout(200);
      for (const text of ['one', 'two', 'three']) await say(server.baseUrl, other.cookie, room.roomId, text);
      await page.getByRole('button', { name: 'New messages (3)' }).waitFor();
      expect(await list.evaluate((el) => el.scrollTop)).toBe(0);
      await page.getByRole('button', { name: 'New messages (3)' }).click();
      await waitUntil(atEnd);
      // At the end again, it follows by itself.
      await say(server.baseUrl, other.cookie, room.roomId, 'four');
      await page.locator('.chat-msg', { hasText: 'four' }).waitFor();
      await waitUntil(atEnd);

      // Mentions of me are highlighted and can be shown alone.
      await say(server.baseUrl, other.cookie, room.roomId, `hey @${myName} look at this`);
      const mention = page.locator('.chat-msg-mention', { hasText: 'look at this' });
      await mention.waitFor();
      expect(await mention.locator('.mention-self').textContent()).toBe(`@${myName}`);
      await page.getByRole('button', { name: /Mentions of me/ }).click();
      expect(await page.locator('.chat-msg').count()).toBe(1);
      await page.getByRole('button', { name: /Mentions of me/ }).click();
      expect(await page.locator('.chat-msg').count()).toBe(25);

      // Emoji: picked from the app's own set, sent as a short code, drawn from the shipped sprite.
      await page.getByLabel('Chat message').fill('so good ');
      await page.getByRole('button', { name: 'Emoji' }).click();
      await page.getByRole('button', { name: 'red heart' }).click();
      expect(await page.getByLabel('Chat message').inputValue()).toBe('so good :heart: ');
      await page.getByRole('button', { name: 'Send' }).click();
      const sent = page.locator('.chat-msg', { hasText: 'so good' });
      await sent.locator('svg.emoji').waitFor();
      expect(await sent.locator('svg.emoji').getAttribute('aria-label')).toBe('red heart');
      expect(await sent.locator('svg.emoji use').getAttribute('href')).toMatch(/^\/assets\/twemoji-sprite-[\w-]+\.svg#2764$/);
      // A typed emoji character is drawn the same way.
      await say(server.baseUrl, other.cookie, room.roomId, 'haha 😂');
      await page.locator('.chat-msg', { hasText: 'haha' }).locator('svg.emoji[aria-label="tears of joy"]').waitFor();

      // Badges beside names.
      await say(server.baseUrl, anchorCookie, room.roomId, 'welcome, everyone');
      await page.locator('.chat-msg', { hasText: 'welcome, everyone' }).locator('.chat-badge-anchor', { hasText: 'Anchor' }).waitFor();

      // A long message folds behind "show more".
      await say(server.baseUrl, other.cookie, room.roomId, `long ${'story '.repeat(80)}end`);
      const long = page.locator('.chat-msg', { hasText: 'long story' });
      await long.waitFor();
      const folded = (await long.locator('.chat-text').boundingBox())!.height;
      await long.getByRole('button', { name: 'Show more' }).click();
      expect((await long.locator('.chat-text').boundingBox())!.height).toBeGreaterThan(folded * 1.5);
      expect(await long.getByRole('button', { name: 'Show less' }).getAttribute('aria-expanded')).toBe('true');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'room-chat-desktop.png') });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('a name opens the viewer card: mention, and block (their messages hidden, kept for the account on every device)', async () => {
    const room = await createLiveRoom(server.baseUrl, { character_name: 'Nyx', title: 'Masquerade' }, story(2));
    const me = await registerUser(server.baseUrl, unique('blocker'));
    const troll = await registerUser(server.baseUrl, unique('troll'));
    await say(server.baseUrl, troll.cookie, room.roomId, 'annoying message');
    const context = await newContext(browser);
    try {
      await signIn(context, server.baseUrl, me.cookie);
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/live/${room.roomId}`);
      const trollMessage = page.locator('.chat-msg', { hasText: 'annoying message' });
      const name = trollMessage.locator('.chat-name');
      await name.click();
      const card = page.getByRole('dialog');
      await card.getByTestId('user-card').waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'user-card-desktop.png') });
      await card.getByRole('button', { name: 'Mention' }).click();
      await waitUntil(async () => /^@troll\w+ $/.test(await page.getByLabel('Chat message').inputValue()));

      await name.click();
      await card.getByRole('button', { name: 'Block' }).click();
      await trollMessage.waitFor({ state: 'detached' });
      await page.getByText('1 hidden from blocked viewers').waitFor();
      // New messages of theirs stay hidden too.
      await say(server.baseUrl, troll.cookie, room.roomId, 'can you hear me?');
      await page.getByText('2 hidden from blocked viewers').waitFor();
      expect(await page.getByText('can you hear me?').count()).toBe(0);
    } finally {
      await context.close();
    }
    // Another device of the same account.
    const other = await newContext(browser);
    try {
      const login = await fetch(`${server.baseUrl}/api/users/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: `blocker${process.pid}z${serial - 1}`, password: 'correct horse battery' }),
      });
      await signIn(other, server.baseUrl, login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '));
      const page = await other.newPage();
      await page.goto(`${server.baseUrl}/live/${room.roomId}`);
      await page.getByText('2 hidden from blocked viewers').waitFor();
      expect(await page.getByText('annoying message').count()).toBe(0);
    } finally {
      await other.close();
    }
  }, 90_000);

  it("the rate-limit refusal counts down the server's retry_after and keeps Send disabled until then", async () => {
    const limited = await startServer();
    const room = await createLiveRoom(limited.baseUrl, { character_name: 'Echo', title: 'Fast talkers' }, story(2));
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(`${limited.baseUrl}/live/${room.roomId}`);
      await page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor();
      const input = page.getByLabel('Chat message');
      const send = page.getByRole('button', { name: 'Send' });
      for (let i = 0; i < 5; i++) {
        await input.fill(`message ${i}`);
        await send.click();
        await waitUntil(async () => (await input.inputValue()) === '');
      }
      await input.fill('one too many');
      await send.click();
      const countdown = page.getByTestId('chat-cooldown');
      await countdown.waitFor();
      const first = Number(/(\d+)/.exec((await countdown.textContent())!)![1]);
      expect(first).toBeGreaterThan(1);
      expect(first).toBeLessThanOrEqual(10);
      expect(await send.isDisabled()).toBe(true);
      await page.waitForTimeout(2_200);
      const later = Number(/(\d+)/.exec((await countdown.textContent())!)![1]);
      expect(later).toBeLessThan(first);
      expect(await send.isDisabled()).toBe(true);
      // Once it runs out, Send works again and the message goes.
      await countdown.waitFor({ state: 'detached', timeout: 15_000 });
      expect(await send.isDisabled()).toBe(false);
      await send.click();
      await page.locator('.chat-msg', { hasText: 'one too many' }).waitFor();
    } finally {
      await context.close();
      await limited.close();
    }
  }, 60_000);

  it("a stopped room says so without a green 'Live' badge; share copies the link; the server renders link-preview tags", async () => {
    const room = await createLiveRoom(server.baseUrl, { character_name: 'Lyra', title: 'Starlit ballad', describe: 'Songs under the stars' }, story(3));
    const context = await newContext(browser);
    try {
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/live/${room.roomId}`);
      await page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor();
      expect(await page.getByTestId('room-status').textContent()).toBe('LIVE');
      await room.anchor.call('POST', `/api/anchor/rooms/${room.roomId}/live`, { live_status: 'stop' });
      await page.getByTestId('room-status').filter({ hasText: 'Stopped' }).waitFor();
      const connection = page.getByTestId('connection-state');
      expect(await connection.textContent()).toBe('Connected');
      expect(await page.getByText('Live', { exact: true }).count()).toBe(0);
      const color = await connection.evaluate((element) => getComputedStyle(element).color);
      const [red, green] = color.match(/\d+/g)!.map(Number);
      expect(green! - red!).toBeLessThan(60);

      await page.getByTestId('share-room').click();
      await page.getByTestId('share-room').filter({ hasText: 'Link copied' }).waitFor();
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(`${server.baseUrl}/live/${room.roomId}`);
    } finally {
      await context.close();
    }
    const html = await (await fetch(`${server.baseUrl}/live/${room.roomId}`, { headers: { accept: 'text/html', 'accept-language': 'en' } })).text();
    expect(html).toContain('<meta property="og:title" content="Starlit ballad · @');
    expect(html).toContain('<meta property="og:description" content="offline — Songs under the stars" />');
    expect(html).toContain(`<meta property="og:url" content="${server.app.config.publicUrl}/live/${room.roomId}" />`);
    expect(html).toContain('<meta name="twitter:card" content="summary" />');
  }, 60_000);

  it('reading settings: text size and theatre mode (the transcript full width), kept for the next visit', async () => {
    const room = await createLiveRoom(server.baseUrl, { character_name: 'Mira', title: 'Library at night' }, story(10));
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/live/${room.roomId}`);
      await page.getByText('Line 9:').waitFor();
      const size = () => page.locator('.msg-text').first().evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
      const before = await size();
      await page.getByRole('button', { name: 'Larger text' }).click();
      await page.getByRole('button', { name: 'Larger text' }).click();
      expect(await size()).toBeGreaterThan(before * 1.2);
      const panelWidth = () => page.locator('.transcript-panel').evaluate((element) => element.getBoundingClientRect().width);
      const narrow = await panelWidth();
      await page.getByRole('button', { name: 'Theatre mode' }).click();
      expect(await page.getByRole('button', { name: 'Theatre mode' }).getAttribute('aria-pressed')).toBe('true');
      const wide = await panelWidth();
      expect(wide).toBeGreaterThan(narrow + 300);
      expect(await page.locator('.chat-panel').isVisible()).toBe(false);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'room-theatre-desktop.png') });
      await page.reload();
      await page.getByText('Line 9:').waitFor();
      expect(await panelWidth()).toBeCloseTo(wide, -1);
      expect(await size()).toBeGreaterThan(before * 1.2);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('loads a room with get_live_info asked once, at the same time as the histories; a reload keeps the reading place', async () => {
    await createLiveRoom(server.baseUrl, { character_name: 'Chronicle', title: 'The long tale' }, story(400));
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      const events: string[] = [];
      page.on('request', (request) => {
        const name = /\/api\/live\/(get_live_info|get_live_chat_history|get_user_chat_history)/.exec(request.url())?.[1];
        if (name) events.push(`start ${name}`);
      });
      page.on('requestfinished', (request) => {
        const name = /\/api\/live\/(get_live_info)/.exec(request.url())?.[1];
        if (name) events.push(`end ${name}`);
      });
      await page.goto(`${server.baseUrl}/`);
      await page.getByRole('link', { name: /The long tale/ }).first().click();
      await page.getByText('Line 399:').waitFor();
      await page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor();
      expect(events.filter((event) => event === 'start get_live_info')).toHaveLength(1);
      // Both histories were asked for before the room's info had come back.
      const infoDone = events.indexOf('end get_live_info');
      expect(events.indexOf('start get_live_chat_history')).toBeLessThan(infoDone);
      expect(events.indexOf('start get_user_chat_history')).toBeLessThan(infoDone);

      // Opened from its address, the page preloads them with its HTML: each still goes out once.
      events.length = 0;
      await page.reload();
      await page.getByText('Line 399:').waitFor();
      await page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor();
      for (const name of ['get_live_info', 'get_live_chat_history', 'get_user_chat_history']) {
        expect(events.filter((event) => event === `start ${name}`), name).toHaveLength(1);
      }

      // Read back to an older line, then reload: the same line is at the top again.
      const transcript = page.getByTestId('transcript');
      await transcript.focus();
      await page.keyboard.press('Home');
      await page.getByRole('button', { name: 'Load earlier messages' }).click();
      await page.getByText(/^Line 199:/).waitFor();
      await transcript.focus();
      await page.keyboard.press('Home');
      await page.getByText(/^Line 0:/).waitFor();
      await transcript.evaluate((scroller) => {
        scroller.scrollTop += 4000;
      });
      await page.waitForTimeout(400);
      const place = await firstVisibleFloor(page);
      expect(place).toBeGreaterThan(10);
      expect(place).toBeLessThan(199);
      await page.reload();
      await page.getByText(new RegExp(`^Line ${place}:`)).waitFor();
      await page.waitForTimeout(300);
      expect(Math.abs((await firstVisibleFloor(page)) - place)).toBeLessThanOrEqual(1);
      // Back at the live edge, a reload opens at the newest line again.
      await transcript.focus();
      await page.keyboard.press('End');
      await page.waitForTimeout(300);
      await page.reload();
      await page.getByText('Line 399:').waitFor();
      await page.waitForTimeout(300);
      expect(await firstVisibleFloor(page)).toBeGreaterThan(390);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('through a proxy that silently stops forwarding: "Reconnecting…" within 10 s, then back with every missed line', async () => {
    const room = await createLiveRoom(server.baseUrl, { character_name: 'Vex', title: 'Bad connection' }, story(3));
    const target = new URL(server.baseUrl);
    const proxy = new StallingProxy({ host: target.hostname, port: Number(target.port) });
    const proxied = await proxy.start();
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(`${proxied}/live/${room.roomId}`);
      await page.getByText('Line 2:').waitFor();
      const badge = page.getByTestId('connection-state');
      await badge.filter({ hasText: 'Connected' }).waitFor();

      proxy.stall();
      const stalledAt = Date.now();
      const missed = ['Missed one.', 'Missed two.', 'Missed three.'];
      for (const text of missed) await room.anchor.call('POST', `/api/anchor/rooms/${room.roomId}/messages`, stMessage('Vex', false, text));
      await badge.filter({ hasText: 'Reconnecting…' }).waitFor({ timeout: 12_000 });
      expect(Date.now() - stalledAt).toBeLessThan(10_000);
      expect(await page.locator('.msg', { hasText: 'Missed one.' }).count()).toBe(0);

      proxy.resume();
      await badge.filter({ hasText: 'Connected' }).waitFor({ timeout: 40_000 });
      for (const text of missed) await page.locator('.msg', { hasText: text }).waitFor();
      expect(await page.locator('.msg').count()).toBe(6);
    } finally {
      await context.close();
      await proxy.close();
    }
  }, 90_000);

  it('wallet: what each movement was for, running subscriptions, the followed rooms page; a top-up clears "not enough" and starts on the package that covers it', async () => {
    const anchorRoom = await createLiveRoom(server.baseUrl, { character_name: 'Nyx', title: 'Midnight masquerade', room_type: 1, coin_num: 80 }, story(4));
    const viewerName = unique('wallet');
    const viewer = await registerUser(server.baseUrl, viewerName);
    const context = await newContext(browser);
    try {
      await signIn(context, server.baseUrl, viewer.cookie);
      const page = await context.newPage();
      const problems = watchPageProblems(page);
      await page.goto(`${server.baseUrl}/live/${anchorRoom.roomId}`);
      await page.getByRole('button', { name: 'Follow' }).click();
      await page.getByRole('button', { name: 'Following' }).waitFor();
      await page.getByText('You need 80 more diamonds.').waitFor();

      // Subscribing without enough diamonds: refused, and the recharge starts on the covering package.
      await page.getByRole('button', { name: /^Subscribe · 100/ }).first().click();
      await page.getByRole('dialog').getByRole('button', { name: /^Subscribe · 100/ }).click();
      const recharge = page.getByRole('dialog', { name: 'Recharge diamonds' });
      await recharge.waitFor();
      expect(await recharge.getByRole('radio', { checked: true }).textContent()).toContain('100 diamonds');
      await recharge.getByText('Covers the 100 diamonds you need.').waitFor();
      expect(await page.locator('.room-notes').getByText('Not enough diamonds.').count()).toBe(1);
      await recharge.getByRole('button', { name: 'Continue' }).click();
      await recharge.getByRole('button', { name: 'Simulate: paid' }).click();
      await recharge.getByText('Payment complete — diamonds credited!').waitFor();
      await recharge.getByRole('button', { name: 'Done' }).click();
      // The balance rose: the refusal no longer applies.
      await page.locator('.room-notes').getByText('Not enough diamonds.').waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Pay 80 diamonds to enter' }).click();
      await page.getByText('Line 3:').waitFor();

      await grant(server, viewer.uid, 100);
      await page.reload();
      await page.getByRole('button', { name: /^Subscribe · 100/ }).click();
      await page.getByRole('dialog').getByRole('button', { name: /^Subscribe · 100/ }).click();
      await page.getByText(/^Subscribed until/).waitFor();

      // The followed rooms page, from the header.
      await page.getByRole('link', { name: 'Following' }).click();
      await page.getByRole('heading', { level: 1, name: 'Followed rooms' }).waitFor();
      await page.getByRole('link', { name: /Midnight masquerade/ }).first().waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'following-desktop.png') });

      await page.getByRole('link', { name: 'Wallet', exact: true }).click();
      const rows = page.getByTestId('transaction');
      await rows.first().waitFor();
      const texts = await rows.allTextContents();
      expect(texts[0]).toMatch(new RegExp(`Subscription@${anchorRoom.anchorName} · 30 days`));
      expect(texts.find((text) => text.startsWith('VIP room'))).toContain(`Midnight masquerade · @${anchorRoom.anchorName}`);
      expect(texts.find((text) => text.startsWith('Recharge'))).toMatch(/20 USD · paid 20(\.0+)? USDT \(TRC-20\)/);
      await page.getByTestId('subscriptions').getByText(`@${anchorRoom.anchorName}`).waitFor();
      expect(await page.getByTestId('subscriptions').textContent()).toMatch(/until /);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'wallet-desktop.png'), fullPage: true });
      await page.setViewportSize(PHONE);
      // Signed in, the header still fits a phone: nothing scrolls sideways.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'wallet-phone.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
