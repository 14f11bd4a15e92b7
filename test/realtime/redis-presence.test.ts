import { afterEach, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../src/infra/redis.js';
import { RedisPresence } from '../../src/realtime/redis-presence.js';
import { connectTestRedis, deletePrefix, silentLog, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function instance(prefix: string, ttlMs = 600): Promise<{ presence: RedisPresence; redis: RedisClient }> {
  const redis = await connectTestRedis();
  const presence = new RedisPresence(redis, { prefix, ttlMs, log: silentLog });
  await presence.start();
  cleanups.push(async () => {
    await presence.close();
    if (redis.isOpen) await redis.close();
  });
  return { presence, redis };
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!TEST_REDIS_URL)('RedisPresence', () => {
  it('counts distinct viewers across instances; a crashed instance drops out after its TTL', async () => {
    const prefix = uniquePrefix();
    cleanups.push(() => deletePrefix(TEST_REDIS_URL, prefix));
    const a = await instance(prefix);
    const b = await instance(prefix);

    a.presence.join('room', 'user:1', 'c1');
    a.presence.join('room', 'user:1', 'c2');
    expect(a.presence.count('room')).toBe(1);
    b.presence.join('room', 'user:1', 'c1');
    b.presence.join('room', 'user:2', 'c2');
    b.presence.join('other', 'user:3', 'c3');
    expect(b.presence.count('room')).toBe(2);
    await until(() => a.presence.count('room') === 2 && a.presence.count('other') === 1, 'A to see B');

    a.presence.leave('room', 'user:1', 'c1');
    a.presence.leave('room', 'user:1', 'c2');
    expect(a.presence.count('room')).toBe(2);

    // B dies without saying goodbye: its heartbeats stop.
    b.redis.destroy();
    await until(() => a.presence.count('room') === 0 && a.presence.count('other') === 0, 'B to expire');
  });

  it('a closing instance leaves at once', async () => {
    const prefix = uniquePrefix();
    cleanups.push(() => deletePrefix(TEST_REDIS_URL, prefix));
    const a = await instance(prefix, 60_000);
    const b = await instance(prefix, 60_000);
    b.presence.join('room', 'guest:x', 'c1');
    await until(() => a.presence.count('room') === 1, 'A to see B');
    await b.presence.close();
    await until(() => a.presence.count('room') === 0, 'B to leave');
  });
});
