import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RequestAuth } from '../accounts/index.js';
import { okData, responses } from '../http/schemas.js';
import type { PaymentOrder } from './repository.js';
import type { PaymentsService } from './service.js';
import { PROVIDER_STATUSES } from './status.js';

/** Amounts are exact decimal strings inside; the contract shows them as JSON numbers. */
const amountOrNull = (value: string | null) => (value === null ? null : Number(value));
const iso = (ms: number) => new Date(ms).toISOString();

const OrderView = Type.Object({
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
});

function orderView(order: PaymentOrder) {
  return {
    order_id: order.id,
    status: order.status,
    crypto_amount: Number(order.priceAmount),
    coin_num: order.coinNum,
    coin_num_credited: order.coinsCredited,
    pay_currency: order.payCurrency,
    pay_amount: amountOrNull(order.payAmount),
    pay_address: order.payAddress,
    payment_id: order.paymentId,
    actually_paid: amountOrNull(order.actuallyPaid),
    created_at: iso(order.createdAt),
    expires_at: iso(order.expiresAt),
  };
}

const RechargeBody = Type.Object({
  user_id: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Integer()])),
  crypto_amount: Type.Union([Type.Number(), Type.String({ maxLength: 32 })]),
});

const RechargeAnswer = Type.Object({
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
});

const StatusAnswer = Type.Object({
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
});

const OrderIdParams = Type.Object({ order_id: Type.String({ minLength: 1, maxLength: 64 }) });

export interface PaymentsRoutesOptions {
  payments: PaymentsService;
  auth: RequestAuth;
}

export const paymentsRoutes: FastifyPluginAsyncTypebox<PaymentsRoutesOptions> = async (app, { payments, auth }) => {
  app.get(
    '/api/payment/packages',
    {
      schema: {
        tags: ['payment'],
        summary: 'Recharge packages: USD price and diamonds',
        response: responses(
          okData(
            Type.Object({
              packages: Type.Array(Type.Object({ crypto_amount: Type.Number(), coin_num: Type.Integer() })),
              provider: Type.Union([Type.Literal('nowpayments'), Type.Literal('simulated')], {
                description: 'simulated: offline demo mode, where POST /api/payment/simulate/:order_id exists',
              }),
            }),
          ),
        ),
      },
    },
    async () => ({
      code: 0 as const,
      data: { packages: payments.packages(), provider: payments.isSimulated ? ('simulated' as const) : ('nowpayments' as const) },
    }),
  );

  app.post(
    '/api/payment/process_recharge',
    {
      schema: {
        tags: ['payment'],
        summary: 'Start a recharge (contract): an order and a USDT payment address',
        body: RechargeBody,
        response: responses(RechargeAnswer, 401, 403, 429, 502),
      },
    },
    async (request, reply) => {
      const user = await auth.requireUser(request, reply);
      const { order, qrCode } = await payments.createRecharge(user, {
        userId: request.body.user_id,
        cryptoAmount: request.body.crypto_amount,
      });
      return {
        code: 0 as const,
        message: 'Recharge initiated, waiting for confirmation',
        order_id: order.id,
        payment_id: order.paymentId!,
        pay_address: order.payAddress!,
        pay_amount: Number(order.payAmount),
        qr_code: qrCode,
        pay_currency: order.payCurrency,
        coin_num: order.coinNum,
        expires_at: iso(order.expiresAt),
      };
    },
  );

  app.get(
    '/api/payment/check_payment_status/:order_id',
    {
      schema: {
        tags: ['payment'],
        summary: "An order's status (contract); only its owner sees it",
        params: OrderIdParams,
        response: responses(StatusAnswer, 401, 404),
      },
    },
    async (request, reply) => {
      const user = await auth.requireUser(request, reply);
      const { order, balance } = await payments.orderStatus(user, request.params.order_id);
      return {
        code: 0 as const,
        status: order.status,
        message: 'Status retrieved',
        order_id: order.id,
        coin_num_credited: order.coinsCredited,
        coin_num: balance,
        actually_paid: amountOrNull(order.actuallyPaid),
        pay_amount: amountOrNull(order.payAmount),
        pay_currency: order.payCurrency,
        expires_at: iso(order.expiresAt),
      };
    },
  );

  app.get(
    '/api/payment/orders',
    {
      schema: {
        tags: ['payment'],
        summary: "The user's recharge orders, newest first",
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })) }),
        response: responses(okData(Type.Object({ orders: Type.Array(OrderView) })), 401),
      },
    },
    async (request, reply) => {
      const user = await auth.requireUser(request, reply);
      const orders = await payments.listOrders(user, request.query.limit ?? 20);
      return { code: 0 as const, data: { orders: orders.map(orderView) } };
    },
  );

  // The signature covers the body as the provider sent it, so this scope keeps the raw text.
  await app.register(async (ipnScope) => {
    ipnScope.removeAllContentTypeParsers();
    ipnScope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    ipnScope.post(
      '/api/payment/ipn',
      {
        schema: {
          tags: ['payment'],
          summary: 'NOWPayments IPN callback (x-nowpayments-sig: HMAC-SHA512 of the key-sorted JSON body)',
          response: responses(Type.Object({ code: Type.Literal(0), outcome: Type.String() }), 401, 404, 503),
        },
      },
      async (request) => {
        const signature = request.headers['x-nowpayments-sig'];
        const outcome = await payments.receiveIpn(
          typeof request.body === 'string' ? request.body : '',
          typeof signature === 'string' ? signature : undefined,
        );
        return { code: 0 as const, outcome };
      },
    );
  });

  if (payments.isSimulated) {
    app.post(
      '/api/payment/simulate/:order_id',
      {
        schema: {
          tags: ['payment'],
          summary: 'Simulated provider only: play a NOWPayments callback for your order',
          params: OrderIdParams,
          body: Type.Object({
            status: Type.Union(PROVIDER_STATUSES.map((s) => Type.Literal(s))),
            actually_paid: Type.Optional(Type.Union([Type.Number({ minimum: 0 }), Type.String({ maxLength: 32 })])),
          }),
          response: responses(
            Type.Object({
              code: Type.Literal(0),
              status: Type.String(),
              outcome: Type.String(),
              coin_num_credited: Type.Integer(),
            }),
            401,
            404,
            409,
          ),
        },
      },
      async (request, reply) => {
        const user = await auth.requireUser(request, reply);
        const { outcome, order } = await payments.simulate(
          user,
          request.params.order_id,
          request.body.status,
          request.body.actually_paid,
        );
        return { code: 0 as const, status: order.status, outcome, coin_num_credited: order.coinsCredited };
      },
    );
  }
};
