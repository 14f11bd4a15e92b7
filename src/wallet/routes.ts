import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { okData, responses } from '../http/schemas.js';
import { RoomLeaderboard as RoomLeaderboardSchema } from '../realtime/index.js';
import {
  ActiveSubscriptions,
  GiftCatalogue,
  GiftSent,
  LeaderboardQuery,
  SendGiftBody,
  EarningsSummary,
  IdempotencyHeaders,
  PayVipBody,
  ProfileBody,
  SubscribeBody,
  SubscriptionPriceSetting,
  SubscriptionResult,
  TransactionsPage,
  TransactionsQuery,
  VipPaymentResult,
  WalletBalance,
} from './schemas.js';
import type { GiftService } from './gifts.js';
import type { RoomLeaderboards } from './leaderboard.js';
import type { WalletService } from './service.js';

export interface WalletRoutesOptions {
  wallet: WalletService;
  gifts: GiftService;
  leaderboards: RoomLeaderboards;
}

export const walletRoutes: FastifyPluginAsyncTypebox<WalletRoutesOptions> = async (app, { wallet, gifts, leaderboards }) => {
  app.post(
    '/api/live/pay_vip_coin',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['wallet'],
        summary:
          'Unlock a VIP room for good (contract 8). amount must equal the room price (409 price_changed with the ' +
          'current amount); repeat payments charge 0; an Idempotency-Key header replays the first answer',
        headers: IdempotencyHeaders,
        body: PayVipBody,
        response: responses(okData(VipPaymentResult), 401, 402, 403, 404, 409),
      },
    },
    async (request) => {
      const { uid, user_id, anchor_id, room_id, amount } = request.body;
      const data = await wallet.payVipRoom(
        request.user,
        { uid, userId: user_id, anchorId: anchor_id, roomId: room_id, amount },
        request.headers['idempotency-key'],
      );
      return { code: 0 as const, data };
    },
  );

  app.post(
    '/api/live/subscribe',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['wallet'],
        summary: "Subscribe to an anchor for 30 days (renewal extends from the current expiry): entry to all the anchor's paid rooms",
        headers: IdempotencyHeaders,
        body: SubscribeBody,
        response: responses(okData(SubscriptionResult), 401, 402, 403, 404, 409),
      },
    },
    async (request) => {
      const { anchor_id, amount, room_id } = request.body;
      const data = await wallet.subscribe(request.user, { anchorId: anchor_id, expectedPrice: amount, roomId: room_id }, request.headers['idempotency-key']);
      return { code: 0 as const, data };
    },
  );

  app.get(
    '/api/live/gifts',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['gifts'],
        summary: 'The gift catalogue, in the order the gift panel shows it',
        response: responses(okData(GiftCatalogue)),
      },
    },
    async () => ({ code: 0 as const, data: gifts.catalogue() }),
  );

  app.post(
    '/api/live/send_gift',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['gifts'],
        summary:
          "Send count gifts to the room's anchor. amount must equal price × count (409 price_changed with the current " +
          'amount); 402 with too few diamonds; an Idempotency-Key header replays the first answer',
        headers: IdempotencyHeaders,
        body: SendGiftBody,
        response: responses(okData(GiftSent), 400, 401, 402, 403, 404, 409),
      },
    },
    async (request) => {
      const { room_id, gift_id, count, amount } = request.body;
      const data = await gifts.send(request.user, { roomId: room_id, giftId: gift_id, count, amount }, request.headers['idempotency-key']);
      return { code: 0 as const, data };
    },
  );

  app.get(
    '/api/live/leaderboard',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['gifts'],
        summary: "A room's top 10 supporters today, in the last 30 days and ever (gifts, VIP unlocks, subscriptions from the room)",
        querystring: LeaderboardQuery,
        response: responses(okData(RoomLeaderboardSchema)),
      },
    },
    async (request) => ({ code: 0 as const, data: await leaderboards.get(request.query.room_id) }),
  );

  app.get(
    '/api/wallet/balance',
    {
      config: { auth: 'user' },
      schema: { tags: ['wallet'], summary: 'Diamond balance of the logged-in user', response: responses(okData(WalletBalance), 401) },
    },
    async (request) => {
      return { code: 0 as const, data: { coin_num: await wallet.balance(request.user.id) } };
    },
  );

  app.get(
    '/api/wallet/transactions',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['wallet'],
        summary: 'Wallet history, newest first; pass next_cursor as cursor for the next page',
        querystring: TransactionsQuery,
        response: responses(okData(TransactionsPage), 401),
      },
    },
    async (request) => {
      const data = await wallet.transactions(request.user.id, request.query.cursor || undefined, request.query.limit);
      return { code: 0 as const, data };
    },
  );

  app.get(
    '/api/wallet/subscriptions',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['wallet'],
        summary: "The logged-in user's running subscriptions and when each ends, soonest first",
        response: responses(okData(ActiveSubscriptions), 401),
      },
    },
    async (request) => {
      return { code: 0 as const, data: await wallet.activeSubscriptions(request.user.id) };
    },
  );

  app.patch(
    '/api/anchor/profile',
    {
      config: { auth: 'anchor' },
      schema: {
        tags: ['anchor'],
        summary: 'Set the subscription price in diamonds per 30 days (0 turns subscriptions off)',
        body: ProfileBody,
        response: responses(okData(SubscriptionPriceSetting), 401, 403),
      },
    },
    async (request) => {
      return { code: 0 as const, data: await wallet.setSubscriptionPrice(request.user, request.body.subscription_price) };
    },
  );

  app.get(
    '/api/anchor/earnings',
    {
      config: { auth: 'anchor' },
      schema: {
        tags: ['anchor'],
        summary: 'Earnings balance, totals by source, active subscribers and the latest 20 earnings',
        response: responses(okData(EarningsSummary), 401, 403),
      },
    },
    async (request) => {
      return { code: 0 as const, data: await wallet.earnings(request.user) };
    },
  );
};
