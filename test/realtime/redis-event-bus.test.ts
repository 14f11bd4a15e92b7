import { afterEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/realtime/events.js';
import { RedisEventBus } from '../../src/realtime/redis-event-bus.js';
import { deletePrefix, hasRedisServerBinary, PrivateRedis, silentLog, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const buses: RedisEventBus[] = [];
afterEach(async () => {
  for (const bus of buses.splice(0)) await bus.close();
});

async function bus(url: string, prefix: string, heartbeatMs = 1_000): Promise<RedisEventBus> {
  const created = await RedisEventBus.connect({ url, prefix, heartbeatMs, log: silentLog });
  buses.push(created);
  return created;
}

function message(id: number): DomainEvent {
  return {
    type: 'chat_user_message',
    room_id: 'r1',
    data: { id, uid: 'u', username: 'ann', user_message: `m${id}`, send_date: new Date(0).toISOString(), badges: [] },
  };
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!TEST_REDIS_URL)('RedisEventBus', () => {
  it('delivers to other instances once and to local subscribers without a detour through Redis', async () => {
    const prefix = uniquePrefix();
    const [a, b, stranger] = await Promise.all([bus(TEST_REDIS_URL, prefix), bus(TEST_REDIS_URL, prefix), bus(TEST_REDIS_URL, uniquePrefix())]);
    const seenA: number[] = [];
    const seenB: number[] = [];
    const seenStranger: number[] = [];
    a.subscribe((event) => event.type === 'chat_user_message' && seenA.push(event.data.id));
    b.subscribe((event) => event.type === 'chat_user_message' && seenB.push(event.data.id));
    stranger.subscribe(() => seenStranger.push(0));
    const published = a.publish(message(1));
    expect(seenA).toEqual([1]);
    await published;
    await a.publish(message(2));
    await until(() => seenB.length === 2, 'B to receive both');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seenA).toEqual([1, 2]);
    expect(seenB).toEqual([1, 2]);
    // Another prefix is another deployment (or test run) on the same Redis.
    expect(seenStranger).toEqual([]);
    await deletePrefix(TEST_REDIS_URL, prefix);
  });
});

describe.skipIf(!hasRedisServerBinary)('RedisEventBus when Redis restarts', () => {
  it('keeps publishing locally while Redis is down, then reconnects and reports the gap', async () => {
    const redis = await PrivateRedis.start();
    try {
      const prefix = uniquePrefix();
      const a = await bus(redis.url, prefix, 100);
      const b = await bus(redis.url, prefix, 100);
      let gaps = 0;
      b.onGap(() => (gaps += 1));
      const seenA: number[] = [];
      const seenB: number[] = [];
      a.subscribe((event) => event.type === 'chat_user_message' && seenA.push(event.data.id));
      b.subscribe((event) => event.type === 'chat_user_message' && seenB.push(event.data.id));

      await redis.stop();
      await a.publish(message(1));
      expect(seenA).toEqual([1]);
      await redis.restart();
      await until(() => gaps > 0, 'gap report');
      // The publisher reconnects on its own schedule and drops what it cannot send meanwhile
      // (at-most-once; the gap report is what makes viewers catch up), so keep posting until one lands.
      let nextId = 2;
      const deadline = Date.now() + 10_000;
      while (seenB.length === 0) {
        if (Date.now() > deadline) throw new Error('timed out waiting for delivery after restart');
        await a.publish(message(nextId++));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(seenB).not.toContain(1);
      expect(seenB[0]).toBeGreaterThan(1);
    } finally {
      await redis.stop();
    }
  });

  it('closes promptly even when Redis dies with a publish in flight or a reconnection under way', async () => {
    const redis = await PrivateRedis.start();
    try {
      const inFlight = await RedisEventBus.connect({ url: redis.url, prefix: uniquePrefix(), heartbeatMs: 100, log: silentLog });
      const publishing = inFlight.publish(message(1));
      const stopped = redis.stop();
      const started = Date.now();
      await inFlight.close();
      expect(Date.now() - started).toBeLessThan(3_000);
      await publishing;
      await stopped;

      await redis.restart();
      const rebuilding = await RedisEventBus.connect({ url: redis.url, prefix: uniquePrefix(), heartbeatMs: 100, log: silentLog });
      await redis.stop();
      // Long enough for the heartbeat to start rebuilding its subscription against the dead server.
      await new Promise((resolve) => setTimeout(resolve, 800));
      const closing = Date.now();
      await rebuilding.close();
      expect(Date.now() - closing).toBeLessThan(3_000);
    } finally {
      await redis.stop();
    }
  });
});
