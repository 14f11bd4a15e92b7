import { createClient } from 'redis';
import type { Logger } from 'pino';

export type RedisClient = ReturnType<typeof createClient>;

export interface RedisClientOptions {
  /** Fail commands at once while disconnected instead of queueing them until Redis is back. */
  failFastWhenDisconnected?: boolean;
}

/** Connects a node-redis client that reconnects forever with capped backoff and logs its errors. */
export async function connectRedis(
  url: string,
  log: Logger,
  name: string,
  options: RedisClientOptions = {},
): Promise<RedisClient> {
  const client = createClient({
    url,
    name: `pecktra-${name}`,
    disableOfflineQueue: options.failFastWhenDisconnected ?? false,
    socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2_000) },
  });
  client.on('error', (err: unknown) => log.warn({ err, client: name }, 'redis connection error'));
  await client.connect();
  return client;
}
