import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { PASSWORD, TestClient, registerAnchor, registerViewer, uniqueName } from '../helpers/client.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('anchor tokens', () => {
  it('register, login, use and revoke tokens', async () => {
    const anchor = await registerAnchor(t.app);
    expect(anchor.token.length).toBeGreaterThanOrEqual(43);

    const login = await new TestClient(t.app).post('/api/anchor/login', { username: anchor.username, password: PASSWORD });
    expect(login.statusCode).toBe(200);
    const second = login.json().data;
    expect(second).toMatchObject({ uid: anchor.uid, username: anchor.username });
    expect(second.token).not.toBe(anchor.token);

    const out = await anchor.client.post('/api/anchor/logout');
    expect(out.json()).toEqual({ code: 0 });
    const reuse = await anchor.client.post('/api/anchor/logout');
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json()).toMatchObject({ code: 1, error: 'unauthorized' });

    // The other token is still valid.
    const other = new TestClient(t.app);
    other.bearer = second.token;
    expect((await other.post('/api/anchor/logout')).statusCode).toBe(200);
  });

  it('anchors can also log in as viewers with the same credentials', async () => {
    const anchor = await registerAnchor(t.app);
    const viewer = await new TestClient(t.app).post('/api/users/login', { username: anchor.username, password: PASSWORD });
    expect(viewer.statusCode).toBe(200);
    expect(viewer.json().data.user_info.uid).toBe(anchor.uid);
  });

  it('a viewer session on an anchor endpoint is 403, no credentials is 401', async () => {
    const { client } = await registerViewer(t.app);
    const res = await client.post('/api/anchor/logout');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 1, error: 'anchor_token_required' });
    expect((await new TestClient(t.app).post('/api/anchor/logout')).statusCode).toBe(401);
    const garbage = new TestClient(t.app);
    garbage.bearer = 'not-a-token';
    expect((await garbage.post('/api/anchor/logout')).statusCode).toBe(401);
  });

  it('a viewer cannot get an anchor token by logging in on the anchor endpoint', async () => {
    const { username } = await registerViewer(t.app);
    const res = await new TestClient(t.app).post('/api/anchor/login', { username, password: PASSWORD });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toBe('not_an_anchor');
  });

  it('registering an existing username never checks the password and never converts the account', async () => {
    const { username, client } = await registerViewer(t.app, uniqueName('convert'));
    const wrong = await new TestClient(t.app).post('/api/anchor/register', { username, password: 'something else' });
    const right = await new TestClient(t.app).post('/api/anchor/register', { username, password: PASSWORD });
    // Same answer either way: registration is no password oracle.
    for (const res of [wrong, right]) {
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 1, error: 'username_taken' });
      expect(res.json().data).toBeUndefined();
    }
    // The account is still a viewer only, and its owner's session still works.
    const login = await new TestClient(t.app).post('/api/anchor/login', { username, password: PASSWORD });
    expect(login.json().error).toBe('not_an_anchor');
    expect((await client.get('/api/users/is_logged_in')).json().data.user_info.status).toBe(true);
  });

  it('anchor registration does not let a locked-out username be guessed', async () => {
    const limited = await createTestApp({ config: { loginMaxFailures: 3 } });
    try {
      const { username } = await registerViewer(limited.app, uniqueName('locked'));
      for (let i = 0; i < 3; i++) {
        await new TestClient(limited.app).post('/api/users/login', { username, password: `wrong-${i}-password` });
      }
      const locked = await new TestClient(limited.app).post('/api/anchor/login', { username, password: PASSWORD, become_anchor: true });
      expect(locked.statusCode).toBe(429);
      const register = await new TestClient(limited.app).post('/api/anchor/register', { username, password: PASSWORD });
      expect(register.statusCode).toBe(409);
    } finally {
      await limited.close();
    }
  });

  it('a viewer becomes an anchor explicitly: by anchor login with become_anchor, or signed in', async () => {
    const first = await registerViewer(t.app, uniqueName('explicit'));
    const wrong = await new TestClient(t.app).post('/api/anchor/login', { username: first.username, password: 'not the password', become_anchor: true });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toBe('invalid_credentials');
    const right = await new TestClient(t.app).post('/api/anchor/login', { username: first.username, password: PASSWORD, become_anchor: true });
    expect(right.statusCode).toBe(200);
    expect(right.json().data.uid).toBe(first.uid);
    const again = await new TestClient(t.app).post('/api/anchor/login', { username: first.username, password: PASSWORD });
    expect(again.statusCode).toBe(200);

    const second = await registerViewer(t.app, uniqueName('explicit'));
    expect((await new TestClient(t.app).post('/api/users/become_anchor')).statusCode).toBe(401);
    const upgraded = await second.client.post('/api/users/become_anchor');
    expect(upgraded.statusCode).toBe(200);
    const token = upgraded.json().data.token as string;
    const anchorClient = new TestClient(t.app);
    anchorClient.bearer = token;
    const room = await anchorClient.post('/api/anchor/rooms', { character_name: 'Seraphina', character_date: '2026-12-01@10h00m00s' });
    expect(room.statusCode).toBe(200);
  });
});
