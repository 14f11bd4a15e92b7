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

  it('an existing viewer becomes an anchor by registering with the right password, not the wrong one', async () => {
    const { username, uid } = await registerViewer(t.app, uniqueName('convert'));
    const wrong = await new TestClient(t.app).post('/api/anchor/register', { username, password: 'something else' });
    expect(wrong.statusCode).toBe(409);
    const right = await new TestClient(t.app).post('/api/anchor/register', { username, password: PASSWORD });
    expect(right.statusCode).toBe(200);
    expect(right.json().data.uid).toBe(uid);
  });
});
