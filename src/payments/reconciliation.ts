/**
 * The reconciliation job: every interval one instance of the cluster (guarded by a lock) runs
 * PaymentsService.reconcile(), so a lost IPN still credits and unpaid orders expire. The scheduling
 * is the shared PeriodicJob's.
 */
import type { ClusterLock } from '../infra/cluster-lock.js';
import { PeriodicJob } from '../infra/periodic-job.js';
import type { PaymentsLogger, PaymentsService, ReconcileSummary } from './service.js';

/** The cluster-wide lock name: one reconciliation pass at a time across all instances. */
export const RECONCILIATION_LOCK = 'payments:reconcile';

export interface ReconciliationJobOptions {
  intervalMs: number;
  logger: PaymentsLogger;
}

export function reconciliationJob(payments: PaymentsService, lock: ClusterLock, options: ReconciliationJobOptions): PeriodicJob<ReconcileSummary> {
  return new PeriodicJob({
    name: RECONCILIATION_LOCK,
    intervalMs: options.intervalMs,
    lock,
    logger: options.logger,
    run: () => payments.reconcile(),
    // Quiet passes (nothing checked changed) are not logged.
    report: (summary) => (summary.interrupted || summary.expired || summary.changed || summary.failures ? { ...summary } : undefined),
  });
}
