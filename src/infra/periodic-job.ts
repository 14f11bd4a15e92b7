/**
 * A background task run every `intervalMs` by one instance of the cluster (under its cluster lock),
 * never overlapping itself; stop() waits for a run in progress.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { ClusterLock } from './cluster-lock.js';

export interface PeriodicJobOptions<T> {
  name: string;
  intervalMs: number;
  lock: ClusterLock;
  logger: Pick<FastifyBaseLogger, 'info' | 'error'>;
  run: () => Promise<T>;
  /** Logs the result of a pass that did something; quiet passes are not logged. */
  report?: (result: T) => Record<string, unknown> | undefined;
}

export class PeriodicJob<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;

  constructor(private readonly options: PeriodicJobOptions<T>) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass now; undefined when another instance holds the lock. */
  async runOnce(): Promise<T | undefined> {
    const pass = this.options.lock.withClusterLock(this.options.name, () => this.options.run());
    this.running = pass;
    const run = await pass;
    return run.acquired ? run.value : undefined;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.runOnce()
        .then((result) => {
          const fields = result === undefined ? undefined : this.options.report?.(result);
          if (fields) this.options.logger.info(fields, `${this.options.name} pass`);
        })
        .catch((err: unknown) => this.options.logger.error({ err }, `${this.options.name} pass failed`))
        .finally(() => {
          if (!this.stopped) this.schedule();
        });
    }, this.options.intervalMs);
    this.timer.unref();
  }
}
