import { afterAll, describe, expect, it } from 'vitest';
import { consume, MemoryRateLimiter, RedisRateLimiter, type RateLimiter } from '../../src/infra/rate-limiter.js';
import type { RedisClient } from '../../src/infra/redis.js';
import { connectTestRedis, deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const prefix = uniquePrefix();
let redis: RedisClient | undefined;
afterAll(async () => {
  if (!redis) return;
  await deletePrefix(TEST_REDIS_URL, prefix);
  await redis.close();
});

const limiters: Array<[string, () => Promise<RateLimiter>]> = [['memory', async () => new MemoryRateLimiter()]];
if (TEST_REDIS_URL) {
  limiters.push([
    'redis',
    async () => {
      redis ??= await connectTestRedis();
      return new RedisRateLimiter(redis, prefix);
    },
  ]);
}

describe.each(limiters)('%s rate limiter', (_name, make) => {
  it('of 100 parallel attempts exactly the limit are allowed', async () => {
    const limiter = await make();
    const results = await Promise.all(Array.from({ length: 100 }, () => consume(limiter, 'parallel', 7, 60)));
    expect(results.filter((result) => result.allowed)).toHaveLength(7);
    expect(Math.min(...results.map((result) => result.retryAfterSeconds))).toBeGreaterThan(0);
  });

  it('reset starts the count again', async () => {
    const limiter = await make();
    for (let i = 0; i < 3; i++) await consume(limiter, 'reset', 2, 60);
    expect((await consume(limiter, 'reset', 2, 60)).allowed).toBe(false);
    await limiter.reset('reset');
    expect((await consume(limiter, 'reset', 2, 60)).allowed).toBe(true);
  });
});
