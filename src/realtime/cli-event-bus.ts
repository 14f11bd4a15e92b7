/**
 * For operator commands run as processes of their own (`npm run coins`, `npm run payments`): with
 * REDIS_URL they publish on the servers' bus, so every instance hears of the change at once.
 * Without Redis there is no way into the servers' memory; their caches' maximum age bounds how long
 * the old value shows.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { EventBus } from './events.js';
import { RedisEventBus } from './redis-event-bus.js';

export async function connectCliEventBus(config: Pick<Config, 'redisUrl' | 'redisPrefix' | 'realtime'>, log: Logger): Promise<EventBus | undefined> {
  if (!config.redisUrl) return undefined;
  return RedisEventBus.connect({ url: config.redisUrl, prefix: config.redisPrefix, heartbeatMs: config.realtime.busHeartbeatMs, log });
}
