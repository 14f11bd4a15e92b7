/** The wallet feature: VIP unlocks, subscriptions, balances and history, anchors' earnings. */
import type { Kysely } from 'kysely';
import fp from 'fastify-plugin';
import type { Database } from '../db/schema.js';
import type { ClusterLock } from '../infra/cluster-lock.js';
import { PeriodicJob } from '../infra/periodic-job.js';
import type { EventBus } from '../realtime/index.js';
import { walletRoutes } from './routes.js';
import { WalletService } from './service.js';

export interface WalletFeatureOptions {
  db: Kysely<Database>;
  eventBus: EventBus;
  platformFeePercent: number;
  defaultSubscriptionPrice: number;
  /** How long a payment's idempotency key is remembered. */
  idempotencyRetentionHours: number;
  clock?: () => number;
  /** With it, one instance of the cluster prunes old idempotency records every hour. */
  clusterLock?: ClusterLock;
}

const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

export const walletFeature = fp<WalletFeatureOptions>(
  async (app, { db, clusterLock, idempotencyRetentionHours, ...options }) => {
    const wallet = new WalletService(db, options);
    await app.register(walletRoutes, { wallet });
    if (clusterLock) {
      const pruning = new PeriodicJob({
        name: 'idempotency-prune',
        intervalMs: PRUNE_INTERVAL_MS,
        lock: clusterLock,
        logger: app.log,
        run: () => wallet.pruneIdempotencyRecords(idempotencyRetentionHours * 60 * 60 * 1000),
        report: (deleted) => (deleted > 0 ? { deleted } : undefined),
      });
      app.addHook('onReady', async () => pruning.start());
      app.addHook('onClose', async () => pruning.stop());
    }
  },
  { name: 'wallet', dependencies: ['auth', 'api-docs'] },
);
