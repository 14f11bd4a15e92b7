/**
 * The account page in Chromium: a viewer renames themselves, changes their password and deletes
 * their account, in English and Chinese, on desktop and phone. Writes the README screenshots.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, ensureWebBuild, hasChromium, launchBrowser, newContext, PHONE, startServer, waitUntil, watchPageProblems, type E2eServer } from './harness.js';

const PASSWORD = 'correct horse battery';
const DOCS = path.resolve('docs');

describe.skipIf(!hasChromium)('account page in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  beforeAll(async () => {
    ensureWebBuild();
    server = await startServer();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renames, changes the password and deletes the account', async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    page.setDefaultTimeout(8_000);
    const problems = watchPageProblems(page);
    const username = `acct_${Date.now() % 1_000_000}`;
    const registered = await page.request.post(`${server.baseUrl}/api/users/register`, { data: { username, password: PASSWORD } });
    expect(registered.ok()).toBe(true);

    await page.goto(`${server.baseUrl}/`);
    await page.getByTestId('header-user').click();
    await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
    await page.screenshot({ path: path.join(DOCS, 'screenshot-account-desktop.png'), fullPage: true });

    const newName = `${username}_x`;
    await page.getByLabel('Username').fill(newName);
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByText('Name changed.').waitFor();
    await waitUntil(async () => (await page.getByTestId('header-user').textContent()) === newName);

    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password').fill('a brand new password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('The current password is wrong.').waitFor();
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed.', { exact: false }).waitFor();

    await page.getByLabel('Password, to confirm').fill('a brand new password');
    await page.getByRole('button', { name: 'Delete my account for good' }).click();
    await page.getByText('Your account was deleted.').waitFor();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    const relogin = await page.request.post(`${server.baseUrl}/api/users/login`, { data: { username: newName, password: 'a brand new password' } });
    expect(relogin.status()).toBe(401);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('speaks Chinese and fits a phone', async () => {
    const context = await newContext(browser, { viewport: PHONE, locale: 'zh-CN', hasTouch: true });
    const page = await context.newPage();
    const username = `手机_${Date.now() % 1_000_000}`;
    await page.request.post(`${server.baseUrl}/api/users/register`, { data: { username, password: PASSWORD } });
    // On a phone the header has no room for the name: the wallet page leads to the account page.
    await page.goto(`${server.baseUrl}/wallet`);
    await page.getByRole('link', { name: '账号设置' }).click();
    await page.getByRole('heading', { name: '账号设置', level: 1 }).waitFor();
    await page.getByRole('button', { name: '永久注销我的账号' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(DOCS, 'screenshot-account-phone.png'), fullPage: true });
    await context.close();
  });

  it('asks a guest to log in', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/account`);
    await page.getByText('Log in to manage your account.').waitFor();
    await context.close();
  });
});
