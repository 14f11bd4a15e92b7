/**
 * What the payments tell others besides the ledger: the balance change announced to the payer's
 * screens (and balance caches) after a credit, and only then, and the warnings an operator reads
 * when a report matches no order or a status poll fails. A second payments service on the test
 * app's database, with a recording event bus and logger, plays another instance (so balances are
 * read from the ledger: the app's own balance cache never hears this bus).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordingLogger } from '../helpers/log.js';
import { signIpnBody } from '../../src/payments/ipn-signature.js';
import { createPaymentsService } from '../../src/payments/factory.js';
import type { PaymentsService } from '../../src/payments/service.js';
import type { DomainEvent } from '../../src/realtime/index.js';
import { MemoryEventBus } from '../../src/realtime/memory-event-bus.js';
import { walletBalance } from '../../src/wallet/index.js';
import { createPaymentsTestApp, IPN_SECRET, ipnBody, ledgerProblems, postIpn, startRecharge, type PaymentsTestApp } from './helpers.js';

const MINUTE = 60_000;
const WARN = 40;

let t: PaymentsTestApp;
let service: PaymentsService;
let events: DomainEvent[];
let logged: Array<Record<string, unknown> & { level: number; msg: string }>;

beforeEach(async () => {
  t = await createPaymentsTestApp();
  events = [];
  const recorded = recordingLogger<Record<string, unknown> & { level: number; msg: string }>();
  logged = recorded.lines;
  const eventBus = new MemoryEventBus();
  eventBus.subscribe((event) => events.push(event));
  service = createPaymentsService({ config: t.config, db: t.db, logger: recorded.logger, clock: () => t.clock.now, eventBus });
});

afterEach(async () => {
  expect(t.fake.problems).toEqual([]);
  expect(await ledgerProblems(t)).toEqual([]);
  await t.close();
});

const announced = () => events.filter((event) => event.type === 'balance_changed').map((event) => event.data.uid);
const warnings = () => logged.filter((line) => line.level === WARN);

describe('balance announcements', () => {
  it('announce a credited recharge to its payer once, and nothing for news that credited nothing', async () => {
    const order = await startRecharge(t);
    t.fake.setStatus(order.paymentId, 'confirming');
    t.clock.now += 3 * MINUTE;
    expect(await service.reconcile()).toMatchObject({ checked: 1, changed: 1 });
    expect(announced()).toEqual([]);

    t.fake.setStatus(order.paymentId, 'finished', order.payAmount);
    t.clock.now += 10 * MINUTE;
    expect(await service.reconcile()).toMatchObject({ checked: 1, changed: 1 });
    expect(await walletBalance(t.db, order.uid)).toBe(100);
    expect(announced()).toEqual([order.uid]);
  });

  it('announce an operator’s partial credit once; crediting the order again announces nothing', async () => {
    const order = await startRecharge(t, 20);
    await postIpn(t, ipnBody(order, 'partially_paid', { actually_paid: 7.9 }));
    expect(await service.creditPartial(order.orderId)).toMatchObject({ applied: true, coins: 39 });
    expect(announced()).toEqual([order.uid]);
    expect(await service.creditPartial(order.orderId)).toMatchObject({ applied: false, coins: 39 });
    expect(announced()).toEqual([order.uid]);
    expect(await walletBalance(t.db, order.uid)).toBe(39);
  });
});

describe('warnings for operators', () => {
  it('name the order, payment, status and outcome of a signed report that matches no order', async () => {
    const order = await startRecharge(t);
    const body = ipnBody(order, 'finished', { order_id: 'no-such-order', payment_id: 5100000002 });
    await expect(service.receiveIpn(JSON.stringify(body), signIpnBody(body, IPN_SECRET))).rejects.toMatchObject({ statusCode: 404 });
    expect(warnings()).toEqual([
      expect.objectContaining({
        msg: 'payment report not matched to an order',
        order_id: 'no-such-order',
        payment_id: '5100000002',
        status: 'finished',
        outcome: 'unknown_order',
      }),
    ]);
    expect(await walletBalance(t.db, order.uid)).toBe(0);
  });

  it('name the order and the error of a status poll that failed', async () => {
    const order = await startRecharge(t);
    t.fake.mode = 'server_error';
    t.clock.now += 3 * MINUTE;
    expect(await service.reconcile()).toMatchObject({ checked: 1, failures: 1 });
    expect(warnings()).toEqual([
      expect.objectContaining({
        msg: 'payment status poll failed; will retry',
        order_id: order.orderId,
        err: expect.objectContaining({ type: 'ProviderUnavailableError' }),
      }),
    ]);
  });
});
