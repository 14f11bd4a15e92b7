/**
 * Redis for tests. TEST_REDIS_URL is shared with other suites, so every run uses its own key prefix.
 * Tests that must stop and restart Redis get a private `redis-server` child instead.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { createClient } from 'redis';
import { connectRedis, type RedisClient } from '../../src/infra/redis.js';
import { freePort } from './ports.js';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? '';
export const hasRedisServerBinary = spawnSync('redis-server', ['--version']).status === 0;
export const silentLog = pino({ level: 'silent' });

export function uniquePrefix(): string {
  return `test:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

export function connectTestRedis(url = TEST_REDIS_URL): Promise<RedisClient> {
  return connectRedis(url, silentLog, 'test');
}

/** Deletes every key under the prefix (SCAN, never FLUSHALL: the Redis is shared). */
export async function deletePrefix(url: string, prefix: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      if (keys.length) await client.del(keys);
    }
  } finally {
    await client.close();
  }
}

/** A private, non-persistent redis-server on a random port that tests may kill and restart. */
export class PrivateRedis {
  private child?: ChildProcess;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.restart();
    return redis;
  }

  async restart(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    const deadline = Date.now() + 5_000;
    for (;;) {
      const client = createClient({ url: this.url, socket: { reconnectStrategy: false } });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.close();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error('redis-server did not start');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    // A killed child has a signalCode and no exitCode; either means it is gone already.
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}
