import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { okData, responses } from '../http/schemas.js';
import {
  ActiveSubscriptions,
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
import type { WalletService } from './service.js';

export interface WalletRoutesOptions {
  wallet: WalletService;
}

export const walletRoutes: FastifyPluginAsyncTypebox<WalletRoutesOptions> = async (app, { wallet }) => {
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
      const data = await wallet.subscribe(request.user, request.body.anchor_id, request.body.amount, request.headers['idempotency-key']);
      return { code: 0 as const, data };
    },
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
