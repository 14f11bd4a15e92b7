import { InsertQueryNode, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { signIpnBody } from '../../src/payments/ipn-signature.js';
import { runPaymentsCommand } from '../../src/payments/operator.js';
import {
  balance,
  createPaymentsTestApp,
  ipnBody,
  IPN_SECRET,
  ledgerProblems,
  orderStatus,
  postIpn,
  startRecharge,
  type PaymentsTestApp,
  type PaymentsTestOptions,
} from './helpers.js';

let t: PaymentsTestApp | undefined;

async function setup(options?: PaymentsTestOptions) {
  t = await createPaymentsTestApp(options);
  return t;
}

afterEach(async () => {
  if (!t) return;
  expect(await ledgerProblems(t)).toEqual([]);
  await t.close();
  t = undefined;
});

async function eventOutcomes(app: PaymentsTestApp, orderId: string) {
  const rows = await app.db.selectFrom('payment_events').select('outcome').where('order_id', '=', orderId).orderBy('id').execute();
  return rows.map((r) => r.outcome);
}

describe('IPN crediting', () => {
  it('credits the package once when the payment finishes', async () => {
    const app = await setup();
    const order = await startRecharge(app);
    const confirming = await postIpn(app, ipnBody(order, 'confirming'));
    expect(confirming.statusCode).toBe(200);
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'confirming', coin_num_credited: 0, coin_num: 0 });

    const finished = await postIpn(app, ipnBody(order, 'finished'));
    expect(finished.json()).toEqual({ code: 0, outcome: 'credited' });
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({
      status: 'finished',
      coin_num_credited: 100,
      coin_num: 100,
      actually_paid: order.payAmount,
    });
    expect(await balance(order.client)).toBe(100);
    expect(await eventOutcomes(app, order.orderId)).toEqual(['applied', 'credited']);
    const transfer = await app.db.selectFrom('ledger_transfers').selectAll().where('idempotency_key', '=', `recharge:${order.orderId}`).executeTakeFirstOrThrow();
    expect(transfer.type).toBe('recharge');
    expect(JSON.parse(transfer.metadata)).toMatchObject({ order_id: order.orderId });
  });

  it("puts the credit on the books with the provider's payment id, the price and the coin paid in", async () => {
    const app = await setup();
    const order = await startRecharge(app, 20);
    expect((await postIpn(app, ipnBody(order, 'finished'))).json().outcome).toBe('credited');
    const credits = await app.db.selectFrom('ledger_transfers').select('metadata').where('type', '=', 'recharge').execute();
    expect(credits.map((credit) => JSON.parse(credit.metadata))).toEqual([
      { order_id: order.orderId, payment_id: order.paymentId, price_amount: '20', pay_currency: 'usdttrc20' },
    ]);
  });

  it('a viewer who looked at their balance before paying sees the diamonds as soon as the IPN is answered', async () => {
    const app = await setup();
    const order = await startRecharge(app);
    expect(await balance(order.client)).toBe(0);
    expect((await postIpn(app, ipnBody(order, 'finished'))).json().outcome).toBe('credited');
    expect(await balance(order.client)).toBe(100);
  });

  it("shows operators each order with the provider's latest answer", async () => {
    const app = await setup();
    const order = await startRecharge(app);
    await postIpn(app, ipnBody(order, 'confirming'));
    await postIpn(app, ipnBody(order, 'finished'));
    expect(await app.payments.ordersForOperator({ limit: 10 })).toEqual([
      {
        order: expect.objectContaining({ id: order.orderId, status: 'finished', coinsCredited: 100 }),
        answer: expect.objectContaining({ source: 'ipn', status: 'finished', outcome: 'credited' }),
      },
    ]);
  });

  it('credits once when the same IPN arrives 20 times in a row', async () => {
    const app = await setup();
    const order = await startRecharge(app);
    const body = ipnBody(order, 'finished');
    for (let i = 0; i < 20; i += 1) expect((await postIpn(app, body)).statusCode).toBe(200);
    expect(await balance(order.client)).toBe(100);
    const outcomes = await eventOutcomes(app, order.orderId);
    expect(outcomes).toHaveLength(20);
    expect(outcomes.filter((o) => o === 'credited')).toHaveLength(1);
  });

  it('credits once when the same IPN arrives 20 times at once', async () => {
    const app = await setup();
    const order = await startRecharge(app);
    const body = ipnBody(order, 'finished');
    const answers = await Promise.all(Array.from({ length: 20 }, () => postIpn(app, body)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(20).fill(200));
    expect(answers.filter((a) => a.json().outcome === 'credited')).toHaveLength(1);
    expect(await balance(order.client)).toBe(100);
  });

  it('never moves a status backwards: a late confirming after finished changes nothing', async () => {
    const app = await setup();
    const order = await startRecharge(app);
    await postIpn(app, ipnBody(order, 'finished'));
    for (const status of ['confirming', 'waiting', 'confirmed', 'sending', 'failed', 'expired']) {
      const res = await postIpn(app, ipnBody(order, status));
      expect(res.json().outcome).toBe('unchanged');
    }
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'finished', coin_num_credited: 100 });
    expect(await balance(order.client)).toBe(100);
  });

  it('applies out-of-order intermediate statuses forward only', async () => {
    const app = await setup();
    const order = await startRecharge(app);
    await postIpn(app, ipnBody(order, 'confirmed'));
    expect((await postIpn(app, ipnBody(order, 'confirming'))).json().outcome).toBe('unchanged');
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'confirmed', coin_num_credited: 0 });
    await postIpn(app, ipnBody(order, 'finished'));
    expect(await balance(order.client)).toBe(100);
  });

  it('with CREDIT_ON=confirmed credits at confirmed, and only once', async () => {
    const app = await setup({ payments: { creditOn: 'confirmed' } });
    const order = await startRecharge(app);
    expect((await postIpn(app, ipnBody(order, 'confirmed'))).json().outcome).toBe('credited');
    expect((await postIpn(app, ipnBody(order, 'finished'))).json().outcome).toBe('applied');
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'finished', coin_num_credited: 100 });
    expect(await balance(order.client)).toBe(100);
  });

  it('with CREDIT_ON=confirmed credits an order that jumps straight to sending, and only once', async () => {
    const app = await setup({ payments: { creditOn: 'confirmed' } });
    const order = await startRecharge(app);
    expect((await postIpn(app, ipnBody(order, 'sending'))).json().outcome).toBe('credited');
    expect((await postIpn(app, ipnBody(order, 'finished'))).json().outcome).toBe('applied');
    expect(await balance(order.client)).toBe(100);
  });

  it('credits nothing before finished with the default CREDIT_ON, even at sending', async () => {
    const app = await setup();
    const order = await startRecharge(app);
    expect((await postIpn(app, ipnBody(order, 'sending'))).json().outcome).toBe('applied');
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'sending', coin_num_credited: 0 });
    expect(await balance(order.client)).toBe(0);
  });

  it.each(['failed', 'refunded'])('credits nothing for a finished that arrives after %s', async (status) => {
    const app = await setup();
    const order = await startRecharge(app);
    expect((await postIpn(app, ipnBody(order, status))).json().outcome).toBe('applied');
    expect((await postIpn(app, ipnBody(order, 'finished'))).json().outcome).toBe('unchanged');
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status, coin_num_credited: 0 });
    expect(await balance(order.client)).toBe(0);
  });

  it('matches payment_id given as a number or a string, and amounts given as strings', async () => {
    const app = await setup();
    const order = await startRecharge(app);
    const res = await postIpn(
      app,
      ipnBody(order, 'finished', { payment_id: order.paymentId, price_amount: `${order.priceAmount}.00`, pay_amount: String(order.payAmount) }),
    );
    expect(res.json().outcome).toBe('credited');
  });
});

describe('IPN refusals', () => {
  it('refuses a bad or missing signature with 401 and changes nothing', async () => {
    const app = await setup();
    const order = await startRecharge(app);
    const body = ipnBody(order, 'finished');
    const wrongSecret = await postIpn(app, body, signIpnBody(body, 'not-the-secret'));
    expect(wrongSecret.statusCode).toBe(401);
    expect(wrongSecret.json()).toMatchObject({ code: 1, error: 'invalid_signature' });
    expect((await postIpn(app, body, 'deadbeef')).statusCode).toBe(401);
    const unsigned = await app.app.inject({ method: 'POST', url: '/api/payment/ipn', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    expect(unsigned.statusCode).toBe(401);
    expect(await balance(order.client)).toBe(0);
    expect(await eventOutcomes(app, order.orderId)).toEqual([]);
  });

  it('refuses a body tampered after signing', async () => {
    const app = await setup();
    const order = await startRecharge(app);
    const body = ipnBody(order, 'partially_paid');
    const signature = signIpnBody(body, IPN_SECRET);
    const res = await postIpn(app, { ...body, payment_status: 'finished' }, signature);
    expect(res.statusCode).toBe(401);
    expect(await balance(order.client)).toBe(0);
  });

  it('accepts a signed body with nested fee and extra fields, refuses it with a nested value changed', async () => {
    const app = await setup();
    const order = await startRecharge(app);
    const body = ipnBody(order, 'finished', {
      payment_extra_ids: [{ id: 2, currency: 'usdttrc20' }],
      fee: { serviceFee: 0.05, currency: 'usdttrc20', depositFee: 0.1, withdrawalFee: 0 },
    });
    const signature = signIpnBody(body, IPN_SECRET);
    const tampered = await postIpn(app, { ...body, fee: { ...body.fee, depositFee: 0 } }, signature);
    expect(tampered.statusCode).toBe(401);
    expect(await balance(order.client)).toBe(0);
    // Key order in the received text is irrelevant: the signature covers the key-sorted JSON.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const accepted = await postIpn(app, reordered, signature);
    expect(accepted.json()).toEqual({ code: 0, outcome: 'credited' });
  });

  it('rejects a signed IPN whose amount or currency differ from the order, and logs it for operators', async () => {
    const app = await setup();
    const order = await startRecharge(app);
    const cheap = await postIpn(app, ipnBody(order, 'finished', { price_amount: 12 }));
    expect(cheap.statusCode).toBe(400);
    expect(cheap.json().error).toBe('ipn_mismatch');
    const otherCoin = await postIpn(app, ipnBody(order, 'finished', { pay_currency: 'trx' }));
    expect(otherCoin.statusCode).toBe(400);
    const otherPayment = await postIpn(app, ipnBody(order, 'finished', { payment_id: 1234567 }));
    expect(otherPayment.statusCode).toBe(400);
    expect(await balance(order.client)).toBe(0);
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'waiting' });
    expect(await eventOutcomes(app, order.orderId)).toEqual(['mismatch', 'mismatch', 'mismatch']);
    const unmatched = await app.payments.unmatchedPayments();
    expect(unmatched.map((u) => u.reason)).toEqual(['mismatch', 'mismatch']);
  });

  it('a signed IPN in another price currency credits nothing', async () => {
    const app = await setup();
    const order = await startRecharge(app);
    const res = await postIpn(app, ipnBody(order, 'finished', { price_currency: 'eur' }));
    expect([res.statusCode, res.json().error]).toEqual([400, 'ipn_mismatch']);
    expect(await balance(order.client)).toBe(0);
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'waiting', coin_num_credited: 0 });
  });

  it('a signed IPN without the price credits nothing', async () => {
    const app = await setup();
    const order = await startRecharge(app);
    const res = await postIpn(app, ipnBody(order, 'finished', { price_amount: null }));
    expect([res.statusCode, res.json().error]).toEqual([400, 'ipn_mismatch']);
    expect(await balance(order.client)).toBe(0);
  });

  it('rejects an IPN for an unknown order with 404 and lists it for operators under `payments unmatched`', async () => {
    const app = await setup();
    const order = await startRecharge(app);
    const res = await postIpn(app, ipnBody(order, 'finished', { order_id: '00000000-0000-4000-8000-000000000000', payment_id: 99 }));
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe('unknown_order');
    expect(await balance(order.client)).toBe(0);
    const lines: string[] = [];
    expect(await runPaymentsCommand(['unmatched'], app.payments, (line) => lines.push(line))).toBe(0);
    expect(lines[0]).toBe('Unmatched payments: 1');
    expect(lines.join('\n')).toMatch(/payment 99 {2}unknown_order {2}status=finished/);
  });

  it('refuses a correct signature with anything but whitespace around its 128 hex digits with 401, not 500', async () => {
    const app = await setup();
    const order = await startRecharge(app);
    const body = ipnBody(order, 'finished');
    const signature = signIpnBody(body, IPN_SECRET);
    for (const junk of [`zz${signature}`, `${signature}zz`, `${signature}${signature}`, `sha512=${signature}`]) {
      const res = await postIpn(app, body, junk);
      expect([res.statusCode, res.json().error], junk).toEqual([401, 'invalid_signature']);
    }
    expect(await balance(order.client)).toBe(0);
    expect(await eventOutcomes(app, order.orderId)).toEqual([]);
  });

  it('refuses a signed IPN nested too deeply, or carrying a NUL character, with a 400 that says why; nothing credited, nothing recorded', async () => {
    const app = await setup();
    const order = await startRecharge(app);
    // Twelve levels: deeper than any callback NOWPayments sends, well below the generic input bound.
    let deep: Record<string, unknown> = { depositFee: 0.1 };
    for (let level = 0; level < 12; level += 1) deep = { inner: deep };
    const nested = await postIpn(app, ipnBody(order, 'finished', { fee: deep }));
    expect([nested.statusCode, nested.json().error]).toEqual([400, 'invalid_ipn']);
    expect(nested.json().message).toMatch(/nested/i);
    const withNul = await postIpn(app, ipnBody(order, 'finished', { order_description: 'Pecktra\u0000Live' }));
    expect([withNul.statusCode, withNul.json().error]).toEqual([400, 'invalid_ipn']);
    expect(withNul.json().message).toMatch(/NUL/);
    expect(await balance(order.client)).toBe(0);
    expect(await eventOutcomes(app, order.orderId)).toEqual([]);
    expect(await app.payments.unmatchedPayments()).toEqual([]);
  });

  it.each(['payment_id', 'payment_status'])('refuses a signed IPN without %s with 400; nothing credited, nothing recorded', async (field) => {
    const app = await setup();
    const order = await startRecharge(app);
    const body: Record<string, unknown> = ipnBody(order, 'finished');
    delete body[field];
    const res = await postIpn(app, body);
    expect([res.statusCode, res.json().error]).toEqual([400, 'invalid_ipn']);
    expect(await balance(order.client)).toBe(0);
    expect(await eventOutcomes(app, order.orderId)).toEqual([]);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const app = await setup();
    const res = await app.app.inject({ method: 'POST', url: '/api/payment/ipn', headers: { 'content-type': 'application/json', 'x-nowpayments-sig': 'ab' }, payload: '{"payment_id":' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('invalid_json');
  });
});

describe('provider edge cases', () => {
  it('credits a payment that finishes after the order expired locally', async () => {
    const app = await setup();
    const order = await startRecharge(app);
    app.clock.now += 25 * 3600 * 1000;
    expect((await app.payments.reconcile()).expired).toBe(1);
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'expired' });
    // A provider "waiting" does not revive it; real money does.
    expect((await postIpn(app, ipnBody(order, 'waiting'))).json().outcome).toBe('unchanged');
    expect((await postIpn(app, ipnBody(order, 'finished'))).json().outcome).toBe('credited');
    expect((await postIpn(app, ipnBody(order, 'finished'))).json().outcome).toBe('unchanged');
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'finished', coin_num_credited: 100 });
    expect(await balance(order.client)).toBe(100);
  });

  it('credits a confirmed payment after local expiry with CREDIT_ON=confirmed', async () => {
    const app = await setup({ payments: { creditOn: 'confirmed' } });
    const order = await startRecharge(app);
    app.clock.now += 25 * 3600 * 1000;
    await app.payments.reconcile();
    expect((await postIpn(app, ipnBody(order, 'confirmed'))).json().outcome).toBe('credited');
    expect(await balance(order.client)).toBe(100);
  });

  it("keeps the provider's own expiry final", async () => {
    const app = await setup();
    const order = await startRecharge(app);
    await postIpn(app, ipnBody(order, 'expired'));
    expect((await postIpn(app, ipnBody(order, 'finished'))).json().outcome).toBe('unchanged');
    expect(await balance(order.client)).toBe(0);
  });

  it('records a re-deposit with parent_payment_id, answers 200 and credits nothing', async () => {
    const app = await setup();
    const order = await startRecharge(app);
    await postIpn(app, ipnBody(order, 'finished'));
    const redeposit = ipnBody(order, 'finished', { payment_id: 5077125051, parent_payment_id: Number(order.paymentId), actually_paid: 5 });
    for (let i = 0; i < 3; i += 1) {
      const res = await postIpn(app, redeposit);
      expect(res.statusCode).toBe(200);
      expect(res.json().outcome).toBe('re_deposit');
    }
    const reusedUnknownOrder = ipnBody(order, 'finished', { payment_id: 5077125052, parent_payment_id: 42, order_id: null });
    expect((await postIpn(app, reusedUnknownOrder)).statusCode).toBe(200);
    expect(await balance(order.client)).toBe(100);
    const unmatched = await app.payments.unmatchedPayments();
    expect(unmatched).toMatchObject([
      { paymentId: '5077125051', parentPaymentId: order.paymentId, reason: 're_deposit', actuallyPaid: '5', orderId: order.orderId },
      { paymentId: '5077125052', parentPaymentId: '42', reason: 're_deposit', orderId: null },
    ]);
  });

  it('a repeated status bringing a larger amount paid updates what the order shows as paid', async () => {
    const app = await setup();
    const order = await startRecharge(app);
    await postIpn(app, ipnBody(order, 'confirming', { actually_paid: order.payAmount / 2 }));
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'confirming', actually_paid: order.payAmount / 2 });
    await postIpn(app, ipnBody(order, 'confirming', { actually_paid: order.payAmount }));
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'confirming', actually_paid: order.payAmount, coin_num_credited: 0 });
  });

  it('a report without the amount paid keeps the amount the order already recorded', async () => {
    const app = await setup();
    const order = await startRecharge(app);
    await postIpn(app, ipnBody(order, 'confirming', { actually_paid: 10.5 }));
    await postIpn(app, ipnBody(order, 'confirmed', { actually_paid: null }));
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'confirmed', actually_paid: 10.5 });
  });

  it('keeps partially_paid final, shows actually_paid, and credits nothing by itself', async () => {
    const app = await setup();
    const order = await startRecharge(app);
    await postIpn(app, ipnBody(order, 'partially_paid', { actually_paid: 10.5 }));
    await postIpn(app, ipnBody(order, 'finished'));
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({
      status: 'partially_paid',
      actually_paid: 10.5,
      coin_num_credited: 0,
    });
    expect(await balance(order.client)).toBe(0);
    expect((await app.payments.partiallyPaidAwaitingDecision()).map((o) => o.id)).toEqual([order.orderId]);
  });
});

/** Holds every query result while closed: a database that has stopped answering. */
class StalledDatabase implements KyselyPlugin {
  stalled = 0;
  private closed = false;
  private waiting: Array<() => void> = [];

  transformQuery(args: PluginTransformQueryArgs) {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs) {
    if (this.closed) {
      this.stalled += 1;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    return args.result;
  }

  stall() {
    this.closed = true;
  }

  resume() {
    this.closed = false;
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

describe('IPN response time', () => {
  it('answers before a stalled database does, and the resent IPN credits exactly once', async () => {
    const database = new StalledDatabase();
    const app = await setup({ dbPlugin: database, ipnDeadlineMs: 100 });
    const order = await startRecharge(app);
    const body = ipnBody(order, 'finished');

    database.stall();
    try {
      const res = await postIpn(app, body);
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 1, error: 'ipn_processing_delayed' });
      // The crediting transaction is still stuck on the database after the reply went out.
      await expect.poll(() => database.stalled).toBeGreaterThan(0);
    } finally {
      database.resume();
    }

    await expect.poll(() => balance(order.client)).toBe(100);
    const resent = await postIpn(app, body);
    expect(resent.json()).toEqual({ code: 0, outcome: 'unchanged' });
    expect(await balance(order.client)).toBe(100);
  });
});

/** Fails the first ledger entry insert once with a serialization failure, as PostgreSQL may under load. */
class OneSerializationFailure implements KyselyPlugin {
  failed = 0;

  transformQuery(args: PluginTransformQueryArgs) {
    const node = args.node;
    if (this.failed === 0 && InsertQueryNode.is(node) && node.into?.table.identifier.name === 'ledger_entries') {
      this.failed += 1;
      throw Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' });
    }
    return node;
  }

  async transformResult(args: PluginTransformResultArgs) {
    return args.result;
  }
}

describe('IPN under a database conflict', () => {
  it('re-runs the whole crediting after a serialization failure: credited exactly once, recorded once', async () => {
    const conflict = new OneSerializationFailure();
    const app = await setup({ dbPlugin: conflict });
    const order = await startRecharge(app);
    const res = await postIpn(app, ipnBody(order, 'finished'));
    expect(conflict.failed).toBe(1);
    expect(res.json()).toEqual({ code: 0, outcome: 'credited' });
    expect(await balance(order.client)).toBe(100);
    expect(await eventOutcomes(app, order.orderId)).toEqual(['credited']);
    const credits = await app.db.selectFrom('ledger_transfers').select('id').where('type', '=', 'recharge').execute();
    expect(credits).toHaveLength(1);
  });
});
