/**
 * Fixed-window counters for rate limits. In-process by default; shared through Redis when
 * REDIS_URL is set so a cluster enforces one limit, not one per instance.
 */
import type { RedisClient } from './redis.js';

export interface WindowCount {
  count: number;
  /** Seconds until the current window resets. */
  resetInSeconds: number;
}

export interface RateLimiter {
  /** Adds one to the key's counter and returns the new count. */
  increment(key: string, windowSeconds: number): Promise<WindowCount>;
  reset(key: string): Promise<void>;
}

/**
 * Counts this attempt and says whether it is within `limit`. The increment is the check (one atomic
 * step in memory and in Redis), so parallel attempts cannot all pass a check made before any of them
 * counted: of N concurrent calls exactly `limit` are allowed.
 */
export async function consume(
  limiter: RateLimiter,
  key: string,
  limit: number,
  windowSeconds: number,
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const { count, resetInSeconds } = await limiter.increment(key, windowSeconds);
  return { allowed: count <= limit, retryAfterSeconds: Math.max(1, resetInSeconds) };
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private lastSweep = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  async increment(key: string, windowSeconds: number): Promise<WindowCount> {
    const now = this.clock();
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowSeconds * 1000 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, resetInSeconds: Math.ceil((window.resetAt - now) / 1000) };
  }


  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  /** Drops expired windows now and then so idle keys do not accumulate forever. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}

export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix = 'pecktra:rl:',
  ) {}

  async increment(key: string, windowSeconds: number): Promise<WindowCount> {
    const redisKey = this.prefix + key;
    // INCR and the first EXPIRE in one round trip; NX keeps later hits from extending the window.
    const [count, , ttl] = (await this.redis
      .multi()
      .incr(redisKey)
      .expire(redisKey, windowSeconds, 'NX')
      .ttl(redisKey)
      .exec()) as unknown as [number, number, number];
    return { count: Number(count), resetInSeconds: Math.max(0, Number(ttl)) };
  }


  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}
