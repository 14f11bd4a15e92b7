/**
 * The reconciliation job: every interval one instance of the cluster (guarded by a lock) runs
 * PaymentsService.reconcile(), so a lost IPN still credits and unpaid orders expire.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { RedisClient } from '../infra/redis.js';
import type { PaymentsLogger, PaymentsService, ReconcileSummary } from './service.js';

/** Runs `work` only if no other holder (process or instance) is running it right now. */
export interface RunLock {
  /** Returns false without running `work` when someone else holds the lock. */
  runExclusive(work: () => Promise<void>): Promise<boolean>;
}

/** One process: only prevents a pass from overlapping the previous one. */
export class LocalRunLock implements RunLock {
  private held = false;

  async runExclusive(work: () => Promise<void>): Promise<boolean> {
    if (this.held) return false;
    this.held = true;
    try {
      await work();
      return true;
    } finally {
      this.held = false;
    }
  }
}

/**
 * A session-level PostgreSQL advisory lock on one pooled connection; if the instance dies the
 * connection closes and the lock is released. Keyed by schema so separate deployments don't collide.
 */
export class PostgresAdvisoryLock implements RunLock {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly name: string,
  ) {}

  async runExclusive(work: () => Promise<void>): Promise<boolean> {
    return this.db.connection().execute(async (connection) => {
      const key = sql`hashtext(current_schema() || ':' || ${this.name})`;
      const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${key}) as locked`.execute(connection);
      if (!rows[0]?.locked) return false;
      try {
        await work();
        return true;
      } finally {
        await sql`select pg_advisory_unlock(${key})`.execute(connection);
      }
    });
  }
}

const RELEASE_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** SET NX with an expiry, released only by its owner; the expiry frees it if the holder dies. */
export class RedisRunLock implements RunLock {
  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    private readonly ttlMs: number,
  ) {}

  async runExclusive(work: () => Promise<void>): Promise<boolean> {
    const token = randomBytes(16).toString('hex');
    const acquired = await this.redis.set(this.key, token, { NX: true, PX: this.ttlMs });
    if (acquired !== 'OK') return false;
    try {
      await work();
      return true;
    } finally {
      await this.redis.eval(RELEASE_IF_OWNER, { keys: [this.key], arguments: [token] });
    }
  }
}

export interface ReconciliationJobOptions {
  intervalMs: number;
  logger: PaymentsLogger;
}

export class ReconciliationJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;

  constructor(
    private readonly payments: PaymentsService,
    private readonly lock: RunLock,
    private readonly options: ReconciliationJobOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  /** Stops scheduling and waits for a pass in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass now; null when another instance holds the lock. */
  async runOnce(): Promise<ReconcileSummary | null> {
    let summary: ReconcileSummary | null = null;
    const pass = this.lock.runExclusive(async () => {
      summary = await this.payments.reconcile();
    });
    this.running = pass;
    await pass;
    return summary;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.runOnce()
        .then((summary) => {
          if (summary && (summary.interrupted || summary.expired || summary.changed || summary.failures)) {
            this.options.logger.info(summary, 'payment reconciliation pass');
          }
        })
        .catch((err: unknown) => this.options.logger.error({ err }, 'payment reconciliation pass failed'))
        .finally(() => {
          if (!this.stopped) this.schedule();
        });
    }, this.options.intervalMs);
    this.timer.unref();
  }
}
