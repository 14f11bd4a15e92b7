/** The wallet feature: VIP unlocks, subscriptions, balances and history, anchors' earnings. */
import type { Kysely } from 'kysely';
import fp from 'fastify-plugin';
import type { Database } from '../db/schema.js';
import type { ClusterLock } from '../infra/cluster-lock.js';
import { PeriodicJob } from '../infra/periodic-job.js';
import type { EventBus } from '../realtime/index.js';
import type { GiftDefinition } from '../config.js';
import { AnchorEarnings } from './earnings.js';
import { earningsRoutes } from './earnings-routes.js';
import { paymentTransactions } from './charge.js';
import { GiftService } from './gifts.js';
import { RoomLeaderboards, type RoomAudience } from './leaderboard.js';
import { walletRoutes } from './routes.js';
import { WalletService } from './service.js';

export interface WalletFeatureOptions {
  db: Kysely<Database>;
  eventBus: EventBus;
  platformFeePercent: number;
  defaultSubscriptionPrice: number;
  /** How long a payment's idempotency key is remembered. */
  idempotencyRetentionHours: number;
  gifts: readonly GiftDefinition[];
  leaderboardUtcOffsetMinutes: number;
  /** Who has which room open: boards of rooms nobody watches are not pushed. */
  audience?: RoomAudience;
  clock?: () => number;
  /** With it, one instance of the cluster prunes old idempotency records every hour. */
  clusterLock?: ClusterLock;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The operator console reads a user's transactions through it. */
    wallet: WalletService;
  }
}

const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

export const walletFeature = fp<WalletFeatureOptions>(
  async (
    app,
    { db, eventBus, platformFeePercent, defaultSubscriptionPrice, gifts: catalogue, leaderboardUtcOffsetMinutes, audience, idempotencyRetentionHours, clusterLock, clock = Date.now },
  ) => {
    const leaderboards = new RoomLeaderboards(db, eventBus, { utcOffsetMinutes: leaderboardUtcOffsetMinutes, clock, audience });
    app.addHook('onClose', async () => leaderboards.close());
    const payments = paymentTransactions(db);
    const wallet = new WalletService(db, { eventBus, platformFeePercent, defaultSubscriptionPrice, leaderboards, payments, clock });
    app.decorate('wallet', wallet);
    const gifts = new GiftService({ gifts: catalogue, platformFeePercent, eventBus, leaderboards, payments, clock });
    await app.register(walletRoutes, { wallet, gifts, leaderboards });
    await app.register(earningsRoutes, { earnings: new AnchorEarnings(db) });
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
