import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { PASSWORD, TestClient, registerViewer, uniqueName } from '../helpers/client.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { loginMaxFailures: 3 } });
});
afterAll(() => t.close());

describe('guest identity', () => {
  it('is_logged_in answers the contract guest shape with a stable guest name', async () => {
    const browser = new TestClient(t.app);
    const first = await browser.get('/api/users/is_logged_in');
    expect(first.statusCode).toBe(200);
    const info = first.json().data.user_info;
    expect(first.json().code).toBe(0);
    expect(info).toMatchObject({ uid: '', status: false, uname: '游客', coin_num: 0 });
    expect(info.guest_name).toMatch(/^游客[A-Za-z0-9]{6}$/);

    const again = await browser.get('/api/users/is_logged_in');
    expect(again.json().data.user_info.guest_name).toBe(info.guest_name);

    const otherBrowser = await new TestClient(t.app).get('/api/users/is_logged_in');
    expect(otherBrowser.json().data.user_info.guest_name).not.toBe(info.guest_name);
  });

  it('a forged guest cookie is not accepted as a chosen name', async () => {
    const res = await t.app.inject({ url: '/api/users/is_logged_in', headers: { cookie: 'pk_guest=游客ABCDEF' } });
    expect(res.json().data.user_info.guest_name).not.toBe('游客ABCDEF');
  });
});

describe('register, log in, log out', () => {
  it('register logs the user in; logout invalidates the session server-side', async () => {
    const browser = new TestClient(t.app);
    const username = uniqueName('Alice');
    const reg = await browser.post('/api/users/register', { username, password: PASSWORD });
    expect(reg.statusCode).toBe(200);
    const user = reg.json().data.user_info;
    expect(user).toMatchObject({ status: true, uname: username, coin_num: 0 });
    expect(user.uid).toMatch(/^[A-Za-z0-9_-]{16}$/);

    const sessionCookie = reg.cookies.find((c) => c.name === 'pk_session');
    expect(sessionCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });

    const me = await browser.get('/api/users/is_logged_in');
    expect(me.json().data.user_info).toEqual({ uid: user.uid, status: true, uname: username, coin_num: 0 });

    const oldCookie = browser.cookies.get('pk_session');
    const out = await browser.get('/api/users/login_out');
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ code: 0 });
    expect((await browser.get('/api/users/is_logged_in')).json().data.user_info.status).toBe(false);

    // A replayed copy of the old cookie is a guest now.
    const replay = await t.app.inject({ url: '/api/users/is_logged_in', headers: { cookie: `pk_session=${oldCookie}` } });
    expect(replay.json().data.user_info).toMatchObject({ status: false, uname: '游客' });

    const login = await browser.post('/api/users/login', { username: username.toUpperCase(), password: PASSWORD });
    expect(login.statusCode).toBe(200);
    expect(login.json().data.user_info.uid).toBe(user.uid);
  });

  it('logout as a guest, by GET or POST, and with a trailing slash, is code 0', async () => {
    const guest = new TestClient(t.app);
    expect((await guest.get('/api/users/login_out')).json()).toEqual({ code: 0 });
    expect((await guest.post('/api/users/login_out/')).json()).toEqual({ code: 0 });
    expect((await guest.get('/api/users/is_logged_in/')).statusCode).toBe(200);
  });

  it('usernames are unique case-insensitively', async () => {
    const name = uniqueName('Bob');
    await registerViewer(t.app, name);
    const dup = await new TestClient(t.app).post('/api/users/register', { username: name.toLowerCase(), password: PASSWORD });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 1, error: 'username_taken' });
  });

  it('accepts Chinese usernames and rejects bad usernames and short passwords', async () => {
    const ok = await new TestClient(t.app).post('/api/users/register', { username: `小明_${process.pid}`, password: PASSWORD });
    expect(ok.statusCode).toBe(200);
    for (const username of ['ab', 'x'.repeat(33), 'has space', 'semi;colon', '游客abcdef']) {
      const res = await new TestClient(t.app).post('/api/users/register', { username, password: PASSWORD });
      expect(res.statusCode, username).toBe(400);
      expect(res.json().error).toBe('invalid_username');
    }
    const weak = await new TestClient(t.app).post('/api/users/register', { username: uniqueName(), password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error).toBe('weak_password');
  });

  it('wrong password and unknown user get the same 401', async () => {
    const { username } = await registerViewer(t.app);
    const wrong = await new TestClient(t.app).post('/api/users/login', { username, password: 'not the password' }, { remoteAddress: '10.0.0.1' });
    const unknown = await new TestClient(t.app).post('/api/users/login', { username: uniqueName('ghost'), password: PASSWORD }, { remoteAddress: '10.0.0.2' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json()).toMatchObject({ code: 1, error: 'invalid_credentials' });
  });
});

describe('cross-site protection', () => {
  it('refuses a cookie-carrying POST from another origin, allows same origin', async () => {
    const { client } = await registerViewer(t.app);
    const evil = await client.post('/api/users/login_out', undefined, { headers: { origin: 'https://evil.example' } });
    expect(evil.statusCode).toBe(403);
    expect(evil.json()).toMatchObject({ code: 1, error: 'cross_site_request' });
    expect((await client.get('/api/users/is_logged_in')).json().data.user_info.status).toBe(true);

    const fetchMeta = await client.post('/api/users/login_out', undefined, { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(fetchMeta.statusCode).toBe(403);

    const same = await client.post('/api/users/login_out', undefined, { headers: { origin: t.config.publicUrl } });
    expect(same.statusCode).toBe(200);
  });
});
