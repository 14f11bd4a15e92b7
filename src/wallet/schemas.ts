/** The wallet's wire shapes: requests and answers of its routes, defined once. */
import { Type, type Static } from 'typebox';
import { MAX_DIAMONDS } from './limits.js';

export const VipPaymentResult = Type.Object(
  {
    vip_status: Type.Boolean(),
    charged: Type.Integer({ description: 'Diamonds taken by this call: 0 when the room was already unlocked' }),
    coin_num: Type.Integer({ description: 'Balance after the payment' }),
  },
  { $id: 'VipPaymentResult' },
);
export type VipPaymentResult = Static<typeof VipPaymentResult>;

export const SubscriptionResult = Type.Object(
  {
    subscription_status: Type.Boolean(),
    charged: Type.Integer(),
    amount: Type.Integer(),
    expires_at: Type.String({ format: 'date-time' }),
    coin_num: Type.Integer(),
  },
  { $id: 'SubscriptionResult' },
);
export type SubscriptionResult = Static<typeof SubscriptionResult>;

export const WalletBalance = Type.Object({ coin_num: Type.Integer() }, { $id: 'WalletBalance' });

export const WalletTransaction = Type.Object(
  {
    id: Type.String(),
    type: Type.String({ description: 'vip_room, subscription, gift, recharge, adjustment or operator_adjustment (a change by the site\'s operators, with its reason)' }),
    amount: Type.Integer({ description: 'Signed change of the balance' }),
    balance_after: Type.Integer(),
    created_at: Type.String({ format: 'date-time' }),
    room_id: Type.Optional(Type.String()),
    anchor_id: Type.Optional(Type.String()),
    order_id: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
    room_name: Type.Optional(Type.String({ description: 'Extra: the room of a vip_room entry' })),
    room_title: Type.Optional(Type.String({ description: "Extra: that room's title, when it has one" })),
    anchor_name: Type.Optional(Type.String({ description: 'Extra: the anchor of a vip_room or subscription entry' })),
    price_amount: Type.Optional(Type.String({ description: "Extra: a recharge's price, a decimal string (e.g. USD)" })),
    price_currency: Type.Optional(Type.String({ description: 'Extra: the currency of price_amount' })),
    pay_amount: Type.Optional(Type.String({ description: 'Extra: the crypto amount asked for a recharge' })),
    pay_currency: Type.Optional(Type.String({ description: 'Extra: the crypto currency of a recharge, e.g. usdttrc20' })),
  },
  { $id: 'WalletTransaction' },
);
export type WalletTransaction = Static<typeof WalletTransaction>;

export const TransactionsPage = Type.Object(
  { transactions: Type.Array(WalletTransaction), next_cursor: Type.Union([Type.String(), Type.Null()]) },
  { $id: 'TransactionsPage' },
);
export type TransactionsPage = Static<typeof TransactionsPage>;

export const ActiveSubscription = Type.Object(
  { anchor_id: Type.String(), anchor_name: Type.String(), expires_at: Type.String({ format: 'date-time' }) },
  { $id: 'ActiveSubscription' },
);
export type ActiveSubscription = Static<typeof ActiveSubscription>;

export const ActiveSubscriptions = Type.Object(
  { subscriptions: Type.Array(ActiveSubscription, { description: 'Running subscriptions, soonest to end first' }) },
  { $id: 'ActiveSubscriptions' },
);
export type ActiveSubscriptions = Static<typeof ActiveSubscriptions>;

export const EarningsEntry = Type.Object(
  {
    id: Type.String(),
    type: Type.String(),
    amount: Type.Integer(),
    created_at: Type.String({ format: 'date-time' }),
    room_id: Type.Optional(Type.String()),
    from_uid: Type.Optional(Type.String()),
  },
  { $id: 'EarningsEntry' },
);
export type EarningsEntry = Static<typeof EarningsEntry>;

export const EarningsSummary = Type.Object(
  {
    coin_num: Type.Integer({ description: 'Current earnings balance' }),
    total_earned: Type.Integer(),
    vip_total: Type.Integer(),
    subscription_total: Type.Integer(),
    gift_total: Type.Integer(),
    subscription_price: Type.Integer(),
    active_subscribers: Type.Integer(),
    recent: Type.Array(EarningsEntry),
  },
  { $id: 'EarningsSummary' },
);
export type EarningsSummary = Static<typeof EarningsSummary>;

export const SubscriptionPriceSetting = Type.Object({ subscription_price: Type.Integer() }, { $id: 'SubscriptionPriceSetting' });
export type SubscriptionPriceSetting = Static<typeof SubscriptionPriceSetting>;

// ---- requests ------------------------------------------------------------------------------------

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Diamonds = Type.Integer({ minimum: 1, maximum: MAX_DIAMONDS });

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});

export const PayVipBody = Type.Object({
  uid: Type.Optional(Type.String({ maxLength: 64 })),
  user_id: Type.Optional(Type.String({ maxLength: 64, description: "Legacy clients' name for uid: must match the logged-in user too" })),
  anchor_id: Id,
  room_id: Id,
  room_name: Type.Optional(Type.String({ maxLength: 200 })),
  amount: Diamonds,
});

export const SubscribeBody = Type.Object({
  anchor_id: Id,
  room_id: Type.Optional({ ...Id, description: "The anchor's room the viewer subscribes from: counts for that room's leaderboard" }),
  amount: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_DIAMONDS,
      description: 'The price the viewer saw; a different current price is refused with price_changed',
    }),
  ),
});

export const ProfileBody = Type.Object({ subscription_price: Type.Integer({ minimum: 0, maximum: MAX_DIAMONDS }) });

export const TransactionsQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});

// ---- gifts and room leaderboards -----------------------------------------------------------------

export const Gift = Type.Object(
  {
    id: Type.String(),
    label_zh: Type.String(),
    label_en: Type.String(),
    price: Type.Integer({ description: 'Diamonds per gift' }),
    icon: Type.String({ description: "Short code of an emoji in the web app's own set" }),
  },
  { $id: 'Gift' },
);
export type Gift = Static<typeof Gift>;

export const GiftCatalogue = Type.Object({ gifts: Type.Array(Gift) }, { $id: 'GiftCatalogue' });
export type GiftCatalogue = Static<typeof GiftCatalogue>;

export const MAX_GIFT_COUNT = 99;

export const SendGiftBody = Type.Object({
  room_id: Id,
  gift_id: Type.String({ minLength: 1, maxLength: 32 }),
  count: Type.Integer({ minimum: 1, maximum: MAX_GIFT_COUNT }),
  amount: Type.Integer({
    minimum: 1,
    maximum: MAX_DIAMONDS,
    description: 'The total the viewer saw (price × count); a different current total is refused with price_changed',
  }),
});

export const GiftSent = Type.Object(
  {
    gift_id: Type.String(),
    count: Type.Integer(),
    charged: Type.Integer({ description: 'Diamonds taken by this call' }),
    coin_num: Type.Integer({ description: 'Balance after the gift' }),
  },
  { $id: 'GiftSent' },
);
export type GiftSent = Static<typeof GiftSent>;

export const LeaderboardQuery = Type.Object({ room_id: Id });
// ---- anchor earnings over a period ----------------------------------------------------------------

/** One earning as the console lists it: what it was, from which room, how much. */
export const EarningsLine = Type.Object(
  {
    id: Type.String(),
    type: Type.String({ description: 'vip_room, subscription, …' }),
    amount: Type.Integer(),
    balance_after: Type.Integer(),
    created_at: Type.String({ format: 'date-time' }),
    room_id: Type.Optional(Type.String()),
    room_name: Type.Optional(Type.String()),
    from_uid: Type.Optional(Type.String()),
    from_name: Type.Optional(Type.String({ description: "The payer's current name" })),
    gift_id: Type.Optional(Type.String({ description: 'Gifts: which gift' })),
    count: Type.Optional(Type.Integer({ description: 'Gifts: how many' })),
  },
  { $id: 'EarningsLine' },
);
export type EarningsLine = Static<typeof EarningsLine>;

export const EarningsLinesPage = Type.Object(
  { entries: Type.Array(EarningsLine), next_cursor: Type.Union([Type.String(), Type.Null()]) },
  { $id: 'EarningsLinesPage' },
);
export type EarningsLinesPage = Static<typeof EarningsLinesPage>;

const utcDay = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });

export const EarningsPeriodQuery = Type.Object({ from: utcDay('First UTC day, YYYY-MM-DD'), to: utcDay('Last UTC day, included, YYYY-MM-DD') });

export const EarningsReport = Type.Object(
  {
    from: Type.String(),
    to: Type.String(),
    total: Type.Integer(),
    days: Type.Array(Type.Object({ date: Type.String(), total: Type.Integer(), vip: Type.Integer(), subscription: Type.Integer(), gift: Type.Integer() }), {
      description: 'Every day of the period, oldest first, zero days included',
    }),
    rooms: Type.Array(Type.Object({ room_id: Type.String(), room_name: Type.String(), total: Type.Integer() }), {
      description: 'Rooms that earned in the period, highest first (subscriptions are not per room)',
    }),
  },
  { $id: 'EarningsReport' },
);
export type EarningsReport = Static<typeof EarningsReport>;
