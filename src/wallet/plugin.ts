/** The wallet feature: VIP unlocks, subscriptions, balances and history, anchors' earnings. */
import type { Kysely } from 'kysely';
import fp from 'fastify-plugin';
import type { Database } from '../db/schema.js';
import type { EventBus } from '../realtime/index.js';
import type { GiftDefinition } from '../config.js';
import { AnchorEarnings } from './earnings.js';
import { earningsRoutes } from './earnings-routes.js';
import { GiftService } from './gifts.js';
import { RoomLeaderboards } from './leaderboard.js';
import { walletRoutes } from './routes.js';
import { WalletService } from './service.js';

export interface WalletFeatureOptions {
  db: Kysely<Database>;
  eventBus: EventBus;
  platformFeePercent: number;
  defaultSubscriptionPrice: number;
  gifts: readonly GiftDefinition[];
  leaderboardUtcOffsetMinutes: number;
  clock?: () => number;
}

export const walletFeature = fp<WalletFeatureOptions>(
  async (app, { db, eventBus, platformFeePercent, defaultSubscriptionPrice, gifts: catalogue, leaderboardUtcOffsetMinutes, clock = Date.now }) => {
    const leaderboards = new RoomLeaderboards(db, eventBus, { utcOffsetMinutes: leaderboardUtcOffsetMinutes, clock });
    app.addHook('onClose', async () => leaderboards.close());
    const wallet = new WalletService(db, { eventBus, platformFeePercent, defaultSubscriptionPrice, leaderboards, clock });
    const gifts = new GiftService(db, { gifts: catalogue, platformFeePercent, eventBus, leaderboards, clock });
    await app.register(walletRoutes, { wallet, gifts, leaderboards });
    await app.register(earningsRoutes, { earnings: new AnchorEarnings(db) });
  },
  { name: 'wallet', dependencies: ['auth', 'api-docs'] },
);
