/** Operations: readiness covers the database and Redis; every request has an id, in its logs and its answer. */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../src/infra/redis.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { connectTestRedis, TEST_REDIS_URL } from '../helpers/redis.js';

const opened: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of opened.splice(0)) await close();
});

async function app(deps: Parameters<typeof createTestApp>[0] = {}): Promise<TestApp> {
  const t = await createTestApp(deps);
  opened.push(() => t.close());
  return t;
}

describe('/readyz', () => {
  it('reports a Redis that does not answer as not ready', async () => {
    const down = { ping: () => Promise.reject(new Error('connection refused')) } as unknown as RedisClient;
    const t = await app({ deps: { redis: down } });
    const res = await t.app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ code: 1, status: 'redis_unreachable', checks: { database: 'ok', redis: 'connection refused' } });
  });

  it.runIf(TEST_REDIS_URL)('is ready with a reachable Redis', async () => {
    const redis = await connectTestRedis();
    opened.push(async () => void (await redis.close()));
    const t = await app({ deps: { redis } });
    expect((await t.app.inject({ url: '/readyz' })).json()).toEqual({ code: 0, status: 'ready', checks: { database: 'ok', redis: 'ok' } });
  });
});

describe('request ids', () => {
  it('answers with the id its log lines carry; a proxy-given id is kept when it looks like one', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const t = await app({ deps: { logger: pino({ level: 'info' }, sink) } });
    const refused = await t.app.inject({ url: '/api/wallet/balance' });
    expect(refused.statusCode).toBe(401);
    const id = refused.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.find((line) => line.msg === 'request refused')).toMatchObject({ reqId: id });

    expect((await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'lb-7f3a.42' } })).headers['x-request-id']).toBe('lb-7f3a.42');
    expect((await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id\u0007' } })).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
