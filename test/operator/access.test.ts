/**
 * Who reaches the operator console: the role comes from the CLI only, operators sign in with their
 * password to a short session, sensitive actions ask for the password again, and every /api/admin
 * route refuses guests, viewers, anchors and an operator's ordinary (non-console) session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOperatorCommand } from '../../src/accounts/operator-commands.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { PASSWORD, registerAnchor, registerViewer, TestClient } from '../helpers/client.js';
import { signInOperator } from './helpers.js';

let t: TestApp;
let now = Date.now();
beforeAll(async () => {
  t = await createTestApp({ config: { operatorSessionTtlMinutes: 30, operatorReauthMinutes: 5 }, deps: { clock: () => now } });
});
afterAll(async () => {
  await t.close();
});

/** Every operator route of the API, from the OpenAPI document (so a new route is covered at once). */
function adminRoutes(): Array<{ method: string; url: string }> {
  const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/api/admin/') && path !== '/api/admin/login')
    .flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((method) => method !== 'head')
        .map((method) => ({
          method: method.toUpperCase(),
          url: path.replace('{uid}', 'someone').replace('{room_id}', 'someroom').replace('{floor}', '1').replace('{id}', '1').replace('{order_id}', 'someorder'),
        })),
    );
}

function call(client: TestClient, route: { method: string; url: string }, password = 'not the password') {
  // A body every action accepts, so refusals are about who asks, not about what was sent.
  const body = route.method === 'GET' ? undefined : { reason: 'test', amount: 1, password, room_id: 'someroom', target: 'room', outcome: 'dismissed' };
  return client.request(route.method as 'GET' | 'POST', route.url, { body });
}

describe('operator role (npm run operator)', () => {
  it('grants, lists and revokes by username; unknown names are an error', async () => {
    const viewer = await registerViewer(t.app);
    expect(await runOperatorCommand(t.db, ['grant', viewer.username], { osUser: 'tester' })).toMatchObject({ exitCode: 0 });
    expect((await runOperatorCommand(t.db, ['list'], { osUser: 'tester' })).lines.join('\n')).toContain(viewer.username);
    expect(await runOperatorCommand(t.db, ['revoke', viewer.username], { osUser: 'tester' })).toMatchObject({ exitCode: 0 });
    expect((await runOperatorCommand(t.db, ['list'], { osUser: 'tester' })).lines.join('\n')).not.toContain(viewer.username);
    expect(await runOperatorCommand(t.db, ['grant', 'nobody_such_user'], { osUser: 'tester' })).toMatchObject({ exitCode: 1 });
    expect(await runOperatorCommand(t.db, ['promote'], { osUser: 'tester' })).toMatchObject({ exitCode: 2 });
  });

  it('puts every grant and revoke on the audit trail, by the shell user, where the console shows it', async () => {
    const watcher = await signInOperator(t.app, t.db);
    const viewer = await registerViewer(t.app);
    await runOperatorCommand(t.db, ['grant', viewer.username, 'night', 'shift', 'moderator'], { osUser: 'alice' });
    const revokedAt = await signInAs(viewer.username);
    await runOperatorCommand(t.db, ['revoke', viewer.username], { osUser: 'bob' });
    await runOperatorCommand(t.db, ['revoke', 'nobody_such_user'], { osUser: 'bob' });
    expect((await revokedAt.get('/api/admin/me')).statusCode).toBe(401);

    const trail = await watcher.client.get('/api/admin/audit', { query: { target_id: viewer.uid } });
    expect(trail.statusCode).toBe(200);
    expect(trail.json().data.entries).toEqual([
      expect.objectContaining({
        operator_id: null,
        operator_name: 'cli:bob',
        action: 'user.revoke_operator',
        target_type: 'user',
        reason: 'operator role revoked from the server shell',
        before: { is_operator: true },
        after: { is_operator: false, console_sessions_ended: 1 },
      }),
      expect.objectContaining({
        operator_id: null,
        operator_name: 'cli:alice',
        action: 'user.grant_operator',
        reason: 'night shift moderator',
        before: { is_operator: false },
        after: { is_operator: true },
      }),
    ]);
    // Searchable like console actions, by the shell user's name.
    const byBob = await watcher.client.get('/api/admin/audit', { query: { q: 'cli:bob' } });
    expect(byBob.json().data.entries.map((entry: { target_id: string }) => entry.target_id)).toContain(viewer.uid);
  });
});

async function signInAs(username: string) {
  const client = new TestClient(t.app);
  const res = await client.post('/api/admin/login', { username, password: PASSWORD });
  expect(res.statusCode).toBe(200);
  return client;
}

describe('operator sign-in', () => {
  it('needs the role and the password', async () => {
    const viewer = await registerViewer(t.app);
    const client = new TestClient(t.app);
    const refused = await client.post('/api/admin/login', { username: viewer.username, password: PASSWORD });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error).toBe('not_an_operator');
    await runOperatorCommand(t.db, ['grant', viewer.username], { osUser: 'tester' });
    const wrong = await client.post('/api/admin/login', { username: viewer.username, password: 'wrong password' });
    expect(wrong.statusCode).toBe(401);
    const ok = await client.post('/api/admin/login', { username: viewer.username, password: PASSWORD });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().data).toMatchObject({ uid: viewer.uid, session_expires_at: now + 30 * 60_000 });
    expect((await client.get('/api/admin/me')).statusCode).toBe(200);
  });

  it('lasts OPERATOR_SESSION_TTL_MINUTES and is not renewed by use', async () => {
    const operator = await signInOperator(t.app, t.db);
    const start = now;
    try {
      now = start + 29 * 60_000;
      expect((await operator.client.get('/api/admin/me')).statusCode).toBe(200);
      now = start + 30 * 60_000 + 1;
      expect((await operator.client.get('/api/admin/me')).statusCode).toBe(401);
    } finally {
      now = start;
    }
  });

  it('ends when the role is revoked', async () => {
    const operator = await signInOperator(t.app, t.db);
    await runOperatorCommand(t.db, ['revoke', operator.username], { osUser: 'tester' });
    expect((await operator.client.get('/api/admin/me')).statusCode).toBe(401);
  });

  it('asks for the password again before sensitive actions once OPERATOR_REAUTH_MINUTES have passed', async () => {
    const operator = await signInOperator(t.app, t.db);
    const viewer = await registerViewer(t.app);
    const start = now;
    try {
      now = start + 6 * 60_000;
      const refused = await operator.client.post(`/api/admin/users/${viewer.uid}/adjust`, { amount: 5, reason: 'goodwill' });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error).toBe('reauth_required');
      // Not sensitive: reading goes on.
      expect((await operator.client.get(`/api/admin/users/${viewer.uid}`)).statusCode).toBe(200);
      const wrong = await operator.client.post('/api/admin/reauth', { password: 'not it at all' });
      expect(wrong.statusCode).toBe(403);
      expect(wrong.json().error).toBe('wrong_password');
      const reauth = await operator.client.post('/api/admin/reauth', { password: PASSWORD });
      expect(reauth.statusCode).toBe(200);
      expect(reauth.json().data.reauth_until).toBe(now + 5 * 60_000);
      expect((await operator.client.post(`/api/admin/users/${viewer.uid}/adjust`, { amount: 5, reason: 'goodwill' })).statusCode).toBe(200);
    } finally {
      now = start;
    }
  });
});

describe('every /api/admin route', () => {
  it('is refused to guests (401), viewers, anchors and an operator outside the console (403)', async () => {
    const routes = adminRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(14);
    const viewer = await registerViewer(t.app);
    const anchor = await registerAnchor(t.app);
    const anchorConsole = new TestClient(t.app);
    await anchorConsole.post('/api/anchor/login', { username: anchor.username, password: PASSWORD, session: true });
    // The operator account signed in the ordinary way: a viewer session opens nothing here.
    const operator = await signInOperator(t.app, t.db);
    const ordinary = new TestClient(t.app);
    await ordinary.post('/api/users/login', { username: operator.username, password: PASSWORD });

    const callers: Array<[string, TestClient, number[]]> = [
      ['guest', new TestClient(t.app), [401]],
      ['viewer', viewer.client, [403]],
      ['anchor token', anchor.client, [401, 403]],
      ['anchor console session', anchorConsole, [403]],
      ["operator's ordinary session", ordinary, [403]],
    ];
    const unexpected: string[] = [];
    for (const route of routes) {
      for (const [who, client, allowed] of callers) {
        const res = await call(client, route);
        if (!allowed.includes(res.statusCode)) unexpected.push(`${who} ${route.method} ${route.url}: ${res.statusCode} ${res.body}`);
      }
    }
    expect(unexpected).toEqual([]);
    // And the console session itself gets past the check on each (a 4xx about the dummy target is fine).
    for (const route of routes) {
      const res = await call(operator.client, route, PASSWORD);
      expect([200, 400, 402, 404, 409], `${route.method} ${route.url}: ${res.body}`).toContain(res.statusCode);
    }
  });
});
