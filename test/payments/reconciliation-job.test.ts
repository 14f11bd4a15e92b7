/**
 * The reconciliation job on its timer, with the payments' clock injected (it stands still unless the
 * test moves it) and the fake NOWPayments as the provider: nobody calls reconcile() by hand here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { recordingLogger } from '../helpers/log.js';
import { LocalClusterLock } from '../../src/infra/cluster-lock.js';
import type { PeriodicJob } from '../../src/infra/periodic-job.js';
import { reconciliationJob } from '../../src/payments/reconciliation.js';
import type { ReconcileSummary } from '../../src/payments/service.js';
import { registerViewer } from '../helpers/client.js';
import { balance, createPaymentsTestApp, insertInterruptedOrder, ledgerProblems, orderStatus, startRecharge, type PaymentsTestApp } from './helpers.js';

const MINUTE = 60_000;
const TICK_MS = 25;
let t: PaymentsTestApp | undefined;
let job: PeriodicJob<ReconcileSummary> | undefined;

afterEach(async () => {
  await job?.stop();
  job = undefined;
  if (!t) return;
  expect(t.fake.problems).toEqual([]);
  expect(await ledgerProblems(t)).toEqual([]);
  await t.close();
  t = undefined;
});

/** The job every TICK_MS, logging into `logged`. */
function startJob(app: PaymentsTestApp) {
  const { logger, lines: logged } = recordingLogger<{ level: number; msg: string; interrupted?: number; expired?: number; changed?: number; failures?: number }>();
  job = reconciliationJob(app.payments, new LocalClusterLock(), { intervalMs: TICK_MS, logger });
  job.start();
  return logged;
}

const polls = (app: PaymentsTestApp) => app.fake.requests.filter((r) => r.method === 'GET').length;

describe('reconciliation on its timer', () => {
  it('credits a payment whose IPN was lost, by itself, once the order is two minutes old', async () => {
    t = await createPaymentsTestApp();
    const order = await startRecharge(t);
    t.fake.setStatus(order.paymentId, 'finished', order.payAmount);
    const logged = startJob(t);

    // Passes run, but a young order is left to its IPN.
    await new Promise((resolve) => setTimeout(resolve, 10 * TICK_MS));
    expect(polls(t)).toBe(0);
    t.clock.now += 2 * MINUTE;
    await expect.poll(() => balance(order.client)).toBe(100);
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'finished', coin_num_credited: 100 });
    await expect.poll(() => logged.filter((line) => line.changed === 1)).toHaveLength(1);
    expect(logged[0]).toMatchObject({ msg: 'payments:reconcile pass', checked: 1, changed: 1, failures: 0 });
    // A finished order is not polled again.
    const after = polls(t);
    t.clock.now += 60 * MINUTE;
    await new Promise((resolve) => setTimeout(resolve, 10 * TICK_MS));
    expect(polls(t)).toBe(after);
    expect(await balance(order.client)).toBe(100);
  });

  it('rides out a provider outage: logs the failed poll, backs off, and credits once the provider is back', async () => {
    t = await createPaymentsTestApp();
    const order = await startRecharge(t);
    t.fake.mode = 'server_error';
    t.clock.now += 3 * MINUTE;
    const logged = startJob(t);

    await expect.poll(() => logged.filter((line) => line.failures === 1)).toHaveLength(1);
    // Backoff: while the clock stands still, the many passes that follow do not poll the order again.
    await new Promise((resolve) => setTimeout(resolve, 10 * TICK_MS));
    expect(polls(t)).toBe(1);

    t.fake.mode = 'ok';
    t.fake.setStatus(order.paymentId, 'finished', order.payAmount);
    // The next poll is due four minutes after the failed one.
    t.clock.now += 4 * MINUTE;
    await expect.poll(() => balance(order.client)).toBe(100);
    expect(polls(t)).toBe(2);
  });

  it('logs a pass that only failed an interrupted order, and one that only expired an unpaid order', async () => {
    t = await createPaymentsTestApp();
    const viewer = await registerViewer(t.app);
    // What a process killed during the provider call leaves behind.
    const interruptedId = '0b7e5a0c-2f55-4f0e-9a3c-6d1f2e8b9c10';
    await insertInterruptedOrder(t, viewer.uid, interruptedId);
    const logged = startJob(t);

    t.clock.now += 2 * MINUTE;
    await expect.poll(() => logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ msg: 'payments:reconcile pass', interrupted: 1, expired: 0, changed: 0, failures: 0 });
    expect(await orderStatus(viewer.client, interruptedId)).toMatchObject({ status: 'failed' });

    const unpaid = await startRecharge(t, 20, viewer);
    t.clock.now += 24 * 60 * MINUTE;
    await expect.poll(() => logged).toHaveLength(2);
    expect(logged[1]).toMatchObject({ msg: 'payments:reconcile pass', interrupted: 0, expired: 1, changed: 0, failures: 0 });
    expect(await orderStatus(viewer.client, unpaid.orderId)).toMatchObject({ status: 'expired', coin_num_credited: 0 });
  });

  it('runs no pass after stop()', async () => {
    t = await createPaymentsTestApp();
    const order = await startRecharge(t);
    startJob(t);
    await job!.stop();
    t.fake.setStatus(order.paymentId, 'finished', order.payAmount);
    t.clock.now += 3 * MINUTE;
    await new Promise((resolve) => setTimeout(resolve, 10 * TICK_MS));
    expect(polls(t)).toBe(0);
    expect(await balance(order.client)).toBe(0);
  });
});
