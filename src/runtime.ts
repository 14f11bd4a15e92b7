/**
 * Wires real infrastructure into the app: database (SQLite or PostgreSQL), migrations, demo data,
 * and Redis-backed or in-process shared state. Returns one `close()` that releases it all.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { seedDemoData } from './demo/index.js';
import { LocalClusterLock, PostgresClusterLock, RedisClusterLock, type ClusterLock } from './infra/cluster-lock.js';
import { MemoryRateLimiter, RedisRateLimiter, type RateLimiter } from './infra/rate-limiter.js';
import { closeRedisClient, connectRedis, type RedisClient } from './infra/redis.js';
import { MemoryEventBus, MemoryPresence, RedisEventBus, RedisPresence, type EventBus, type Presence } from './realtime/index.js';

export interface Runtime {
  app: FastifyInstance;
  close(): Promise<void>;
}

export async function createRuntime(config: Config, logger: Logger): Promise<Runtime> {
  const database = await openDatabase(config);
  const cleanups: Array<() => Promise<unknown>> = [() => database.close()];
  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length) logger.info({ migrations: applied }, 'database migrated');

    if (config.demoData) {
      const demo = await seedDemoData(database.db);
      if (demo.created) logger.info('demo data created');
      logger.info(`demo anchor login: ${demo.anchor.username} / ${demo.anchor.password}`);
      logger.info(`demo viewer login: ${demo.viewer.username} / ${demo.viewer.password}`);
    }

    let redis: RedisClient | undefined;
    if (config.redisUrl) {
      redis = await connectRedis(config.redisUrl, logger, 'main');
      const client = redis;
      cleanups.unshift(async () => closeRedisClient(client));
    }
    const prefix = config.redisPrefix;
    const rateLimiter: RateLimiter = redis ? new RedisRateLimiter(redis, `${prefix}rl:`) : new MemoryRateLimiter();
    const eventBus: EventBus = config.redisUrl
      ? await RedisEventBus.connect({ url: config.redisUrl, prefix, heartbeatMs: config.realtime.busHeartbeatMs, log: logger })
      : new MemoryEventBus();
    cleanups.unshift(() => eventBus.close());

    let presence: Presence;
    if (redis) {
      const redisPresence = new RedisPresence(redis, { prefix, ttlMs: config.realtime.presenceTtlMs, log: logger });
      await redisPresence.start();
      presence = redisPresence;
    } else {
      presence = new MemoryPresence();
    }
    cleanups.unshift(() => presence.close());

    const clusterLock: ClusterLock = redis
      ? new RedisClusterLock(redis, prefix)
      : database.dialect === 'postgres'
        ? new PostgresClusterLock(database.db)
        : new LocalClusterLock();

    // With the cluster lock the app also runs the payment reconciliation job, once per cluster.
    const app = await buildApp({ config, db: database.db, rateLimiter, eventBus, presence, clusterLock, redis, logger });
    return {
      app,
      close: async () => {
        await app.close();
        for (const cleanup of cleanups) await cleanup();
      },
    };
  } catch (err) {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    throw err;
  }
}
