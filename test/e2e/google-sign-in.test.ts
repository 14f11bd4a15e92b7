/**
 * "Sign in with Google" in Chromium against a real OpenID provider on this machine (oidc-provider
 * as a fake Google): sign in, sign out, sign in again to the same account; link Google from the
 * account page; and a forged state, a replayed code, a wrong nonce and an unverified e-mail each end
 * on a readable error page, never a 500 and never signed in.
 */
import path from 'node:path';
import type { Browser, BrowserContext, Cookie, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_GOOGLE_CLIENT_ID, FAKE_GOOGLE_CLIENT_SECRET, startFakeGoogle, type FakeGoogle } from '../helpers/fake-google.js';
import { DESKTOP, ensureWebBuild, freePort, hasChromium, launchBrowser, newContext, PHONE, startServer, waitUntil, watchPageProblems, type E2eServer } from './harness.js';

const PASSWORD = 'correct horse battery';
const DOCS = path.resolve('docs');

describe.skipIf(!hasChromium)('Sign in with Google in Chromium', { timeout: 60_000 }, () => {
  let google: FakeGoogle;
  let server: E2eServer;
  let browser: Browser;
  let callbackUrl: string;
  beforeAll(async () => {
    ensureWebBuild();
    google = await startFakeGoogle();
    // The callback URL is built from PUBLIC_URL, so the server is told its address before it listens there.
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    callbackUrl = `${baseUrl}/api/users/google/callback`;
    server = await startServer(
      { publicUrl: baseUrl, google: { clientId: FAKE_GOOGLE_CLIENT_ID, clientSecret: FAKE_GOOGLE_CLIENT_SECRET, issuerUrl: google.issuer } },
      port,
    );
    google.serve([callbackUrl]);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await google?.close();
  });

  const whoAmI = async (page: Page) =>
    ((await (await page.request.get(`${server.baseUrl}/api/users/is_logged_in`)).json()) as { data: { user_info: { uid: string; status: boolean; uname: string } } }).data
      .user_info;

  /** From the log-in dialog to Google; signs in there as `login` if Google asks (it does not when still signed in to it). */
  async function signInWithGoogle(page: Page, login: string): Promise<void> {
    await goToGoogle(page);
    if (new URL(page.url()).origin === google.issuer) await signInAtGoogle(page, login);
  }

  async function goToGoogle(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('link', { name: 'Sign in with Google' }).click();
    await page.waitForURL((url) => url.origin === google.issuer || url.origin === server.baseUrl);
  }

  async function signInAtGoogle(page: Page, login: string): Promise<void> {
    await page.getByLabel('Google account').fill(login);
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  /** The URLs the browser was sent to (redirects included), and the status of each answer of the site's callback. */
  function watchNavigation(page: Page) {
    const seen = { authorization: [] as string[], callback: [] as string[], answers: [] as number[] };
    page.on('request', (request) => {
      if (request.url().startsWith(`${google.issuer}/auth?`)) seen.authorization.push(request.url());
      if (request.url().startsWith(callbackUrl)) seen.callback.push(request.url());
    });
    page.on('response', (response) => {
      if (response.url().startsWith(callbackUrl)) seen.answers.push(response.status());
    });
    return seen;
  }

  async function expectErrorPage(page: Page, answers: number[], status: number, code: string): Promise<void> {
    await page.getByRole('heading', { name: 'Google sign-in failed' }).waitFor();
    await page.getByText(code).waitFor();
    expect(answers.at(-1)).toBe(status);
    expect((await whoAmI(page)).status).toBe(false);
  }

  it('signs in (creating an account), signs out, and signs in again to the same account', async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const problems = watchPageProblems(page);
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('link', { name: 'Sign in with Google' }).waitFor();
    await page.screenshot({ path: path.join(DOCS, 'screenshot-google-sign-in.png') });
    await page.keyboard.press('Escape');

    await signInWithGoogle(page, 'zoe');
    await page.waitForURL(`${server.baseUrl}/`);
    await waitUntil(async () => /^zoe_Tester_[a-z2-9]{4}$/.test((await page.getByTestId('header-user').textContent()) ?? ''));
    const first = await whoAmI(page);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in', exact: true }).waitFor();
    expect((await whoAmI(page)).status).toBe(false);

    await signInWithGoogle(page, 'zoe');
    await page.waitForURL(`${server.baseUrl}/`);
    await page.getByTestId('header-user').waitFor();
    expect(await whoAmI(page)).toEqual(first);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('links Google to a password account from the account page; Google then signs in to it', async () => {
    const context = await newContext(browser, { viewport: PHONE, hasTouch: true });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const username = `linker_${Date.now() % 1_000_000}`;
    expect((await page.request.post(`${server.baseUrl}/api/users/register`, { data: { username, password: PASSWORD } })).ok()).toBe(true);
    const { uid } = await whoAmI(page);

    await page.goto(`${server.baseUrl}/account`);
    await page.getByRole('link', { name: 'Link Google account' }).click();
    await page.getByLabel('Google account').fill('yara');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${server.baseUrl}/account?linked=google`);
    await page.getByText('Google account linked.').waitFor();
    await page.getByText('Linked to yara@example.com').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(DOCS, 'screenshot-google-linked-phone.png'), fullPage: true });

    await page.request.get(`${server.baseUrl}/api/users/login_out`);
    await page.goto(`${server.baseUrl}/`);
    await signInWithGoogle(page, 'yara');
    await page.waitForURL(`${server.baseUrl}/`);
    await page.getByTestId('header-user').waitFor();
    expect((await whoAmI(page)).uid).toBe(uid);
    await context.close();
  });

  it('refuses a forged state', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const seen = watchNavigation(page);
    await page.goto(`${server.baseUrl}/`);
    await goToGoogle(page);
    // Meanwhile an attacker gets a genuine code for their own Google account and sends the visitor a
    // callback link carrying it, with a state of their choosing.
    const attackerRedirect = await google.authorize(seen.authorization[0]!, 'state_attacker');
    attackerRedirect.searchParams.set('state', 'forged-by-an-attacker-0123456789abcdef');
    await page.goto(attackerRedirect.href);
    await expectErrorPage(page, seen.answers, 400, 'google_state_mismatch');
    await context.close();
  });

  it('refuses a replayed code, in the same browser and with the flow cookie copied', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const seen = watchNavigation(page);
    await page.goto(`${server.baseUrl}/`);
    await goToGoogle(page);
    // An attacker copies the flow cookie (and later the code) as they pass.
    const flowCookie: Cookie[] = (await context.cookies()).filter((cookie) => cookie.name === 'pk_google_flow');
    expect(flowCookie).toHaveLength(1);
    await signInAtGoogle(page, 'replay');
    await page.waitForURL(`${server.baseUrl}/`);
    await page.getByTestId('header-user').waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in', exact: true }).waitFor();
    const used = seen.callback[0]!;

    await page.goto(used);
    await expectErrorPage(page, seen.answers, 400, 'google_sign_in_expired');

    const attacker: BrowserContext = await newContext(browser);
    await attacker.addCookies(flowCookie);
    const attackerPage = await attacker.newPage();
    const attackerSeen = watchNavigation(attackerPage);
    await attackerPage.goto(used);
    await expectErrorPage(attackerPage, attackerSeen.answers, 400, 'google_code_rejected');
    await attacker.close();
    await context.close();
  });

  it('refuses an ID token made for another nonce', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const seen = watchNavigation(page);
    await page.goto(`${server.baseUrl}/`);
    await goToGoogle(page);
    // The authorization request reaches Google again with a nonce this site never issued.
    const tampered = new URL(seen.authorization[0]!);
    tampered.searchParams.set('nonce', 'not-the-nonce-the-site-made-0123456789');
    await page.goto(tampered.href);
    await signInAtGoogle(page, 'nonce_victim');
    await expectErrorPage(page, seen.answers, 400, 'google_nonce_mismatch');
    await context.close();
  });

  it('refuses a Google account whose e-mail is not verified', async () => {
    const context = await newContext(browser, { locale: 'zh-CN' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const seen = watchNavigation(page);
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('link', { name: '使用 Google 登录' }).click();
    await page.getByLabel('Google account').fill('unverified_uma');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectErrorPage(page, seen.answers, 403, 'google_email_unverified');
    await context.close();
  });
});
