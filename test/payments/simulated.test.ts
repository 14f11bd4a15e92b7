import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ipnSecretFor } from '../../src/payments/factory.js';
import { signIpnBody } from '../../src/payments/ipn-signature.js';
import { verifyLedger } from '../../src/wallet/ledger.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { registerViewer, type TestClient } from '../helpers/client.js';
import { balance, createPaymentsTestApp, insertInterruptedOrder, orderStatus, startRecharge } from './helpers.js';

let t: TestApp;

beforeEach(async () => {
  // No NOWPAYMENTS_API_KEY: the simulated provider, as on a fresh `npm start`.
  t = await createTestApp();
});

afterEach(async () => {
  expect(await verifyLedger(t.db)).toEqual([]);
  await t.close();
});

async function recharge(client: TestClient, amount = 12) {
  const res = await client.post('/api/payment/process_recharge', { crypto_amount: amount });
  expect(res.statusCode).toBe(200);
  return res.json();
}

const simulate = (client: TestClient, orderId: string, body: Record<string, unknown>) =>
  client.post(`/api/payment/simulate/${orderId}`, body);

describe('simulated provider', () => {
  it('hands out a TRON address and a numeric payment id', async () => {
    const { client } = await registerViewer(t.app);
    const order = await recharge(client);
    expect(order.pay_address).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);
    expect(order.payment_id).toMatch(/^\d{10}$/);
    expect(order).toMatchObject({ pay_amount: 12, coin_num: 60, pay_currency: 'usdttrc20' });
  });

  it('plays callbacks through the IPN handler: confirming, then finished credits once', async () => {
    const { client } = await registerViewer(t.app);
    const order = await recharge(client);
    expect((await simulate(client, order.order_id, { status: 'confirming' })).json()).toEqual({
      code: 0,
      status: 'confirming',
      outcome: 'applied',
      coin_num_credited: 0,
    });
    expect((await simulate(client, order.order_id, { status: 'finished' })).json()).toMatchObject({ status: 'finished', outcome: 'credited' });
    expect((await simulate(client, order.order_id, { status: 'finished' })).json()).toMatchObject({ outcome: 'unchanged' });
    const me = (await client.get('/api/users/is_logged_in')).json();
    expect(me.data.user_info.coin_num).toBe(60);
    const events = await t.db.selectFrom('payment_events').select(['source', 'outcome']).where('order_id', '=', order.order_id).execute();
    expect(events.map((e) => e.source)).toEqual(['ipn', 'ipn', 'ipn']);
  });

  it('simulates a partial payment with a chosen amount', async () => {
    const { client } = await registerViewer(t.app);
    const order = await recharge(client, 20);
    await simulate(client, order.order_id, { status: 'partially_paid', actually_paid: '7.25' });
    const status = (await client.get(`/api/payment/check_payment_status/${order.order_id}`)).json();
    expect(status).toMatchObject({ status: 'partially_paid', actually_paid: 7.25, coin_num_credited: 0 });
  });

  it.each([
    ['partially_paid', 10],
    ['waiting', 0],
    ['expired', 0],
    ['failed', 0],
    ['finished', 20],
  ])('without a chosen amount, a simulated %s pays %s of the 20 USDT asked', async (status, paid) => {
    const { client } = await registerViewer(t.app);
    const order = await recharge(client, 20);
    expect((await simulate(client, order.order_id, { status })).statusCode).toBe(200);
    const shown = (await client.get(`/api/payment/check_payment_status/${order.order_id}`)).json();
    expect(shown).toMatchObject({ status, actually_paid: paid });
  });

  it('accepts a chosen amount of 0 and refuses a negative or non-numeric one with invalid_amount', async () => {
    const { client } = await registerViewer(t.app);
    const order = await recharge(client, 20);
    for (const amount of ['-1', 'abc']) {
      const res = await simulate(client, order.order_id, { status: 'partially_paid', actually_paid: amount });
      expect([res.statusCode, res.json().error], amount).toEqual([400, 'invalid_amount']);
      expect(res.json().message, amount).toMatch(/amount/);
    }
    expect((await client.get(`/api/payment/check_payment_status/${order.order_id}`)).json()).toMatchObject({ status: 'waiting' });
    const nothing = await simulate(client, order.order_id, { status: 'partially_paid', actually_paid: '0' });
    expect(nothing.json()).toMatchObject({ code: 0, status: 'partially_paid', coin_num_credited: 0 });
    expect((await client.get(`/api/payment/check_payment_status/${order.order_id}`)).json()).toMatchObject({ actually_paid: 0 });
  });

  it('refuses to simulate a payment for an order that never got one (409) or an order that does not exist (404)', async () => {
    const { client, uid } = await registerViewer(t.app);
    const interruptedId = '5d2a8f4e-1b3c-4e6d-9a7b-0c1e2f3a4b5c';
    await insertInterruptedOrder(t, uid, interruptedId);
    const unpayable = await simulate(client, interruptedId, { status: 'finished' });
    expect([unpayable.statusCode, unpayable.json().error]).toEqual([409, 'order_not_payable']);
    expect(unpayable.json().message).toMatch(/no payment/);
    const unknown = await simulate(client, '00000000-0000-4000-8000-000000000000', { status: 'finished' });
    expect([unknown.statusCode, unknown.json().error]).toEqual([404, 'order_not_found']);
    expect(unknown.json().message).toMatch(/order/i);
    expect((await client.get('/api/users/is_logged_in')).json().data.user_info.coin_num).toBe(0);
  });

  it("only lets the owner simulate their order", async () => {
    const owner = await registerViewer(t.app);
    const order = await recharge(owner.client);
    const stranger = await registerViewer(t.app);
    const res = await simulate(stranger.client, order.order_id, { status: 'finished' });
    expect(res.statusCode).toBe(404);
    expect((await simulate(owner.client, order.order_id, { status: 'paid_twice' })).statusCode).toBe(400);
  });

  it('accepts real-looking IPNs signed with the derived secret and refuses others', async () => {
    const { client } = await registerViewer(t.app);
    const order = await recharge(client);
    const body = {
      payment_id: Number(order.payment_id),
      payment_status: 'finished',
      price_amount: 12,
      price_currency: 'usd',
      pay_amount: 12,
      actually_paid: 12,
      pay_currency: 'usdttrc20',
      order_id: order.order_id,
    };
    const post = (signature: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/payment/ipn',
        headers: { 'content-type': 'application/json', 'x-nowpayments-sig': signature },
        payload: JSON.stringify(body),
      });
    expect((await post(signIpnBody(body, 'guessed-secret'))).statusCode).toBe(401);
    expect((await post(signIpnBody(body, ipnSecretFor(t.config)))).json()).toEqual({ code: 0, outcome: 'credited' });
  });
});

describe('with NOWPayments configured', () => {
  it('has no simulate endpoint', async () => {
    const real = await createPaymentsTestApp();
    try {
      const { client } = await registerViewer(real.app);
      const res = await client.post('/api/payment/simulate/any-order', { status: 'finished' });
      expect(res.statusCode).toBe(404);
    } finally {
      await real.close();
    }
  });

  it('the service itself refuses to simulate a payment with NOWPayments configured, and nothing is credited', async () => {
    const real = await createPaymentsTestApp();
    try {
      const order = await startRecharge(real);
      const owner = { id: order.uid, username: 'owner', isAnchor: false };
      await expect(real.payments.simulate(owner, order.orderId, 'finished')).rejects.toMatchObject({ statusCode: 404, error: 'not_found' });
      expect(await balance(order.client)).toBe(0);
      expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'waiting', coin_num_credited: 0 });
    } finally {
      await real.close();
    }
  });
});
