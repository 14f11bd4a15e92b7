import pino from 'pino';
import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalClusterLock, PostgresClusterLock, RedisClusterLock, type ClusterLock } from '../../src/infra/cluster-lock.js';
import { reconciliationJob } from '../../src/payments/reconciliation.js';
import { SimulatedProvider } from '../../src/payments/simulated.js';
import { dialectUnderTest } from '../helpers/app.js';
import { registerViewer } from '../helpers/client.js';
import { balance, createPaymentsTestApp, insertInterruptedOrder, ipnBody, ledgerProblems, orderStatus, postIpn, startRecharge, type PaymentsTestApp } from './helpers.js';

const MINUTE = 60_000;
const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? '';
let t: PaymentsTestApp | undefined;

afterEach(async () => {
  if (!t) return;
  expect(t.fake.problems).toEqual([]);
  expect(await ledgerProblems(t)).toEqual([]);
  await t.close();
  t = undefined;
});

function statusPolls(app: PaymentsTestApp) {
  return app.fake.requests.filter((r) => r.method === 'GET');
}

describe('reconciliation', () => {
  it('credits an order whose IPN never came, once it is two minutes old', async () => {
    t = await createPaymentsTestApp();
    const order = await startRecharge(t);
    t.fake.setStatus(order.paymentId, 'finished', order.payAmount);

    t.clock.now += MINUTE;
    expect(await t.payments.reconcile()).toMatchObject({ checked: 0 });
    t.clock.now += MINUTE + 1;
    expect(await t.payments.reconcile()).toMatchObject({ checked: 1, changed: 1, failures: 0 });
    expect(statusPolls(t).map((r) => r.path)).toEqual([`/v1/payment/${order.paymentId}`]);
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'finished', coin_num_credited: 100 });
    expect(await balance(order.client)).toBe(100);

    // A final order is not polled again, and a late IPN does not credit twice.
    t.clock.now += 60 * MINUTE;
    expect(await t.payments.reconcile()).toMatchObject({ checked: 0 });
    const events = await t.db.selectFrom('payment_events').select(['source', 'outcome']).where('order_id', '=', order.orderId).execute();
    expect(events).toEqual([{ source: 'reconcile', outcome: 'credited' }]);
  });

  it('backs off between polls and survives provider errors', async () => {
    t = await createPaymentsTestApp();
    const order = await startRecharge(t);
    t.clock.now += 3 * MINUTE;
    t.fake.mode = 'server_error';
    expect(await t.payments.reconcile()).toMatchObject({ checked: 1, failures: 1 });
    expect(await t.payments.reconcile()).toMatchObject({ checked: 0 });
    t.clock.now += 4 * MINUTE;
    t.fake.mode = 'ok';
    expect(await t.payments.reconcile()).toMatchObject({ checked: 1, failures: 0, changed: 0 });
    t.clock.now += 4 * MINUTE;
    expect(await t.payments.reconcile()).toMatchObject({ checked: 0 });
    t.fake.setStatus(order.paymentId, 'confirming');
    t.clock.now += 4 * MINUTE;
    expect(await t.payments.reconcile()).toMatchObject({ checked: 1, changed: 1 });
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'confirming' });
  });

  it('keeps in the order’s provider log every callback, but only the polls that told something', async () => {
    t = await createPaymentsTestApp();
    const order = await startRecharge(t);
    const log = async () =>
      (await t!.db.selectFrom('payment_events').select(['source', 'status', 'outcome']).where('order_id', '=', order.orderId).orderBy('id').execute()).map(
        (event) => `${event.source} ${event.status} ${event.outcome}`,
      );
    t.clock.now += 3 * MINUTE;
    expect(await t.payments.reconcile()).toMatchObject({ checked: 1, changed: 0 });
    expect(await log()).toEqual([]);
    expect((await postIpn(t, ipnBody(order, 'waiting'))).statusCode).toBe(200);
    expect(await log()).toEqual(['ipn waiting unchanged']);
    t.fake.setStatus(order.paymentId, 'confirming');
    t.clock.now += 5 * MINUTE;
    expect(await t.payments.reconcile()).toMatchObject({ checked: 1, changed: 1 });
    expect(await log()).toEqual(['ipn waiting unchanged', 'reconcile confirming applied']);
  });

  it('counts a poll the provider had nothing to say about as checked, not failed (the simulated provider before any callback)', async () => {
    t = await createPaymentsTestApp({ provider: new SimulatedProvider() });
    const order = await startRecharge(t);
    t.clock.now += 3 * MINUTE;
    expect(await t.payments.reconcile()).toMatchObject({ checked: 1, changed: 0, failures: 0 });
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'waiting', coin_num_credited: 0 });
  });

  it('expires unpaid orders after ORDER_TTL_HOURS and frees their open-order slot', async () => {
    t = await createPaymentsTestApp({ payments: { orderTtlHours: 2, maxOpenOrders: 1 } });
    const viewer = await registerViewer(t.app);
    const order = await startRecharge(t, 12, viewer);
    expect((await viewer.client.post('/api/payment/process_recharge', { crypto_amount: 12 })).statusCode).toBe(429);
    t.clock.now += 2 * 60 * MINUTE - 1;
    expect(await t.payments.reconcile()).toMatchObject({ expired: 0 });
    t.clock.now += 1;
    expect(await t.payments.reconcile()).toMatchObject({ expired: 1 });
    expect(await orderStatus(viewer.client, order.orderId)).toMatchObject({ status: 'expired', coin_num_credited: 0 });
    expect((await viewer.client.post('/api/payment/process_recharge', { crypto_amount: 12 })).statusCode).toBe(200);
  });

  it('fails an order whose creation was interrupted, freeing its open-order slot', async () => {
    t = await createPaymentsTestApp({ payments: { maxOpenOrders: 1 } });
    const viewer = await registerViewer(t.app);
    // What a process killed during the provider call leaves behind.
    await insertInterruptedOrder(t, viewer.uid, '3f1c1e0e-8a40-4c53-9d55-0d6e4b7e8a11');
    expect((await viewer.client.post('/api/payment/process_recharge', { crypto_amount: 12 })).statusCode).toBe(429);
    t.clock.now += MINUTE;
    expect(await t.payments.reconcile()).toMatchObject({ interrupted: 0 });
    t.clock.now += MINUTE;
    expect(await t.payments.reconcile()).toMatchObject({ interrupted: 1 });
    expect(await orderStatus(viewer.client, '3f1c1e0e-8a40-4c53-9d55-0d6e4b7e8a11')).toMatchObject({ status: 'failed' });
    expect((await viewer.client.post('/api/payment/process_recharge', { crypto_amount: 12 })).statusCode).toBe(200);
  });

  it('still polls a locally expired order and credits a late payment', async () => {
    t = await createPaymentsTestApp();
    const order = await startRecharge(t);
    t.clock.now += 25 * 60 * MINUTE;
    await t.payments.reconcile();
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'expired' });
    t.fake.setStatus(order.paymentId, 'finished', order.payAmount);
    t.clock.now += 2 * 60 * MINUTE;
    await t.payments.reconcile();
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'finished', coin_num_credited: 100 });
  });
});

describe('one reconciliation pass at a time', () => {
  async function expectExclusive(app: PaymentsTestApp, first: ClusterLock, second: ClusterLock) {
    await startRecharge(app);
    app.clock.now += 3 * MINUTE;
    // The provider hangs (until the client's timeout), so the first pass is still running.
    app.fake.mode = 'hang';
    const logger = pino({ level: 'silent' });
    const a = reconciliationJob(app.payments, first, { intervalMs: 60_000, logger });
    const b = reconciliationJob(app.payments, second, { intervalMs: 60_000, logger });
    const running = a.runOnce();
    await expect.poll(() => statusPolls(app).length).toBe(1);
    expect(await b.runOnce()).toBeUndefined();
    expect(await running).toMatchObject({ checked: 1, failures: 1 });
    app.clock.now += 10 * MINUTE;
    app.fake.mode = 'ok';
    expect(await b.runOnce()).toMatchObject({ checked: 1 });
  }

  it('in one process', async () => {
    t = await createPaymentsTestApp({ payments: { providerTimeoutMs: 2000 } });
    const lock = new LocalClusterLock();
    await expectExclusive(t, lock, lock);
  });

  it.runIf(dialectUnderTest === 'postgres')('across instances with a PostgreSQL advisory lock', async () => {
    t = await createPaymentsTestApp({ payments: { providerTimeoutMs: 2000 } });
    await expectExclusive(t, new PostgresClusterLock(t.db), new PostgresClusterLock(t.db));
  });

  it.runIf(TEST_REDIS_URL !== '')('across instances with a Redis lock', async () => {
    t = await createPaymentsTestApp({ payments: { providerTimeoutMs: 2000 } });
    const redis = createClient({ url: TEST_REDIS_URL });
    await redis.connect();
    const prefix = `test:${process.pid}:${Date.now()}:`;
    try {
      await expectExclusive(t, new RedisClusterLock(redis, prefix), new RedisClusterLock(redis, prefix));
      expect(await redis.exists(`${prefix}lock:payments:reconcile`)).toBe(0);
    } finally {
      await redis.quit();
    }
  });
});
