/**
 * The reconciliation job: every interval one instance of the cluster (guarded by a lock) runs
 * PaymentsService.reconcile(), so a lost IPN still credits and unpaid orders expire.
 */
import type { ClusterLock } from '../infra/cluster-lock.js';
import type { PaymentsLogger, PaymentsService, ReconcileSummary } from './service.js';

/** The cluster-wide lock name: one reconciliation pass at a time across all instances. */
export const RECONCILIATION_LOCK = 'payments:reconcile';

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
    private readonly lock: ClusterLock,
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
    const pass = this.lock.withClusterLock(RECONCILIATION_LOCK, () => this.payments.reconcile());
    this.running = pass;
    const run = await pass;
    return run.acquired ? run.value : null;
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
