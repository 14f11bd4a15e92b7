/**
 * Run-once-per-cluster for background jobs (payment reconciliation, sweeps): every instance may try,
 * one runs. Redis lock when REDIS_URL is set, PostgreSQL advisory lock otherwise, an in-process lock
 * for single-instance SQLite.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { RedisClient } from './redis.js';

export type LockedRun<T> = { acquired: true; value: T } | { acquired: false };

export interface ClusterLock {
  /**
   * Runs `fn` if no other instance holds `name`, and releases the lock afterwards; otherwise
   * returns `{acquired:false}` at once without waiting. `signal` aborts if the lock is lost mid-run
   * (Redis unreachable past the lease), so long jobs can stop between steps.
   */
  withClusterLock<T>(name: string, fn: (signal: AbortSignal) => Promise<T>): Promise<LockedRun<T>>;
}

/** One process: only guards against the same job overlapping itself. */
export class LocalClusterLock implements ClusterLock {
  private readonly held = new Set<string>();

  async withClusterLock<T>(name: string, fn: (signal: AbortSignal) => Promise<T>): Promise<LockedRun<T>> {
    if (this.held.has(name)) return { acquired: false };
    this.held.add(name);
    try {
      return { acquired: true, value: await fn(new AbortController().signal) };
    } finally {
      this.held.delete(name);
    }
  }
}

/**
 * Session advisory lock on a connection held for the whole run; PostgreSQL frees it by itself if
 * the instance dies, because the session ends with it. Keyed by schema too, so deployments (or test
 * runs) sharing one database in different schemas do not block each other.
 */
export class PostgresClusterLock implements ClusterLock {
  constructor(private readonly db: Kysely<Database>) {}

  async withClusterLock<T>(name: string, fn: (signal: AbortSignal) => Promise<T>): Promise<LockedRun<T>> {
    return this.db.connection().execute(async (connection) => {
      const key = sql`hashtextextended(current_schema() || ${`:pecktra:${name}`}, 0)`;
      const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${key}) as locked`.execute(connection);
      if (!rows[0]?.locked) return { acquired: false } as const;
      try {
        return { acquired: true, value: await fn(new AbortController().signal) } as const;
      } finally {
        await sql`select pg_advisory_unlock(${key})`.execute(connection);
      }
    });
  }
}

const RELEASE_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/** A leased key (SET NX PX) renewed while the job runs; a crashed holder's lease simply expires. */
export class RedisClusterLock implements ClusterLock {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly leaseMs = 30_000,
  ) {}

  async withClusterLock<T>(name: string, fn: (signal: AbortSignal) => Promise<T>): Promise<LockedRun<T>> {
    const key = `${this.prefix}lock:${name}`;
    const token = randomUUID();
    const ok = await this.redis.set(key, token, { condition: 'NX', expiration: { type: 'PX', value: this.leaseMs } });
    if (ok !== 'OK') return { acquired: false };
    const lost = new AbortController();
    let renewedAt = Date.now();
    const renew = setInterval(() => {
      // Unrenewed past the lease, another instance may already hold the lock.
      if (Date.now() - renewedAt > this.leaseMs) lost.abort(new Error(`cluster lock ${name} lease expired`));
      this.redis
        .eval(RENEW_IF_OWNER, { keys: [key], arguments: [token, String(this.leaseMs)] })
        .then((renewed) => {
          if (Number(renewed) === 1) renewedAt = Date.now();
          else lost.abort(new Error(`cluster lock ${name} lost`));
        })
        .catch(() => undefined);
    }, this.leaseMs / 3);
    renew.unref();
    try {
      return { acquired: true, value: await fn(lost.signal) };
    } finally {
      clearInterval(renew);
      await this.redis.eval(RELEASE_IF_OWNER, { keys: [key], arguments: [token] }).catch(() => undefined);
    }
  }
}
