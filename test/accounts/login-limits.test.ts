/**
 * Brute-force limits on login and sign-up: counted before the password work, per network origin and
 * per (origin, username); a username attacked from everywhere is slowed down, not locked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { RedisRateLimiter } from '../../src/infra/rate-limiter.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { PASSWORD, TestClient, registerViewer, uniqueName } from '../helpers/client.js';
import { connectTestRedis, deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const opened: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of opened.splice(0)) await close();
});

/** An app whose limits are shared through Redis when TEST_REDIS_URL is set, as in a cluster. */
async function appWith(config: Partial<Config>): Promise<TestApp> {
  if (!TEST_REDIS_URL) {
    const t = await createTestApp({ config });
    opened.push(() => t.close());
    return t;
  }
  const redis = await connectTestRedis();
  const prefix = uniquePrefix();
  const t = await createTestApp({ config, deps: { rateLimiter: new RedisRateLimiter(redis, prefix) } });
  opened.push(async () => {
    await t.close();
    await deletePrefix(TEST_REDIS_URL, prefix);
    await redis.close();
  });
  return t;
}

const login = (t: TestApp, username: string, password: string, from: string) =>
  new TestClient(t.app).post('/api/users/login', { username, password }, { remoteAddress: from });

const register = (t: TestApp, from: string) =>
  new TestClient(t.app).post('/api/users/register', { username: uniqueName('signup'), password: PASSWORD }, { remoteAddress: from });

const statuses = (responses: Array<{ statusCode: number }>) => {
  const counts: Record<number, number> = {};
  for (const { statusCode } of responses) counts[statusCode] = (counts[statusCode] ?? 0) + 1;
  return counts;
};

describe('login limits', () => {
  it('100 parallel wrong passwords from one origin run at most the limit of password checks', async () => {
    const t = await appWith({ loginMaxFailures: 10 });
    const { username } = await registerViewer(t.app);
    const answers = await Promise.all(Array.from({ length: 100 }, () => login(t, username, 'wrong password!', '10.9.0.1')));
    // A 401 is a checked password; every other attempt was refused before the check.
    expect(statuses(answers)).toEqual({ 401: 10, 429: 90 });
    const refused = answers.find((answer) => answer.statusCode === 429)!;
    expect(refused.json()).toMatchObject({ code: 1, error: 'too_many_attempts' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('an origin that failed too often is refused even with the right password; the owner elsewhere gets in', async () => {
    const t = await appWith({ loginMaxFailures: 3 });
    const { username } = await registerViewer(t.app);
    for (let i = 0; i < 3; i++) expect((await login(t, username, 'wrong password!', '10.1.0.1')).statusCode).toBe(401);
    expect((await login(t, username, PASSWORD, '10.1.0.1')).statusCode).toBe(429);
    expect((await login(t, username, PASSWORD, '10.1.0.2')).statusCode).toBe(200);
  });

  it('a username attacked from many origins is slowed down, and its owner still logs in', async () => {
    const t = await appWith({ loginMaxFailures: 3, loginSlowdownMaxMs: 400 });
    const { username } = await registerViewer(t.app);
    for (let i = 0; i < 6; i++) expect((await login(t, username, 'wrong password!', `10.3.0.${i}`)).statusCode).toBe(401);
    const started = Date.now();
    const owner = await login(t, username, PASSWORD, '10.3.1.1');
    expect(owner.statusCode).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    // The success ends the slowdown.
    const again = Date.now();
    expect((await login(t, username, PASSWORD, '10.3.1.2')).statusCode).toBe(200);
    expect(Date.now() - again).toBeLessThan(400);
  });

  it('limits one origin across usernames, and counts an IPv6 /64 as one origin', async () => {
    const t = await appWith({ loginMaxAttemptsPerOrigin: 3 });
    for (let i = 0; i < 3; i++) await login(t, uniqueName('guess'), 'wrong password!', `2001:db8:1:1::${i + 1}`);
    const { username } = await registerViewer(t.app);
    expect((await login(t, username, PASSWORD, '2001:db8:1:1:ffff::9')).statusCode).toBe(429);
    expect((await login(t, username, PASSWORD, '2001:db8:1:2::1')).statusCode).toBe(200);
  });
});

describe('sign-up limits', () => {
  it('limits sign-ups per origin, also in parallel, viewer and anchor alike', async () => {
    const t = await appWith({ registerMaxPerOrigin: 3 });
    const answers = await Promise.all(Array.from({ length: 20 }, () => register(t, '10.4.0.1')));
    expect(statuses(answers)).toEqual({ 200: 3, 429: 17 });
    expect(answers.find((answer) => answer.statusCode === 429)!.json()).toMatchObject({ code: 1, error: 'too_many_registrations' });
    const anchor = await new TestClient(t.app).post('/api/anchor/register', { username: uniqueName('anchor'), password: PASSWORD }, { remoteAddress: '10.4.0.1' });
    expect(anchor.statusCode).toBe(429);
    expect((await register(t, '10.4.0.2')).statusCode).toBe(200);
  });

  it('a burst of password work beyond the hashing line is told to retry, never a 500', async () => {
    const t = await appWith({ passwordHashConcurrency: 1, passwordHashMaxWaiting: 2 });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => register(t, `10.5.0.${i}`)));
    const counts = statuses(answers);
    expect(Object.keys(counts).sort()).toEqual(['200', '503']);
    expect(counts[200]).toBeGreaterThanOrEqual(3);
    const busy = answers.find((answer) => answer.statusCode === 503)!;
    expect(busy.json()).toMatchObject({ code: 1, error: 'server_busy' });
    expect(busy.headers['retry-after']).toBe('1');
  });
});
