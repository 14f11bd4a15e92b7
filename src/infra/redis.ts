import { createClient } from 'redis';
import type { Logger } from 'pino';

export type RedisClient = ReturnType<typeof createClient>;

/** Connects a node-redis client that reconnects forever with capped backoff and logs its errors. */
export async function connectRedis(url: string, log: Logger, name: string): Promise<RedisClient> {
  const client = createClient({
    url,
    name: `pecktra-${name}`,
    socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2_000) },
  });
  client.on('error', (err: unknown) => log.warn({ err, client: name }, 'redis connection error'));
  await client.connect();
  return client;
}
