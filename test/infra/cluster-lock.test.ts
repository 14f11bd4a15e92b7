import { afterAll, describe, expect, it } from 'vitest';
import { LocalClusterLock, PostgresClusterLock, RedisClusterLock, type ClusterLock } from '../../src/infra/cluster-lock.js';
import type { RedisClient } from '../../src/infra/redis.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/app.js';
import { connectTestRedis, deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

/** Two instances start the same job at the same moment: exactly one runs it; afterwards it is free again. */
async function runsOnce(first: ClusterLock, second: ClusterLock): Promise<void> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let runs = 0;
  const job = async () => {
    runs += 1;
    await held;
    return 'done';
  };
  const running = first.withClusterLock('reconcile', job);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await second.withClusterLock('reconcile', job)).toEqual({ acquired: false });
  expect(await first.withClusterLock('other-job', async () => 7)).toEqual({ acquired: true, value: 7 });
  release();
  expect(await running).toEqual({ acquired: true, value: 'done' });
  expect(runs).toBe(1);
  expect(await second.withClusterLock('reconcile', async () => 'again')).toEqual({ acquired: true, value: 'again' });
}

describe('cluster lock', () => {
  it('in-process', async () => {
    const lock = new LocalClusterLock();
    await runsOnce(lock, lock);
  });

  describe.skipIf(!TEST_DATABASE_URL)('PostgreSQL advisory lock', () => {
    let database: TestDatabase;
    afterAll(async () => database?.close());
    it('lets one of two instances run the job', async () => {
      database = await createTestDatabase();
      await runsOnce(new PostgresClusterLock(database.db), new PostgresClusterLock(database.db));
    });
  });

  describe.skipIf(!TEST_REDIS_URL)('Redis lock', () => {
    const clients: RedisClient[] = [];
    const prefix = uniquePrefix();
    afterAll(async () => {
      for (const client of clients) await client.close();
      await deletePrefix(TEST_REDIS_URL, prefix);
    });
    it('lets one of two instances run the job, and a lost lease aborts the run', async () => {
      clients.push(await connectTestRedis(), await connectTestRedis());
      await runsOnce(new RedisClusterLock(clients[0]!, prefix), new RedisClusterLock(clients[1]!, prefix));

      const lock = new RedisClusterLock(clients[0]!, prefix, 300);
      const result = await lock.withClusterLock('stolen', async (signal) => {
        await clients[1]!.del(`${prefix}lock:stolen`);
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
        return signal.aborted;
      });
      expect(result).toEqual({ acquired: true, value: true });
    });
  });
});
