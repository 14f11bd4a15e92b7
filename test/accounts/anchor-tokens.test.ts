import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { PASSWORD, TestClient, registerAnchor, registerViewer, uniqueName } from '../helpers/client.js';

let now = Date.UTC(2026, 11, 1, 12, 0, 0);
let t: TestApp;
/** A second instance on the same database, like one behind the same load balancer. */
let other: FastifyInstance;

beforeAll(async () => {
  t = await createTestApp({ deps: { clock: () => now } });
  other = await buildApp(t.deps);
  await other.ready();
});
afterAll(async () => {
  await other.close();
  await t.close();
});

function withBearer(app: FastifyInstance, token: string): TestClient {
  const client = new TestClient(app);
  client.bearer = token;
  return client;
}

type Token = { id: string; name: string; created_at: number; last_used_at: number | null };

async function listTokens(client: TestClient): Promise<Token[]> {
  const res = await client.get('/api/anchor/tokens');
  expect(res.statusCode).toBe(200);
  return res.json().data.tokens as Token[];
}

describe('anchor tokens as devices', () => {
  it('lists named tokens with created and last-used times, never their secrets', async () => {
    const anchor = await registerAnchor(t.app);
    const created = await anchor.client.post('/api/anchor/tokens', { name: 'SillyTavern laptop' });
    expect(created.statusCode).toBe(200);
    const { token, secret } = created.json().data as { token: Token; secret: string };
    expect(token).toEqual({ id: expect.any(String), name: 'SillyTavern laptop', created_at: now, last_used_at: null });
    expect(secret.length).toBeGreaterThanOrEqual(43);

    const listing = await anchor.client.get('/api/anchor/tokens');
    expect(listing.body).not.toContain(secret);
    expect(listing.body).not.toContain(anchor.token);
    const tokens = listing.json().data.tokens as Token[];
    expect(tokens.map((x) => x.name).sort()).toEqual(['Login', 'SillyTavern laptop']);
    // The listing request itself used the login token.
    expect(tokens.find((x) => x.name === 'Login')?.last_used_at).toBe(now);
    expect(tokens.find((x) => x.id === token.id)?.last_used_at).toBeNull();

    // The new secret works as a bearer token, and marks its token used.
    const bridge = withBearer(t.app, secret);
    expect((await bridge.post('/api/anchor/rooms', { character_name: 'Seraphina', character_date: '2026-12-01@10h00m00s' })).statusCode).toBe(200);
    expect((await listTokens(anchor.client)).find((x) => x.id === token.id)?.last_used_at).toBe(now);
  });

  it('records use at most once a minute per token', async () => {
    const anchor = await registerAnchor(t.app);
    const start = now;
    await listTokens(anchor.client);
    now += 30_000;
    expect((await listTokens(anchor.client))[0]?.last_used_at).toBe(start);
    now += 31_000;
    expect((await listTokens(anchor.client))[0]?.last_used_at).toBe(now);
  });

  it('a login can name its token', async () => {
    const anchor = await registerAnchor(t.app);
    const login = await new TestClient(t.app).post('/api/anchor/login', { username: anchor.username, password: PASSWORD, token_name: 'Bridge' });
    expect(login.statusCode).toBe(200);
    expect((await listTokens(anchor.client)).map((x) => x.name).sort()).toEqual(['Bridge', 'Login']);
  });

  it('a revoked token is refused at once, on every instance; the others keep working', async () => {
    const anchor = await registerAnchor(t.app);
    const { token, secret } = (await anchor.client.post('/api/anchor/tokens', { name: 'script' })).json().data as { token: Token; secret: string };
    const onOther = withBearer(other, secret);
    expect((await onOther.get('/api/anchor/tokens')).statusCode).toBe(200);

    const revoked = await anchor.client.delete(`/api/anchor/tokens/${token.id}`);
    expect(revoked.json()).toEqual({ code: 0, data: { revoked: 1 } });
    const refused = await onOther.get('/api/anchor/tokens');
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ code: 1, error: 'unauthorized' });
    expect((await withBearer(t.app, secret).get('/api/anchor/tokens')).statusCode).toBe(401);
    // Revoking it again: nothing to revoke.
    expect((await anchor.client.delete(`/api/anchor/tokens/${token.id}`)).statusCode).toBe(404);
    expect((await listTokens(anchor.client)).map((x) => x.name)).toEqual(['Login']);
  });

  it('revoke all refuses every token of the anchor, including the one used', async () => {
    const anchor = await registerAnchor(t.app);
    const { secret } = (await anchor.client.post('/api/anchor/tokens', { name: 'one' })).json().data as { secret: string };
    const bystander = await registerAnchor(t.app);
    const res = await anchor.client.delete('/api/anchor/tokens');
    expect(res.json()).toEqual({ code: 0, data: { revoked: 2 } });
    expect((await anchor.client.get('/api/anchor/tokens')).statusCode).toBe(401);
    expect((await withBearer(other, secret).get('/api/anchor/tokens')).statusCode).toBe(401);
    // Another anchor's tokens are untouched.
    expect((await bystander.client.get('/api/anchor/tokens')).statusCode).toBe(200);
  });

  it("another anchor's token is not found and not listed", async () => {
    const owner = await registerAnchor(t.app);
    const intruder = await registerAnchor(t.app);
    const [ownToken] = await listTokens(owner.client);
    const res = await intruder.client.delete(`/api/anchor/tokens/${ownToken!.id}`);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 1, error: 'token_not_found' });
    expect((await listTokens(intruder.client)).map((x) => x.id)).not.toContain(ownToken!.id);
    expect((await owner.client.get('/api/anchor/tokens')).statusCode).toBe(200);
  });

  it('rejects a nameless token and bad ids as 400', async () => {
    const anchor = await registerAnchor(t.app);
    for (const name of ['', '   ', 'x'.repeat(65)]) {
      const res = await anchor.client.post('/api/anchor/tokens', { name });
      expect(res.statusCode, name).toBe(400);
      expect(res.json().code).toBe(1);
    }
  });

  it('viewers get 403 and guests 401 on every token endpoint', async () => {
    const anchor = await registerAnchor(t.app);
    const [token] = await listTokens(anchor.client);
    const { client: viewer } = await registerViewer(t.app);
    const guest = new TestClient(t.app);
    const calls: Array<(c: TestClient) => ReturnType<TestClient['get']>> = [
      (c) => c.get('/api/anchor/tokens'),
      (c) => c.post('/api/anchor/tokens', { name: 'mine now' }),
      (c) => c.delete(`/api/anchor/tokens/${token!.id}`),
      (c) => c.delete('/api/anchor/tokens'),
    ];
    for (const call of calls) {
      const asViewer = await call(viewer);
      expect(asViewer.statusCode).toBe(403);
      expect(asViewer.json()).toMatchObject({ code: 1, error: 'anchor_token_required' });
      expect((await call(guest)).statusCode).toBe(401);
    }
    expect(await listTokens(anchor.client)).toHaveLength(1);
  });
});

describe('the console signs anchors in with the session cookie', () => {
  it('anchor sign-up with session sets the cookie, mints no token, and the cookie works on anchor endpoints', async () => {
    const client = new TestClient(t.app);
    const res = await client.post('/api/anchor/register', { username: uniqueName('studio'), password: PASSWORD, session: true });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.token).toBeUndefined();
    expect(client.cookies.has('pk_session')).toBe(true);
    expect(await listTokens(client)).toEqual([]);
    const same = await client.get('/api/anchor/tokens', { headers: { 'sec-fetch-site': 'same-origin' } });
    expect(same.statusCode).toBe(200);
  });

  it('another site cannot use the console cookie, even where CORS lets it call', async () => {
    const anchor = await registerAnchor(t.app);
    const client = new TestClient(t.app);
    await client.post('/api/anchor/login', { username: anchor.username, password: PASSWORD, session: true });
    const res = await client.get('/api/anchor/tokens', { headers: { 'sec-fetch-site': 'cross-site', origin: 'http://127.0.0.1:8000' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toBe('anchor_token_required');
  });

  it('a viewer becomes an anchor from the console with the password and a session', async () => {
    const { username, client } = await registerViewer(t.app);
    expect((await client.get('/api/anchor/tokens')).statusCode).toBe(403);
    const res = await client.post('/api/anchor/login', { username, password: PASSWORD, become_anchor: true, session: true });
    expect(res.statusCode).toBe(200);
    expect(await listTokens(client)).toEqual([]);
  });

  it('a viewer who is not an anchor cannot sign in to the console', async () => {
    const { username } = await registerViewer(t.app);
    const client = new TestClient(t.app);
    const res = await client.post('/api/anchor/login', { username, password: PASSWORD, session: true });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toBe('not_an_anchor');
    expect(client.cookies.has('pk_session')).toBe(false);
  });
});
