/** The payments feature's wire shapes: requests and answers of its routes, defined once. */
import { Type, type Static } from 'typebox';
import { PROVIDER_STATUSES } from './status.js';

export const RechargePackage = Type.Object(
  { crypto_amount: Type.Number({ description: 'Price in USD' }), coin_num: Type.Integer({ description: 'Diamonds it buys' }) },
  { $id: 'RechargePackage' },
);
export type RechargePackage = Static<typeof RechargePackage>;

export const RechargePackages = Type.Object(
  {
    packages: Type.Array(RechargePackage),
    provider: Type.Union([Type.Literal('nowpayments'), Type.Literal('simulated')], {
      description: 'simulated: offline demo mode, where POST /api/payment/simulate/:order_id exists',
    }),
  },
  { $id: 'RechargePackages' },
);
export type RechargePackages = Static<typeof RechargePackages>;

/** A recharge order as its owner sees it. Amounts are exact decimals inside; the contract shows numbers. */
export const PaymentOrder = Type.Object(
  {
    order_id: Type.String(),
    status: Type.String({ description: 'creating, a NOWPayments payment_status, or expired (also when expired locally)' }),
    crypto_amount: Type.Number({ description: 'Price in USD' }),
    coin_num: Type.Integer({ description: 'Diamonds the package is worth' }),
    coin_num_credited: Type.Integer(),
    pay_currency: Type.String(),
    pay_amount: Type.Union([Type.Number(), Type.Null()]),
    pay_address: Type.Union([Type.String(), Type.Null()]),
    payment_id: Type.Union([Type.String(), Type.Null()]),
    actually_paid: Type.Union([Type.Number(), Type.Null()]),
    created_at: Type.String(),
    expires_at: Type.String(),
    qr_code: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description: 'In the orders list: base64 PNG of pay_address while the order still waits for its payment, else null',
      }),
    ),
  },
  { $id: 'PaymentOrder' },
);
export type PaymentOrderView = Static<typeof PaymentOrder>;

export const PaymentOrders = Type.Object({ orders: Type.Array(PaymentOrder) }, { $id: 'PaymentOrders' });

/** The contract's answer to process_recharge: flat, with `code` beside the fields. */
export const RechargeStarted = Type.Object(
  {
    code: Type.Literal(0),
    message: Type.String(),
    order_id: Type.String(),
    payment_id: Type.String(),
    pay_address: Type.String(),
    pay_amount: Type.Number(),
    qr_code: Type.String({ description: 'Base64 PNG of pay_address (no data: prefix)' }),
    pay_currency: Type.String(),
    coin_num: Type.Integer({ description: 'Diamonds credited once the payment is finished' }),
    expires_at: Type.String(),
  },
  { $id: 'RechargeStarted' },
);
export type RechargeStarted = Static<typeof RechargeStarted>;

/** The contract's answer to check_payment_status: flat, with `code` beside the fields. */
export const PaymentStatus = Type.Object(
  {
    code: Type.Literal(0),
    status: Type.String(),
    message: Type.String(),
    order_id: Type.String(),
    coin_num_credited: Type.Integer(),
    coin_num: Type.Integer({ description: "The user's current diamond balance" }),
    actually_paid: Type.Union([Type.Number(), Type.Null()]),
    pay_amount: Type.Union([Type.Number(), Type.Null()]),
    pay_currency: Type.String(),
    expires_at: Type.String(),
  },
  { $id: 'PaymentStatus' },
);
export type PaymentStatus = Static<typeof PaymentStatus>;

export const IpnAnswer = Type.Object({ code: Type.Literal(0), outcome: Type.String() });

export const SimulatedPayment = Type.Object(
  { code: Type.Literal(0), status: Type.String(), outcome: Type.String(), coin_num_credited: Type.Integer() },
  { $id: 'SimulatedPayment' },
);

// ---- requests ------------------------------------------------------------------------------------

export const RechargeBody = Type.Object({
  user_id: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Integer()])),
  crypto_amount: Type.Union([Type.Number(), Type.String({ maxLength: 32 })]),
});

export const OrderIdParams = Type.Object({ order_id: Type.String({ minLength: 1, maxLength: 64 }) });

export const OrdersQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })) });

export const SimulateBody = Type.Object({
  status: Type.Union(PROVIDER_STATUSES.map((s) => Type.Literal(s))),
  actually_paid: Type.Optional(Type.Union([Type.Number({ minimum: 0 }), Type.String({ maxLength: 32 })])),
});

/** The answers that are named components as a whole: shared on the instance, referenced with ref(). */
export const sharedSchemas = [RechargeStarted, PaymentStatus, SimulatedPayment];
