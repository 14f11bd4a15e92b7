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
  const client = createRedisClient(url, log, name, options);
  await client.connect();
  return client;
}

/** The same client as connectRedis, not yet connected, so a caller can abandon it while it connects. */
export function createRedisClient(url: string, log: Logger, name: string, options: RedisClientOptions = {}): RedisClient {
  const client = createClient({
    url,
    name: `pecktra-${name}`,
    disableOfflineQueue: options.failFastWhenDisconnected ?? false,
    socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2_000) },
  });
  client.on('error', (err: unknown) => log.warn({ err, client: name }, 'redis connection error'));
  return client;
}

/**
 * Closes a client at once, rejecting any command still waiting for a reply. node-redis's graceful
 * close() resolves only when every pending reply has arrived, so if Redis dies or stalls meanwhile it
 * never resolves (and quit() waits for a reconnection that may never come); a shutdown must not
 * depend on Redis being there. Callers close clients after their own work has finished.
 */
export function closeRedisClient(client: RedisClient): void {
  if (client.isOpen) client.destroy();
}

/** Waits for `work` to settle (either way) or for `ms` to pass, whichever comes first. */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([work.then(noop, noop), timeUp]);
  clearTimeout(timer);
}

function noop(): void {}

