/**
 * The operator console in a real browser against the real server: an operator signs in at /admin,
 * takes down a room a viewer is watching (the viewer's page turns into the notice at once), bans a
 * viewer (who can then no longer chat, and is told why), and adjusts a balance (it shows in the
 * viewer's wallet and on the audit trail). Writes the console's screenshots (desktop and phone) to docs/.
 */
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOperatorCommand } from '../../src/accounts/operator-commands.js';
import {
  createLiveRoom,
  DESKTOP,
  ensureWebBuild,
  hasChromium,
  launchBrowser,
  newContext,
  PHONE,
  registerUser,
  seriousAxeViolations,
  signIn,
  startServer,
  stMessage,
  watchPageProblems,
  type E2eServer,
} from './harness.js';

const PASSWORD = 'correct horse battery';
const DOCS = path.resolve('docs');

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

const unique = (label: string) => `${label}_${Math.random().toString(36).slice(2, 8)}`;

async function operatorPage(
  viewport = DESKTOP,
  options: { colorScheme?: 'dark' | 'light'; onSignInPage?: (page: Page) => Promise<void> } = {},
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const username = unique('op');
  await registerUser(server.baseUrl, username);
  expect((await runOperatorCommand(server.app.db, ['grant', username], { osUser: 'tester' })).exitCode).toBe(0);
  const context = await newContext(browser, { viewport, colorScheme: options.colorScheme });
  const page = await context.newPage();
  const problems = watchPageProblems(page);
  await page.goto(`${server.baseUrl}/admin`);
  await page.getByRole('heading', { name: 'Operator sign-in' }).waitFor();
  await options.onSignInPage?.(page);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Operator console', level: 1 }).waitFor();
  return { context, page, problems };
}

async function confirmWithReason(page: Page, reason: string, amount?: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  if (amount !== undefined) await dialog.getByLabel('Diamonds (negative takes back)').fill(amount);
  await dialog.getByLabel('Reason (kept on the audit trail)').fill(reason);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await dialog.waitFor({ state: 'detached' });
}

describe.skipIf(!hasChromium)('operator console', () => {
  it('a viewer reports a room, the operator takes it down from the report queue, and the viewer sees the notice at once', async () => {
    const { roomId } = await createLiveRoom(server.baseUrl, { character_name: 'Seraphina', title: 'A room to take down' }, [stMessage('Seraphina', false, 'Hello')]);
    const viewerContext = await newContext(browser);
    await signIn(viewerContext, server.baseUrl, (await registerUser(server.baseUrl, unique('reporter'))).cookie);
    const viewer = await viewerContext.newPage();
    await viewer.goto(`${server.baseUrl}/live/${roomId}`);
    await viewer.getByText('Hello').waitFor();
    await viewer.getByRole('button', { name: 'Report', exact: true }).click();
    const reportDialog = viewer.getByRole('dialog');
    await reportDialog.getByLabel('Violence or gore').check();
    await reportDialog.getByLabel('Details (optional)').fill('Gory descriptions');
    await reportDialog.getByRole('button', { name: 'Send report' }).click();
    await reportDialog.getByText('Thank you: the operators will look at it.').waitFor();
    await reportDialog.getByRole('button', { name: 'Close', exact: true }).last().click();

    const { context, page, problems } = await operatorPage();
    const report = page.locator(`[data-report-target="${roomId}:room"]`);
    await report.getByText('1 reports').waitFor();
    await report.getByText('Gory descriptions').waitFor();
    await page.screenshot({ path: path.join(DOCS, 'screenshot-admin-reports-desktop.png'), fullPage: true });
    await report.getByRole('link', { name: 'A room to take down' }).or(report.getByRole('link').first()).first().click();
    await page.getByRole('button', { name: 'Take down' }).click();
    await confirmWithReason(page, 'Graphic violence');
    await page.getByText('Taken down: Graphic violence').first().waitFor();
    await viewer.getByTestId('room-taken-down').waitFor();
    await viewer.getByRole('heading', { name: 'This room has been taken down' }).waitFor();
    // The room is gone from the home page's live list.
    await viewer.goto(server.baseUrl);
    await viewer.getByRole('heading', { level: 1 }).first().waitFor();
    expect(await viewer.getByText('A room to take down').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
    await viewerContext.close();
  }, 240_000);

  it('bans a viewer, who then cannot chat and is told why; a balance adjustment shows in the wallet and the audit trail', async () => {
    const { roomId } = await createLiveRoom(server.baseUrl, { character_name: 'Seraphina', title: 'Chat room' }, [stMessage('Seraphina', false, 'Welcome')]);
    const viewerName = unique('viewer');
    const registered = await registerUser(server.baseUrl, viewerName);
    const { context, page, problems } = await operatorPage();

    await page.getByRole('link', { name: 'People' }).click();
    await page.getByLabel('Name or uid').fill(viewerName);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: viewerName }).click();
    await page.getByRole('heading', { name: viewerName }).waitFor();
    await page.getByRole('button', { name: 'Adjust balance' }).click();
    await confirmWithReason(page, 'Refund for the outage', '30');
    await page.getByTestId('admin-balance').getByText('Balance: 30 diamonds').waitFor();
    await page.getByRole('button', { name: 'Ban' }).click();
    await confirmWithReason(page, 'Harassing other viewers');
    await page.getByText('banned: Harassing other viewers').first().waitFor();

    // The ban ended the viewer's session: signed in again, the wallet shows the adjustment, but chat is refused.
    const login = await fetch(`${server.baseUrl}/api/users/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: viewerName, password: PASSWORD }),
    });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    expect(cookie).not.toBe(registered.cookie);
    const viewerContext = await newContext(browser);
    await signIn(viewerContext, server.baseUrl, cookie);
    const viewer = await viewerContext.newPage();
    await viewer.goto(`${server.baseUrl}/wallet`);
    await viewer.getByText('Adjustment').first().waitFor();
    await viewer.getByText('Refund for the outage').first().waitFor();
    await viewer.goto(`${server.baseUrl}/live/${roomId}`);
    await viewer.getByText('Welcome').waitFor();
    await viewer.getByPlaceholder('Say something…').fill('hello everyone');
    await viewer.getByRole('button', { name: 'Send', exact: true }).click();
    await viewer.getByText(/Your account is banned: Harassing other viewers/).waitFor();

    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByRole('cell', { name: 'Refund for the outage', exact: true }).waitFor();
    await page.getByRole('cell', { name: 'Harassing other viewers', exact: true }).waitFor();
    await page.screenshot({ path: path.join(DOCS, 'screenshot-admin-audit-desktop.png'), fullPage: true });
    await page.getByRole('link', { name: 'Rooms' }).click();
    await page.locator(`[data-room-id="${roomId}"]`).waitFor();
    await page.screenshot({ path: path.join(DOCS, 'screenshot-admin-rooms-desktop.png'), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
    await viewerContext.close();
  }, 240_000);

  it('axe-core: no serious or critical violation on any console page or dialog, in both themes', async () => {
    const { roomId } = await createLiveRoom(server.baseUrl, { character_name: 'Seraphina', title: 'Audited room' }, [stMessage('Seraphina', false, 'Hello')]);
    const viewerName = unique('axe_viewer');
    await registerUser(server.baseUrl, viewerName);
    const failures: string[] = [];
    for (const colorScheme of ['dark', 'light'] as const) {
      const check = async (page: Page, what: string) => {
        for (const violation of await seriousAxeViolations(page)) {
          failures.push(`${colorScheme} ${what}: ${violation.id} (${violation.impact}) ${violation.help} ${JSON.stringify(violation.nodes)}`);
        }
      };
      const { context, page, problems } = await operatorPage(DESKTOP, { colorScheme, onSignInPage: (signInPage) => check(signInPage, 'sign-in') });
      await page.getByRole('heading', { name: 'Operator console', level: 1 }).waitFor();
      await check(page, 'reports');
      await page.getByRole('link', { name: 'People' }).click();
      await page.getByLabel('Name or uid').fill(viewerName);
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('link', { name: viewerName }).waitFor();
      await check(page, 'people');
      await page.getByRole('link', { name: viewerName }).click();
      await page.getByTestId('admin-balance').waitFor();
      await check(page, 'person');
      await page.getByRole('button', { name: 'Adjust balance' }).click();
      await page.getByRole('dialog').waitFor();
      await check(page, 'balance dialog');
      await page.keyboard.press('Escape');
      await page.getByRole('link', { name: 'Rooms' }).click();
      await page.locator(`[data-room-id="${roomId}"]`).waitFor();
      await check(page, 'rooms');
      await page.locator(`[data-room-id="${roomId}"]`).getByRole('link').first().click();
      await page.getByText('Hello').first().waitFor();
      await check(page, 'room review');
      await page.getByRole('link', { name: 'Money' }).click();
      await page.getByRole('heading', { name: 'Recharge orders' }).waitFor();
      await check(page, 'money');
      await page.getByRole('link', { name: 'Audit trail' }).click();
      await page.getByRole('table').or(page.getByText('Nothing found.')).first().waitFor();
      await check(page, 'audit');
      expect(problems).toEqual([]);
      await context.close();
    }
    expect(failures).toEqual([]);
  }, 240_000);

  it('fits a phone', async () => {
    const { roomId } = await createLiveRoom(server.baseUrl, { character_name: 'Seraphina', title: 'Phone room' }, [stMessage('Seraphina', false, 'Hi')]);
    const { context, page, problems } = await operatorPage(PHONE);
    await page.getByRole('link', { name: 'Rooms' }).click();
    await page.locator(`[data-room-id="${roomId}"]`).waitFor();
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(DOCS, 'screenshot-admin-rooms-phone.png'), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  }, 240_000);
});
