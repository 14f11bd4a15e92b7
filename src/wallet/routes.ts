import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RequestAuth } from '../accounts/index.js';
import { okData, responses } from '../http/schemas.js';
import { MAX_DIAMONDS } from './limits.js';
import type { WalletService } from './service.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Diamonds = Type.Integer({ minimum: 1, maximum: MAX_DIAMONDS });
const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});

const PayVipBody = Type.Object({
  uid: Type.Optional(Type.String({ maxLength: 64 })),
  anchor_id: Id,
  room_id: Id,
  room_name: Type.Optional(Type.String({ maxLength: 200 })),
  amount: Diamonds,
});
const PayVipResult = okData(Type.Object({ vip_status: Type.Boolean(), charged: Type.Integer(), coin_num: Type.Integer() }));

const SubscribeBody = Type.Object({
  anchor_id: Id,
  /** Optional: the price the viewer saw; a different current price is refused with price_changed. */
  amount: Type.Optional(Diamonds),
});
const SubscribeResult = okData(
  Type.Object({
    subscription_status: Type.Boolean(),
    charged: Type.Integer(),
    amount: Type.Integer(),
    expires_at: Type.String({ format: 'date-time' }),
    coin_num: Type.Integer(),
  }),
);

const ProfileBody = Type.Object({ subscription_price: Type.Integer({ minimum: 0, maximum: MAX_DIAMONDS }) });
const ProfileResult = okData(Type.Object({ subscription_price: Type.Integer() }));

const BalanceResult = okData(Type.Object({ coin_num: Type.Integer() }));

const Transaction = Type.Object({
  id: Type.String(),
  type: Type.String({ description: 'vip_room, subscription, recharge or adjustment' }),
  amount: Type.Integer({ description: 'Signed change of the balance' }),
  balance_after: Type.Integer(),
  created_at: Type.String({ format: 'date-time' }),
  room_id: Type.Optional(Type.String()),
  anchor_id: Type.Optional(Type.String()),
  order_id: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
});
const TransactionsResult = okData(
  Type.Object({ transactions: Type.Array(Transaction), next_cursor: Type.Union([Type.String(), Type.Null()]) }),
);

const EarningsResult = okData(
  Type.Object({
    coin_num: Type.Integer({ description: 'Current earnings balance' }),
    total_earned: Type.Integer(),
    vip_total: Type.Integer(),
    subscription_total: Type.Integer(),
    subscription_price: Type.Integer(),
    active_subscribers: Type.Integer(),
    recent: Type.Array(
      Type.Object({
        id: Type.String(),
        type: Type.String(),
        amount: Type.Integer(),
        created_at: Type.String({ format: 'date-time' }),
        room_id: Type.Optional(Type.String()),
        from_uid: Type.Optional(Type.String()),
      }),
    ),
  }),
);

export interface WalletRoutesOptions {
  wallet: WalletService;
  auth: RequestAuth;
}

export const walletRoutes: FastifyPluginAsyncTypebox<WalletRoutesOptions> = async (app, { wallet, auth }) => {
  app.post(
    '/api/live/pay_vip_coin',
    {
      schema: {
        tags: ['wallet'],
        summary:
          'Unlock a VIP room for good (contract 8). amount must equal the room price (409 price_changed with the ' +
          'current amount); repeat payments charge 0; an Idempotency-Key header replays the first answer',
        headers: IdempotencyHeaders,
        body: PayVipBody,
        response: responses(PayVipResult, 401, 402, 403, 404, 409),
      },
    },
    async (request, reply) => {
      const user = await auth.requireUser(request, reply);
      const { uid, anchor_id, room_id, amount } = request.body;
      const data = await wallet.payVipRoom(
        user,
        { uid, anchorId: anchor_id, roomId: room_id, amount },
        request.headers['idempotency-key'],
      );
      return { code: 0 as const, data };
    },
  );

  app.post(
    '/api/live/subscribe',
    {
      schema: {
        tags: ['wallet'],
        summary: "Subscribe to an anchor for 30 days (renewal extends from the current expiry): entry to all the anchor's paid rooms",
        headers: IdempotencyHeaders,
        body: SubscribeBody,
        response: responses(SubscribeResult, 401, 402, 403, 404, 409),
      },
    },
    async (request, reply) => {
      const user = await auth.requireUser(request, reply);
      const data = await wallet.subscribe(user, request.body.anchor_id, request.body.amount, request.headers['idempotency-key']);
      return { code: 0 as const, data };
    },
  );

  app.get(
    '/api/wallet/balance',
    { schema: { tags: ['wallet'], summary: 'Diamond balance of the logged-in user', response: responses(BalanceResult, 401) } },
    async (request, reply) => {
      const user = await auth.requireUser(request, reply);
      return { code: 0 as const, data: { coin_num: await wallet.balance(user.id) } };
    },
  );

  app.get(
    '/api/wallet/transactions',
    {
      schema: {
        tags: ['wallet'],
        summary: 'Wallet history, newest first; pass next_cursor as cursor for the next page',
        querystring: Type.Object({
          cursor: Type.Optional(Type.String({ maxLength: 64 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
        }),
        response: responses(TransactionsResult, 401),
      },
    },
    async (request, reply) => {
      const user = await auth.requireUser(request, reply);
      const data = await wallet.transactions(user.id, request.query.cursor || undefined, request.query.limit);
      return { code: 0 as const, data };
    },
  );

  app.patch(
    '/api/anchor/profile',
    {
      schema: {
        tags: ['anchor'],
        summary: 'Set the subscription price in diamonds per 30 days (0 turns subscriptions off)',
        security: [{ anchorToken: [] }],
        body: ProfileBody,
        response: responses(ProfileResult, 401, 403),
      },
    },
    async (request) => {
      const anchor = await auth.requireAnchor(request);
      return { code: 0 as const, data: await wallet.setSubscriptionPrice(anchor, request.body.subscription_price) };
    },
  );

  app.get(
    '/api/anchor/earnings',
    {
      schema: {
        tags: ['anchor'],
        summary: 'Earnings balance, totals by source, active subscribers and the latest 20 earnings',
        security: [{ anchorToken: [] }],
        response: responses(EarningsResult, 401, 403),
      },
    },
    async (request) => {
      const anchor = await auth.requireAnchor(request);
      return { code: 0 as const, data: await wallet.earnings(anchor) };
    },
  );
};
