/**
 * "Sign in with Google" against a real OpenID provider on this machine (oidc-provider as a fake
 * Google): first sign-in creates an account, the next one finds it; linking from a password
 * account; and every kind of tampered answer (state, replayed code, nonce, unverified e-mail) is
 * refused with a clear error, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { PASSWORD, TestClient, registerViewer } from '../helpers/client.js';
import { FAKE_GOOGLE_CLIENT_ID, FAKE_GOOGLE_CLIENT_SECRET, startFakeGoogle, type FakeGoogle } from '../helpers/fake-google.js';

const PUBLIC_URL = 'http://pecktra.test';
const CALLBACK = `${PUBLIC_URL}/api/users/google/callback`;

let google: FakeGoogle;
let t: TestApp;
beforeAll(async () => {
  google = await startFakeGoogle([CALLBACK]);
  t = await createTestApp({
    config: { publicUrl: PUBLIC_URL, google: { clientId: FAKE_GOOGLE_CLIENT_ID, clientSecret: FAKE_GOOGLE_CLIENT_SECRET, issuerUrl: google.issuer } },
  });
});
afterAll(async () => {
  await t?.close();
  await google?.close();
});

/** Starts a sign-in (or link) in `client`, returning where the site sends the browser. */
async function start(client: TestClient, path = '/api/users/google/login'): Promise<string> {
  const res = await client.get(path);
  expect(res.statusCode, res.body).toBe(302);
  return res.headers.location as string;
}

/** The provider's redirect back to the site, as the browser would follow it. */
function callback(client: TestClient, redirect: URL, accept = 'application/json') {
  expect(redirect.origin + redirect.pathname).toBe(CALLBACK);
  return client.get(redirect.pathname + redirect.search, { headers: { accept } });
}

async function signInWithGoogle(client: TestClient, login: string) {
  const redirect = await google.authorize(await start(client), login);
  return callback(client, redirect);
}

const whoAmI = async (client: TestClient) => (await client.get('/api/users/is_logged_in')).json().data.user_info;
const accountCount = async () => Number((await t.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('Google sign-in', () => {
  it('is offered only when configured', async () => {
    expect((await new TestClient(t.app).get('/api/users/sign_in_methods')).json()).toEqual({ code: 0, data: { password: true, google: true } });
    const plain = await createTestApp();
    try {
      const client = new TestClient(plain.app);
      expect((await client.get('/api/users/sign_in_methods')).json().data.google).toBe(false);
      const login = await client.get('/api/users/google/login');
      expect([login.statusCode, login.json().error]).toEqual([404, 'google_not_configured']);
    } finally {
      await plain.close();
    }
  });

  it('sends the browser to Google with PKCE, state and nonce', async () => {
    const url = new URL(await start(new TestClient(t.app)));
    expect(url.origin).toBe(google.issuer);
    expect(url.searchParams.get('client_id')).toBe(FAKE_GOOGLE_CLIENT_ID);
    expect(url.searchParams.get('redirect_uri')).toBe(CALLBACK);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    for (const param of ['code_challenge', 'state', 'nonce']) expect(url.searchParams.get(param)?.length).toBeGreaterThanOrEqual(32);
    expect(url.searchParams.get('scope')).toBe('openid email profile');
  });

  it('creates an account with a generated, changeable username at first, and finds it again', async () => {
    const browser = new TestClient(t.app);
    const first = await signInWithGoogle(browser, 'alice');
    expect([first.statusCode, first.headers.location], first.body).toEqual([302, '/']);
    const me = await whoAmI(browser);
    expect(me.status).toBe(true);
    expect(me.uname).toMatch(/^alice_Tester_[a-z2-9]{4}$/);
    expect((await browser.get('/api/users/identities')).json().data).toEqual({
      has_password: false,
      identities: [{ provider: 'google', email: 'alice@example.com', linked_at: expect.any(Number) }],
    });

    const renamed = await browser.post('/api/users/change_username', { username: 'alice_renamed' });
    expect(renamed.statusCode).toBe(200);
    expect((await browser.get('/api/users/login_out')).statusCode).toBe(200);
    expect((await whoAmI(browser)).status).toBe(false);

    const again = await signInWithGoogle(browser, 'alice');
    expect(again.statusCode).toBe(302);
    expect(await whoAmI(browser)).toMatchObject({ status: true, uid: me.uid, uname: 'alice_renamed' });
  });

  it('comes back to the page the sign-in started from, and only to this site', async () => {
    const browser = new TestClient(t.app);
    const url = await start(browser, '/api/users/google/login?return_to=%2Froom%2Fabc%3Fx%3D1');
    expect((await callback(browser, await google.authorize(url, 'bob'))).headers.location).toBe('/room/abc?x=1');
    for (const target of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      const res = await browser.get(`/api/users/google/login?return_to=${encodeURIComponent(target)}`);
      expect(res.statusCode).toBe(400);
    }
  });

  it('never joins a password account by e-mail or name: only linking from the account does', async () => {
    const viewer = await registerViewer(t.app, 'carol');
    const stranger = new TestClient(t.app);
    await signInWithGoogle(stranger, 'carol');
    expect((await whoAmI(stranger)).uid).not.toBe(viewer.uid);

    const dave = await registerViewer(t.app);
    const link = await start(dave.client, '/api/users/google/link');
    const linked = await callback(dave.client, await google.authorize(link, 'dave'));
    expect([linked.statusCode, linked.headers.location]).toEqual([302, '/account?linked=google']);
    expect((await dave.client.get('/api/users/identities')).json().data).toMatchObject({ has_password: true, identities: [{ email: 'dave@example.com' }] });
    const viaGoogle = new TestClient(t.app);
    await signInWithGoogle(viaGoogle, 'dave');
    expect((await whoAmI(viaGoogle)).uid).toBe(dave.uid);

    // carol's Google already has its own account: it cannot be linked to another one as well.
    const erin = await registerViewer(t.app);
    const taken = await callback(erin.client, await google.authorize(await start(erin.client, '/api/users/google/link'), 'carol'));
    expect([taken.statusCode, taken.json().error]).toEqual([409, 'google_account_in_use']);
    // And dave's account holds one Google account at most.
    const second = await callback(dave.client, await google.authorize(await start(dave.client, '/api/users/google/link'), 'dave_other'));
    expect([second.statusCode, second.json().error]).toEqual([409, 'google_already_linked']);
  });

  it('links only for the account that asked, and never from a cross-site link', async () => {
    const frank = await registerViewer(t.app);
    const guest = await new TestClient(t.app).get('/api/users/google/link');
    expect(guest.statusCode).toBe(401);
    const crossSite = await frank.client.get('/api/users/google/link', { headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' } });
    expect([crossSite.statusCode, crossSite.json().error]).toEqual([403, 'cross_site_request']);

    const link = await start(frank.client, '/api/users/google/link');
    const redirect = await google.authorize(link, 'frank');
    await frank.client.get('/api/users/login_out');
    const signedOut = await callback(frank.client, redirect);
    expect([signedOut.statusCode, signedOut.json().error]).toEqual([401, 'session_changed']);
  });

  it('refuses a forged state', async () => {
    const browser = new TestClient(t.app);
    const redirect = await google.authorize(await start(browser), 'mallory');
    redirect.searchParams.set('state', 'forged-state-0123456789abcdefghijklmnop');
    const before = await accountCount();
    const res = await callback(browser, redirect);
    expect([res.statusCode, res.json().error]).toEqual([400, 'google_state_mismatch']);
    expect(await accountCount()).toBe(before);
    expect((await whoAmI(browser)).status).toBe(false);
  });

  it('refuses a replayed code, even with the flow cookie kept', async () => {
    const browser = new TestClient(t.app);
    await start(browser);
    const flowCookie = new Map(browser.cookies);
    browser.cookies.clear();
    const url = await start(browser);
    const kept = new Map(browser.cookies);
    const redirect = await google.authorize(url, 'replay');
    expect((await callback(browser, redirect)).statusCode).toBe(302);

    // The same browser again: its flow is over.
    const again = await callback(browser, redirect);
    expect([again.statusCode, again.json().error]).toEqual([400, 'google_sign_in_expired']);
    // An attacker who kept the flow cookie too: Google refuses the used code.
    const attacker = new TestClient(t.app);
    for (const [name, value] of kept) attacker.cookies.set(name, value);
    const replayed = await callback(attacker, redirect);
    expect([replayed.statusCode, replayed.json().error]).toEqual([400, 'google_code_rejected']);
    expect((await whoAmI(attacker)).status).toBe(false);
    // Another flow's cookie does not match the code's state.
    const other = new TestClient(t.app);
    for (const [name, value] of flowCookie) other.cookies.set(name, value);
    expect((await callback(other, redirect)).json().error).toBe('google_state_mismatch');
  });

  it('refuses an ID token issued for another nonce', async () => {
    const browser = new TestClient(t.app);
    const url = new URL(await start(browser));
    url.searchParams.set('nonce', 'a-nonce-this-site-never-made-0123456789');
    const res = await callback(browser, await google.authorize(url.href, 'nonce_victim'));
    expect([res.statusCode, res.json().error]).toEqual([400, 'google_nonce_mismatch']);
    expect((await whoAmI(browser)).status).toBe(false);
  });

  it('refuses a Google account without a verified e-mail', async () => {
    const browser = new TestClient(t.app);
    const before = await accountCount();
    const res = await signInWithGoogle(browser, 'unverified_ursula');
    expect([res.statusCode, res.json().error]).toEqual([403, 'google_email_unverified']);
    expect(await accountCount()).toBe(before);
  });

  it('refuses a callback without a flow, or a forged flow cookie; a browser gets a readable page', async () => {
    const browser = new TestClient(t.app);
    const redirect = await google.authorize(await start(browser), 'no_flow');
    const lost = new TestClient(t.app);
    const page = await callback(lost, redirect, 'text/html,application/xhtml+xml');
    expect(page.statusCode).toBe(400);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('expired or was already used');
    lost.cookies.set('pk_google_flow', encodeURIComponent(JSON.stringify({ state: redirect.searchParams.get('state'), nonce: 'n', codeVerifier: 'v', purpose: 'sign_in', startedAt: Date.now(), returnTo: '/' })));
    expect((await callback(lost, redirect)).json().error).toBe('google_sign_in_expired');
    const denied = await callback(browser, new URL(`${CALLBACK}?error=access_denied&state=${redirect.searchParams.get('state')}&iss=${encodeURIComponent(google.issuer)}`));
    expect([denied.statusCode, denied.json().error]).toEqual([400, 'google_refused']);
  });

  it('lets a Google-made account set a password, unlink Google only then, and delete itself', async () => {
    const browser = new TestClient(t.app);
    await signInWithGoogle(browser, 'grace');
    const unlink = await browser.delete('/api/users/identities/google');
    expect([unlink.statusCode, unlink.json().error]).toEqual([409, 'password_required']);
    const set = await browser.post('/api/users/change_password', { current_password: '', new_password: PASSWORD });
    expect(set.json()).toEqual({ code: 0 });
    // From now on the current password is needed, as for any account.
    const wrong = await browser.post('/api/users/change_password', { current_password: '', new_password: 'another password' });
    expect(wrong.json().error).toBe('wrong_password');
    expect((await browser.delete('/api/users/identities/google')).json()).toEqual({ code: 0 });
    expect((await browser.get('/api/users/identities')).json().data).toEqual({ has_password: true, identities: [] });

    const { uid } = await whoAmI(browser);
    expect((await browser.post('/api/users/delete_account', { password: PASSWORD })).json()).toEqual({ code: 0 });
    const henry = new TestClient(t.app);
    await signInWithGoogle(henry, 'henry');
    const henryUid = (await whoAmI(henry)).uid;
    expect((await henry.post('/api/users/delete_account', { password: '' })).json()).toEqual({ code: 0 });
    // The deleted account is out of reach: the same Google account starts a new one.
    await signInWithGoogle(henry, 'henry');
    const after = await whoAmI(henry);
    expect(after.status).toBe(true);
    expect([after.uid === henryUid, after.uid === uid]).toEqual([false, false]);
  });
});
