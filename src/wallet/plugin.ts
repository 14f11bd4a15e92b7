/** The wallet feature: VIP unlocks, subscriptions, balances and history, anchors' earnings. */
import type { Kysely } from 'kysely';
import fp from 'fastify-plugin';
import type { Database } from '../db/schema.js';
import type { EventBus } from '../realtime/index.js';
import { AnchorEarnings } from './earnings.js';
import { earningsRoutes } from './earnings-routes.js';
import { walletRoutes } from './routes.js';
import { WalletService } from './service.js';

export interface WalletFeatureOptions {
  db: Kysely<Database>;
  eventBus: EventBus;
  platformFeePercent: number;
  defaultSubscriptionPrice: number;
  clock?: () => number;
}

export const walletFeature = fp<WalletFeatureOptions>(
  async (app, { db, ...options }) => {
    await app.register(walletRoutes, { wallet: new WalletService(db, options) });
    await app.register(earningsRoutes, { earnings: new AnchorEarnings(db) });
  },
  { name: 'wallet', dependencies: ['auth', 'api-docs'] },
);
