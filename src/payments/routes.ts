import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { okData, ref, responses } from '../http/schemas.js';
import { mapOrder, mapPaymentStatus, mapRechargeStarted } from './mappers.js';
import {
  IpnAnswer,
  OrderIdParams,
  OrdersQuery,
  PaymentStatus,
  PaymentOrders,
  RechargeBody,
  RechargePackages,
  RechargeStarted,
  SimulateBody,
  SimulatedPayment,
} from './schemas.js';
import type { PaymentsService } from './service.js';

/** A real callback is about 1 KB; nothing larger is parsed. */
const MAX_IPN_BODY_BYTES = 16 * 1024;

export interface PaymentsRoutesOptions {
  payments: PaymentsService;
}

export const paymentsRoutes: FastifyPluginAsyncTypebox<PaymentsRoutesOptions> = async (app, { payments }) => {
  app.get(
    '/api/payment/packages',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['payment'],
        summary: 'Recharge packages: USD price and diamonds',
        response: responses(okData(RechargePackages)),
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
      config: { auth: 'user' },
      schema: {
        tags: ['payment'],
        summary: 'Start a recharge (contract): an order and a USDT payment address',
        body: RechargeBody,
        response: responses(ref(RechargeStarted), 401, 403, 429, 502),
      },
    },
    async (request) => {
      const { order, qrCode } = await payments.createRecharge(request.user, {
        userId: request.body.user_id,
        cryptoAmount: request.body.crypto_amount,
      });
      return mapRechargeStarted(order, qrCode);
    },
  );

  app.get(
    '/api/payment/check_payment_status/:order_id',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['payment'],
        summary: "An order's status (contract); only its owner sees it",
        params: OrderIdParams,
        response: responses(ref(PaymentStatus), 401, 404),
      },
    },
    async (request) => {
      const { order, balance } = await payments.orderStatus(request.user, request.params.order_id);
      return mapPaymentStatus(order, balance);
    },
  );

  app.get(
    '/api/payment/orders',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['payment'],
        summary: "The user's recharge orders, newest first",
        querystring: OrdersQuery,
        response: responses(okData(PaymentOrders), 401),
      },
    },
    async (request) => {
      const orders = await payments.listOrders(request.user, request.query.limit ?? 20);
      return { code: 0 as const, data: { orders: orders.map(mapOrder) } };
    },
  );

  // The signature covers the body as the provider sent it, so this scope keeps the raw text.
  await app.register(async (ipnScope) => {
    ipnScope.removeAllContentTypeParsers();
    ipnScope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    ipnScope.post(
      '/api/payment/ipn',
      {
        bodyLimit: MAX_IPN_BODY_BYTES,
        config: { auth: 'public' },
        schema: {
          tags: ['payment'],
          summary: 'NOWPayments IPN callback (x-nowpayments-sig: HMAC-SHA512 of the key-sorted JSON body)',
          response: responses(IpnAnswer, 401, 404, 413, 503),
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
        config: { auth: 'user' },
        schema: {
          tags: ['payment'],
          summary: 'Simulated provider only: play a NOWPayments callback for your order',
          params: OrderIdParams,
          body: SimulateBody,
          response: responses(ref(SimulatedPayment), 401, 404, 409),
        },
      },
      async (request) => {
        const { outcome, order } = await payments.simulate(
          request.user,
          request.params.order_id,
          request.body.status,
          request.body.actually_paid,
        );
        return { code: 0 as const, status: order.status, outcome, coin_num_credited: order.coinsCredited };
      },
    );
  }
};
