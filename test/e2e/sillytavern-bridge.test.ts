/**
 * The bridge end to end with real, unmodified SillyTavern (installed from the npm registry by
 * scripts/install-sillytavern.sh, which CI runs): SillyTavern streams replies from a fake
 * OpenAI-compatible backend, the extension (installed by SillyTavern's own installer from our server's git URL) signs in and
 * goes live from its panel, and the room follows the chat — checked through our API, a viewer's
 * WebSocket and the viewer web app — through edits, swipes, a deletion, a chat switch and our
 * server going away for a few seconds.
 */
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports.js';
import { WsClient } from '../realtime/ws-client.js';
import { ApiClient, ensureWebBuild, hasChromium, launchBrowser, newContext, startServer, waitUntil, type E2eServer } from './harness.js';
import { FakeOpenAi, hasSillyTavern, OutageProxy, SILLYTAVERN_DIR, SILLYTAVERN_VERSION, SillyTavernProcess } from './sillytavern-fixtures.js';

const SCREENSHOTS = path.resolve('test-results/screenshots');
const ready = hasChromium && hasSillyTavern;
if (!hasSillyTavern) {
  console.warn(
    `[e2e] SillyTavern ${SILLYTAVERN_VERSION} not found at ${SILLYTAVERN_DIR}: the bridge end-to-end test is skipped ` +
      '(run scripts/install-sillytavern.sh, as .ci/run does)',
  );
}

const PASSWORD = 'correct horse battery';
let server: E2eServer;
let openAi: FakeOpenAi;
/** Our server as SillyTavern's page reaches it, so the test can take it away for a while. */
let proxy: OutageProxy;
let sillyTavern: SillyTavernProcess;
let browser: Browser;
let anchor: ApiClient;
let anchorName: string;
const sockets: WsClient[] = [];

beforeAll(async () => {
  if (!ready) return;
  ensureWebBuild();
  server = await startServer();
  openAi = new FakeOpenAi();
  await openAi.start();
  proxy = new OutageProxy(server.baseUrl);
  await proxy.start();
  sillyTavern = new SillyTavernProcess(await freePort());
  await sillyTavern.start();
  browser = await launchBrowser();
  anchor = new ApiClient(server.baseUrl);
  anchorName = `st_anchor_${process.pid}`;
  anchor.token = (await anchor.call<{ data: { token: string } }>('POST', '/api/anchor/register', { username: anchorName, password: PASSWORD })).data.token;
}, 240_000);

afterAll(async () => {
  for (const socket of sockets) socket.socket.terminate();
  await browser?.close();
  await sillyTavern?.stop();
  await openAi?.stop();
  await proxy?.close();
  await server?.close();
});

interface Line {
  floor: number;
  is_user: boolean;
  live_message: string;
}

async function roomLines(roomId: string): Promise<Line[]> {
  const history = await anchor.call<{ data: { chat_info: Line[] } }>('GET', `/api/live/get_live_chat_history?room_id=${roomId}`);
  return history.data.chat_info.map(({ floor, is_user, live_message }) => ({ floor, is_user, live_message }));
}

/** SillyTavern's chat as viewers should see it: every line not hidden, at its index. */
async function sillyTavernLines(page: Page): Promise<Line[]> {
  return page.evaluate(() =>
    (globalThis as unknown as { SillyTavern: { getContext(): { chat: Array<{ is_user: boolean; is_system?: boolean; mes: string }> } } }).SillyTavern.getContext()
      .chat.map((message, floor) => ({ floor, is_user: message.is_user, live_message: message.mes, hidden: Boolean(message.is_system) }))
      .filter((line) => !line.hidden)
      .map(({ floor, is_user, live_message }) => ({ floor, is_user, live_message })),
  );
}

/** First run: the persona popup blocks SillyTavern until saved; then the Custom (OpenAI-compatible) source, streaming. */
async function setUpSillyTavern(page: Page): Promise<void> {
  await page.goto(sillyTavern.url, { timeout: 120_000 });
  // The documented install: SillyTavern's "Install extension" (its /api/extensions/install, which
  // git-clones the URL) from our server's git URL, then a reload to load it.
  await page.waitForFunction(
    () => Boolean((globalThis as unknown as { SillyTavern?: { getContext(): { getRequestHeaders(): Record<string, string> } } }).SillyTavern?.getContext().getRequestHeaders()['X-CSRF-Token']),
    undefined,
    { timeout: 60_000 },
  );
  const installed = await page.evaluate(async (url) => {
    const context = (globalThis as unknown as { SillyTavern: { getContext(): { getRequestHeaders(): Record<string, string> } } }).SillyTavern.getContext();
    const response = await fetch('/api/extensions/install', { method: 'POST', headers: context.getRequestHeaders(), body: JSON.stringify({ url }) });
    return { status: response.status, body: await response.text() };
  }, `${server.baseUrl}/extensions/pecktra-live.git`);
  if (installed.status !== 200) throw new Error(`Install extension failed: ${installed.status} ${installed.body}\n${sillyTavern.log}`);
  await page.reload({ timeout: 120_000 });
  const onboarding = page.locator('.popup .onboarding');
  await onboarding.waitFor({ timeout: 60_000 });
  await page.locator('.popup textarea').fill('Traveler');
  await page.locator('.popup .popup-button-ok').click();
  await onboarding.waitFor({ state: 'detached' });
  await page.evaluate((url) => {
    const $ = (globalThis as unknown as { $: (selector: string) => { val(v: string): { trigger(e: string): unknown }; prop(k: string, v: boolean): { trigger(e: string): { trigger(e: string): unknown } }; trigger(e: string): unknown } }).$;
    $('#main_api').val('openai').trigger('change');
    $('#chat_completion_source').val('custom').trigger('change');
    $('#custom_api_url_text').val(url).trigger('input');
    $('#custom_model_id').val('fake-model').trigger('input');
    $('#stream_toggle').prop('checked', true).trigger('input').trigger('change');
    $('#api_button_openai').trigger('click');
  }, openAi.url);
  await page.waitForFunction(() => (globalThis as unknown as { SillyTavern: { getContext(): { onlineStatus: string } } }).SillyTavern.getContext().onlineStatus !== 'no_connection', undefined, { timeout: 30_000 });
}

async function openCharacter(page: Page, name: string): Promise<void> {
  // The character list loads after the page.
  await page.waitForFunction(
    (characterName) =>
      (globalThis as unknown as { SillyTavern: { getContext(): { characters: Array<{ name: string }> } } }).SillyTavern.getContext().characters.some(
        (character) => character.name === characterName,
      ),
    name,
    { timeout: 30_000 },
  );
  await page.evaluate(async (characterName) => {
    const context = (globalThis as unknown as { SillyTavern: { getContext(): { characters: Array<{ name: string }>; selectCharacterById(id: number): Promise<void> } } }).SillyTavern.getContext();
    await context.selectCharacterById(context.characters.findIndex((character) => character.name === characterName));
  }, name);
  // `chat` fills just before CHAT_CHANGED: wait for the character's own chat and its greeting.
  await page.waitForFunction(
    (characterName) => {
      const context = (globalThis as unknown as { SillyTavern: { getContext(): { getCurrentChatId(): string | undefined; chat: unknown[] } } }).SillyTavern.getContext();
      return String(context.getCurrentChatId() ?? '').startsWith(`${characterName} - `) && context.chat.length > 0;
    },
    name,
    { timeout: 30_000 },
  );
}

/**
 * Opens a SillyTavern inline drawer until `content` shows: a click that lands while the Extensions
 * drawer is still opening can leave it closed (seen once in CI), and a second click on an open
 * drawer would close it again.
 */
async function openInlineDrawer(toggle: Locator, content: Locator): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if (!(await content.isVisible())) await toggle.click();
    try {
      await content.waitFor({ state: 'visible', timeout: 5_000 });
      return;
    } catch (err) {
      if (attempt === 4) throw err;
    }
  }
}

/** Signs in from the extension's panel in the Extensions drawer and goes live with the open chat. */
async function goLiveFromPanel(page: Page): Promise<string> {
  await page.locator('#extensions-settings-button .drawer-toggle').click();
  const panel = page.locator('.pecktra-live-settings');
  await openInlineDrawer(panel.locator('.inline-drawer-toggle'), panel.locator('[data-ref="serverUrl"]'));
  await panel.locator('[data-ref="serverUrl"]').fill(proxy.url);
  await panel.locator('[data-ref="serverUrl"]').dispatchEvent('change');
  await panel.locator('[data-ref="username"]').fill(anchorName);
  await panel.locator('[data-ref="password"]').fill(PASSWORD);
  await panel.locator('[data-ref="signIn"]').click();
  await panel.locator('[data-ref="signedIn"]').filter({ hasText: anchorName }).waitFor();
  // The panel has taken in the open chat (CHAT_CHANGED can come a moment after `chat` fills).
  await panel.locator('[data-ref="chatName"]').filter({ hasText: 'Seraphina' }).waitFor();
  await panel.locator('[data-ref="roomTitle"]').fill('Forest guardian, live from SillyTavern');
  await panel.locator('[data-ref="goLive"]').click();
  await panel.locator('[data-ref="liveState"]').filter({ hasText: 'Live' }).waitFor();
  await panel.getByTestId('pecktra-connection').filter({ hasText: 'In sync' }).waitFor();
  const rooms = await anchor.call<{ data: { rooms: Array<{ room_id: string; title: string }> } }>('GET', '/api/anchor/rooms');
  expect(rooms.data.rooms).toHaveLength(1);
  expect(rooms.data.rooms[0]!.title).toBe('Forest guardian, live from SillyTavern');
  await panel.screenshot({ path: path.join(SCREENSHOTS, 'sillytavern-panel.png') });
  return rooms.data.rooms[0]!.room_id;
}

/**
 * SillyTavern ignores a send or a swipe while it is still finishing the previous generation (saving
 * the chat, settling the swipe): wait until it is idle, and a moment more, before acting.
 */
async function untilIdle(page: Page): Promise<void> {
  await page.locator('#send_but').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('#mes_stop').waitFor({ state: 'hidden', timeout: 60_000 });
  await page.waitForTimeout(500);
}

async function send(page: Page, text: string): Promise<void> {
  await untilIdle(page);
  await page.locator('#send_textarea').fill(text);
  await page.locator('#send_but').click();
}

/** Clicks one of SillyTavern's message controls (they only show on hover). */
async function clickInMessage(page: Page, messageId: number, selector: string): Promise<void> {
  await untilIdle(page);
  await page.evaluate(
    ([id, what]) => (globalThis as unknown as { $: (s: string) => { trigger(e: string): void } }).$(`#chat .mes[mesid="${id}"] ${what}`).trigger('click'),
    [String(messageId), selector] as const,
  );
}

async function slash(page: Page, command: string): Promise<void> {
  await page.evaluate(async (text) => {
    const context = (globalThis as unknown as { SillyTavern: { getContext(): { executeSlashCommandsWithOptions(t: string): Promise<unknown> } } }).SillyTavern.getContext();
    await context.executeSlashCommandsWithOptions(text);
  }, command);
}

/** Waits until SillyTavern is idle and the room shows exactly SillyTavern's chat. */
async function untilRoomEqualsChat(page: Page, roomId: string, timeoutMs = 30_000): Promise<void> {
  let last: unknown;
  try {
    await waitUntil(async () => {
      const [room, chat] = await Promise.all([roomLines(roomId), sillyTavernLines(page)]);
      last = { room, chat };
      return JSON.stringify(room) === JSON.stringify(chat);
    }, timeoutMs);
  } catch {
    throw new Error(`room never matched the chat: ${JSON.stringify(last).slice(0, 3000)}`);
  }
}

async function untilGenerated(page: Page, floor: number, prefix: string): Promise<void> {
  try {
    await waitGenerated(page, floor, prefix);
  } catch (err) {
    const chat = await page.evaluate(() =>
      (globalThis as unknown as { SillyTavern: { getContext(): { chat: Array<{ mes: string }> } } }).SillyTavern.getContext().chat.map((m) => m.mes.slice(0, 60)),
    );
    throw new Error(`floor ${floor} never became "${prefix}…"; SillyTavern's chat: ${JSON.stringify(chat)}`, { cause: err });
  }
}

async function waitGenerated(page: Page, floor: number, prefix: string): Promise<void> {
  await page.waitForFunction(
    ([at, start]) => {
      const chat = (globalThis as unknown as { SillyTavern: { getContext(): { chat: Array<{ mes: string }> } } }).SillyTavern.getContext().chat;
      return chat[Number(at)]?.mes.startsWith(String(start)) && !document.querySelector('#mes_stop:not([style*="none"])');
    },
    [floor, prefix] as const,
    { timeout: 60_000 },
  );
}

describe.skipIf(!ready)(`SillyTavern ${SILLYTAVERN_VERSION} with the Pecktra Live extension`, () => {
  it('goes live from the panel; sent and streamed lines (typing first), an edit, swipes, an outage, a deletion and a chat switch all end with the room equal to the chat', async () => {
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      await setUpSillyTavern(page);
      await openCharacter(page, 'Seraphina');
      const roomId = await goLiveFromPanel(page);
      // The chat so far (the character's greeting) is in the room. Generous: in a full parallel test
      // run the browser, SillyTavern and our server share two busy cores.
      await waitUntil(async () => (await roomLines(roomId)).length === 1, 60_000);

      const viewer = await WsClient.connect(`${server.baseUrl.replace('http', 'ws')}/ws/chat/${roomId}`, { origin: server.baseUrl });
      sockets.push(viewer);
      await viewer.untilCount('hello', 1);
      const viewerPage = await context.newPage();
      await viewerPage.goto(`${server.baseUrl}/live/${roomId}`);
      await viewerPage.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor();

      await send(page, 'Hello there, who are you?');
      await viewer.until((v) => v.of('chat_live_message').some((m) => m.floor === 2 && String(m.live_message).startsWith('Reply 1:')), 'the final reply', 60_000);
      expect(await roomLines(roomId)).toEqual(await sillyTavernLines(page));
      const lines = await roomLines(roomId);
      expect(lines.slice(1)).toEqual([
        { floor: 1, is_user: true, live_message: 'Hello there, who are you?' },
        { floor: 2, is_user: false, live_message: expect.stringMatching(/^Reply 1: Greetings, traveller\./) },
      ]);
      // The reply was typed to viewers, growing, before its line arrived.
      const order = viewer.frames.filter((f) => f.type === 'chat_live_typing' || (f.type === 'chat_live_message' && f.data.floor === 2));
      const typing = order.filter((f) => f.type === 'chat_live_typing' && f.data.done === false);
      expect(typing.length).toBeGreaterThanOrEqual(3);
      expect(typing.every((f) => f.data.floor === 2)).toBe(true);
      expect(order.findIndex((f) => f.type === 'chat_live_message')).toBeGreaterThan(order.indexOf(typing[0]!));
      const texts = typing.map((f) => String(f.data.text));
      for (let i = 1; i < texts.length; i++) expect(texts[i]!.length).toBeGreaterThanOrEqual(texts[i - 1]!.length);

      await viewerPage.locator('article[data-floor="2"]').filter({ hasText: 'Reply 1: Greetings, traveller.' }).waitFor();
      await viewerPage.locator('article[data-floor="1"]').filter({ hasText: 'Hello there, who are you?' }).waitFor();

      // An edit of the user line.
      await clickInMessage(page, 1, '.mes_edit');
      await page.locator('#chat .mes[mesid="1"] .edit_textarea').fill('Hello there, who are you? (edited)');
      await clickInMessage(page, 1, '.mes_edit_done');
      await untilRoomEqualsChat(page, roomId);
      expect((await roomLines(roomId))[1]!.live_message).toBe('Hello there, who are you? (edited)');

      // A swipe past the last one generates a new reply in place; swiping back shows the first again.
      await clickInMessage(page, 2, '.swipe_right');
      await untilGenerated(page, 2, 'Reply 2:');
      await untilRoomEqualsChat(page, roomId);
      await clickInMessage(page, 2, '.swipe_left');
      await untilGenerated(page, 2, 'Reply 1:');
      await untilRoomEqualsChat(page, roomId);
      await viewerPage.locator('article[data-floor="2"]').filter({ hasText: 'Reply 1:' }).waitFor();

      // Our server goes away for a few seconds mid-chat: SillyTavern carries on, nothing is lost.
      await send(page, 'Second question');
      await untilGenerated(page, 4, 'Reply 3:');
      proxy.down();
      await send(page, 'Asked while the live server is away');
      await untilGenerated(page, 6, 'Reply 4:');
      // (The drawer has closed by now: the panel's state is read from the element.)
      await page.locator('[data-testid="pecktra-connection"][data-state="retrying"]').waitFor({ state: 'attached' });
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      proxy.up();
      await untilRoomEqualsChat(page, roomId, 60_000);
      await page.locator('[data-testid="pecktra-connection"][data-state="synced"]').waitFor({ state: 'attached', timeout: 60_000 });

      // Deleting a middle line shifts the later ones: the room follows.
      await slash(page, '/cut 1');
      await untilRoomEqualsChat(page, roomId);
      expect((await roomLines(roomId)).length).toBe(6);

      // Switching to a new chat leaves the room alone; coming back resyncs it.
      const liveChatId = await page.evaluate(() => (globalThis as unknown as { SillyTavern: { getContext(): { getCurrentChatId(): string } } }).SillyTavern.getContext().getCurrentChatId());
      const before = await roomLines(roomId);
      await slash(page, '/newchat');
      await page.waitForFunction((id) => (globalThis as unknown as { SillyTavern: { getContext(): { getCurrentChatId(): string } } }).SillyTavern.getContext().getCurrentChatId() !== id, liveChatId);
      await send(page, 'In another chat');
      await untilGenerated(page, 2, 'Reply');
      expect(await roomLines(roomId)).toEqual(before);
      await page.evaluate(async (id) => {
        await (globalThis as unknown as { SillyTavern: { getContext(): { openCharacterChat(id: string): Promise<void> } } }).SillyTavern.getContext().openCharacterChat(id);
      }, liveChatId);
      await untilRoomEqualsChat(page, roomId);
      await viewerPage.screenshot({ path: path.join(SCREENSHOTS, 'sillytavern-viewer.png') });
    } finally {
      await context.close();
    }
  }, 300_000);
});
