import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PaymentProvider } from '../../src/payments/provider.js';
import { registerViewer, TestClient } from '../helpers/client.js';
import { FAKE_API_KEY } from './fake-nowpayments.js';
import { createPaymentsTestApp, insertInterruptedOrder, ipnBody, ledgerProblems, orderStatus, postIpn, PUBLIC_URL, startRecharge, type PaymentsTestApp } from './helpers.js';

let t: PaymentsTestApp;

beforeEach(async () => {
  t = await createPaymentsTestApp();
});

afterEach(async () => {
  expect(t.fake.problems).toEqual([]);
  expect(await ledgerProblems(t)).toEqual([]);
  await t.close();
});

describe('GET /api/payment/packages', () => {
  it('lists the configured packages', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/payment/packages' });
    expect(res.json()).toEqual({
      code: 0,
      data: {
        packages: [
          { crypto_amount: 12, coin_num: 60 },
          { crypto_amount: 20, coin_num: 100 },
          { crypto_amount: 100, coin_num: 550 },
        ],
        provider: 'nowpayments',
      },
    });
  });
});

describe('POST /api/payment/process_recharge', () => {
  it.each([
    [12, 60],
    [20, 100],
    [100, 550],
  ])('creates a NOWPayments payment for the %s USD package and answers the contract shape', async (usd, diamonds) => {
    const { client, uid } = await registerViewer(t.app);
    const res = await client.post('/api/payment/process_recharge/', { user_id: uid, crypto_amount: usd });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      code: 0,
      message: 'Recharge initiated, waiting for confirmation',
      pay_address: 'TVPw1vYm71owVoB6NXfV4AUxRcrHPbNB86',
      pay_currency: 'usdttrc20',
      coin_num: diamonds,
    });
    expect(body.order_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(typeof body.payment_id).toBe('string');
    expect(body.pay_amount).toBe(Math.round(usd * 0.995819 * 1e6) / 1e6);
    expect(Buffer.from(body.qr_code, 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(Date.parse(body.expires_at) - t.clock.now).toBe(24 * 3600 * 1000);

    const [request] = t.fake.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/v1/payment' });
    expect(request!.headers['x-api-key']).toBe(FAKE_API_KEY);
    expect(request!.body).toEqual({
      price_amount: usd,
      price_currency: 'usd',
      pay_currency: 'usdttrc20',
      order_id: body.order_id,
      // What the payer sees on the provider's page: what they are buying.
      order_description: expect.stringContaining(`${diamonds} diamonds`),
      ipn_callback_url: `${PUBLIC_URL}/api/payment/ipn`,
    });
    expect(await orderStatus(client, body.order_id)).toMatchObject({
      code: 0,
      status: 'waiting',
      message: 'Status retrieved',
      coin_num_credited: 0,
      coin_num: 0,
    });
  });

  it('accepts my own user_id with spaces around it', async () => {
    const { client, uid } = await registerViewer(t.app);
    const res = await client.post('/api/payment/process_recharge', { user_id: ` ${uid} `, crypto_amount: 20 });
    expect(res.statusCode).toBe(200);
    expect(res.json().coin_num).toBe(100);
  });

  it('accepts the amount as a numeric string and without user_id', async () => {
    const { client } = await registerViewer(t.app);
    const res = await client.post('/api/payment/process_recharge', { crypto_amount: '20.00' });
    expect(res.statusCode).toBe(200);
    expect(res.json().coin_num).toBe(100);
  });

  it.each([[13], ['abc'], ['12abc'], [-12], [0], ['']])('refuses %j as not a package', async (amount) => {
    const { client } = await registerViewer(t.app);
    const res = await client.post('/api/payment/process_recharge', { crypto_amount: amount });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 1, error: 'invalid_package', allowed: [12, 20, 100] });
    // The message the app shows names the amounts that can be bought.
    expect(res.json().message).toMatch(/12, 20, 100/);
    expect(t.fake.requests).toHaveLength(0);
  });

  it.each([[true], [null], [[20]], [{ amount: 20 }]])('refuses crypto_amount of the wrong type %j', async (amount) => {
    const { client } = await registerViewer(t.app);
    const res = await client.post('/api/payment/process_recharge', { crypto_amount: amount });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe(1);
    expect(t.fake.requests).toHaveLength(0);
  });

  it("refuses someone else's user_id, whatever its type", async () => {
    const { client } = await registerViewer(t.app);
    const other = await registerViewer(t.app);
    for (const userId of [other.uid, 6]) {
      const res = await client.post('/api/payment/process_recharge', { user_id: userId, crypto_amount: 20 });
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toBe('uid_mismatch');
      expect(res.json().message).toMatch(/user_id/);
    }
    expect(t.fake.requests).toHaveLength(0);
  });

  it('a banned user starts no recharge: refused with banned, no order, the provider never asked', async () => {
    const { uid, username } = await registerViewer(t.app);
    const banned = { id: uid, username, isAnchor: false, ban: { reason: 'spam' } };
    await expect(t.payments.createRecharge(banned, { cryptoAmount: 20 })).rejects.toMatchObject({ statusCode: 403, error: 'banned' });
    expect(await t.payments.ordersForOperator({ limit: 10 })).toEqual([]);
    expect(t.fake.requests).toHaveLength(0);
  });

  it('needs a login', async () => {
    const res = await new TestClient(t.app).post('/api/payment/process_recharge', { crypto_amount: 20 });
    expect(res.statusCode).toBe(401);
  });

  it('allows at most MAX_OPEN_ORDERS unfinished orders per user', async () => {
    const viewer = await registerViewer(t.app);
    for (let i = 0; i < 5; i += 1) await startRecharge(t, 12, viewer);
    const res = await viewer.client.post('/api/payment/process_recharge', { crypto_amount: 12 });
    expect(res.statusCode).toBe(429);
    expect(res.json().error).toBe('too_many_open_orders');
    // The message tells the user how many orders are open and what to do.
    expect(res.json().message).toMatch(/5 unfinished.*pay one or wait/);
    // Another user is not affected.
    await startRecharge(t, 12);
  });

  it.each(['confirming', 'confirmed', 'sending'])(
    'an order %s on the chain still holds its open-order slot and is still polled, until it ends',
    async (status) => {
      await t.close();
      t = await createPaymentsTestApp({ payments: { maxOpenOrders: 1 } });
      const viewer = await registerViewer(t.app);
      const order = await startRecharge(t, 12, viewer);
      expect((await postIpn(t, ipnBody(order, status))).json().outcome).toBe('applied');
      const refused = await viewer.client.post('/api/payment/process_recharge', { crypto_amount: 12 });
      expect([refused.statusCode, refused.json().error]).toEqual([429, 'too_many_open_orders']);
      expect((await viewer.client.get('/api/payment/orders')).json().data.orders[0].qr_code).toEqual(expect.any(String));

      t.fake.setStatus(order.paymentId, 'finished', order.payAmount);
      t.clock.now += 3 * 60 * 1000;
      expect(await t.payments.reconcile()).toMatchObject({ checked: 1, changed: 1 });
      expect(await orderStatus(viewer.client, order.orderId)).toMatchObject({ status: 'finished', coin_num_credited: 60 });
      expect((await viewer.client.get('/api/payment/orders')).json().data.orders[0].qr_code).toBeNull();
      expect((await viewer.client.post('/api/payment/process_recharge', { crypto_amount: 12 })).statusCode).toBe(200);
    },
  );

  it('200 parallel recharges from one user open exactly MAX_OPEN_ORDERS orders, each one provider call', async () => {
    await t.close();
    t = await createPaymentsTestApp({ pgPoolSize: 10 });
    const viewer = await registerViewer(t.app);
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => viewer.client.post('/api/payment/process_recharge', { crypto_amount: 12 })),
    );
    const codes = answers.map((res) => res.statusCode);
    expect(codes.filter((code) => code === 200)).toHaveLength(t.config.payments.maxOpenOrders);
    expect(codes.filter((code) => code !== 200).every((code) => code === 429)).toBe(true);
    expect(t.fake.requests.filter((request) => request.path === '/v1/payment')).toHaveLength(t.config.payments.maxOpenOrders);
    const orders = await viewer.client.get('/api/payment/orders', { query: { limit: 100 } });
    expect(orders.json().data.orders).toHaveLength(t.config.payments.maxOpenOrders);
  });

  it.each([
    ['server_error', 'a 5xx'],
    ['malformed', 'a malformed answer'],
  ] as const)('answers 502 and fails the order on %s from the provider (%s)', async (mode, _what) => {
    t.fake.mode = mode;
    const { client } = await registerViewer(t.app);
    const res = await client.post('/api/payment/process_recharge', { crypto_amount: 20 });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ code: 1, error: 'payment_provider_unavailable' });
    // The app shows the message: it says the provider is down and to try again.
    expect(res.json().message).toMatch(/unavailable.*try again/i);
    const orders = (await client.get('/api/payment/orders')).json().data.orders;
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ status: 'failed', coin_num_credited: 0 });
    // Operators see why it failed; the provider never answered anything about it.
    expect(await t.payments.ordersForOperator({ limit: 10 })).toEqual([
      { order: expect.objectContaining({ status: 'failed', failureReason: 'provider_unavailable' }), answer: null },
    ]);
    // A failed order does not count against the open-order limit.
    t.fake.mode = 'ok';
    expect((await client.post('/api/payment/process_recharge', { crypto_amount: 20 })).statusCode).toBe(200);
  });
});

describe('provider errors that are not an outage', () => {
  it('are not answered as an outage to retry later, and the order is still failed', async () => {
    const broken: PaymentProvider = {
      name: 'nowpayments',
      createPayment: async () => {
        throw new TypeError('the provider client is broken');
      },
      getPayment: async () => null,
    };
    const app = await createPaymentsTestApp({ provider: broken });
    try {
      const { client } = await registerViewer(app.app);
      const res = await client.post('/api/payment/process_recharge', { crypto_amount: 20 });
      expect(res.statusCode).not.toBe(502);
      expect(res.json()).toMatchObject({ code: 1 });
      expect(res.json().error).not.toBe('payment_provider_unavailable');
      const orders = (await client.get('/api/payment/orders')).json().data.orders;
      expect(orders).toMatchObject([{ status: 'failed', coin_num_credited: 0 }]);
    } finally {
      await app.close();
    }
  });
});

describe('provider timeout', () => {
  it('answers 502 and fails the order when the provider does not answer in time', async () => {
    const slow = await createPaymentsTestApp({ payments: { providerTimeoutMs: 300 } });
    try {
      slow.fake.mode = 'hang';
      const { client } = await registerViewer(slow.app);
      const res = await client.post('/api/payment/process_recharge', { crypto_amount: 20 });
      expect(res.statusCode).toBe(502);
      expect(res.json()).toMatchObject({ code: 1, error: 'payment_provider_unavailable' });
      const orders = (await client.get('/api/payment/orders')).json().data.orders;
      expect(orders).toMatchObject([{ status: 'failed', coin_num_credited: 0 }]);
    } finally {
      await slow.close();
    }
  });
});

describe('order visibility', () => {
  it('shows an order only to its owner (404 for others, 401 for guests)', async () => {
    const order = await startRecharge(t);
    const stranger = await registerViewer(t.app);
    const res = await stranger.client.get(`/api/payment/check_payment_status/${order.orderId}/`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe('order_not_found');
    expect(res.json().message).toMatch(/order/i);
    expect((await stranger.client.get('/api/payment/check_payment_status/not-an-order')).statusCode).toBe(404);
    expect((await new TestClient(t.app).get(`/api/payment/check_payment_status/${order.orderId}`)).statusCode).toBe(401);
    expect((await stranger.client.get('/api/payment/orders')).json().data.orders).toEqual([]);
  });

  it('lists my orders newest first', async () => {
    const viewer = await registerViewer(t.app);
    const first = await startRecharge(t, 12, viewer);
    t.clock.now += 1000;
    const second = await startRecharge(t, 100, viewer);
    const orders = (await viewer.client.get('/api/payment/orders')).json().data.orders;
    expect(orders.map((o: { order_id: string }) => o.order_id)).toEqual([second.orderId, first.orderId]);
    expect(orders[0]).toMatchObject({ status: 'waiting', crypto_amount: 100, coin_num: 550, payment_id: second.paymentId });
  });

  it("an order still waiting for its payment carries its QR code again; once expired it does not", async () => {
    const viewer = await registerViewer(t.app);
    const started = await viewer.client.post('/api/payment/process_recharge', { crypto_amount: 12 });
    const waiting = (await viewer.client.get('/api/payment/orders')).json().data.orders[0];
    expect(waiting.qr_code).toBe(started.json().qr_code);
    // A PNG 240 pixels wide (the IHDR width), big enough for a phone to scan from the screen.
    expect(Buffer.from(waiting.qr_code, 'base64').readUInt32BE(16)).toBe(240);
    const expiresAt = Date.parse(started.json().expires_at);
    t.clock.now = expiresAt - 1;
    expect((await viewer.client.get('/api/payment/orders')).json().data.orders[0].qr_code).toBe(waiting.qr_code);
    t.clock.now = expiresAt;
    expect((await viewer.client.get('/api/payment/orders')).json().data.orders[0].qr_code).toBeNull();
  });

  it('lists an order whose creation was interrupted, without a QR code: it has no address to pay', async () => {
    const viewer = await registerViewer(t.app);
    const interruptedId = '9b7e3c1a-52f4-4e0b-8c1d-7a6f2e4d9b10';
    await insertInterruptedOrder(t, viewer.uid, interruptedId);
    const orders = (await viewer.client.get('/api/payment/orders')).json().data.orders;
    expect(orders).toMatchObject([{ order_id: interruptedId, status: 'creating', pay_address: null, qr_code: null }]);
  });
});
