import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPaymentsService } from '../../src/payments/factory.js';
import { runPaymentsCommand } from '../../src/payments/operator.js';
import { balance, createPaymentsTestApp, ipnBody, ledgerProblems, orderStatus, postIpn, startRecharge, type PaymentsTestApp } from './helpers.js';

let t: PaymentsTestApp;

beforeEach(async () => {
  t = await createPaymentsTestApp();
});

afterEach(async () => {
  expect(await ledgerProblems(t)).toEqual([]);
  await t.close();
});

async function run(...args: string[]) {
  const lines: string[] = [];
  const code = await runPaymentsCommand(args, t.payments, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

describe('npm run payments', () => {
  it('credit-partial credits a partially paid order pro rata, exactly once', async () => {
    const order = await startRecharge(t, 20);
    // 7.9 of 19.91638 USDT arrived: 39.66 diamonds' worth, rounded down.
    expect(order.payAmount).toBe(19.91638);
    await postIpn(t, ipnBody(order, 'partially_paid', { actually_paid: 7.9 }));

    const listed = await run('unmatched');
    expect(listed.output).toContain(`order ${order.orderId}`);
    expect(listed.output).toContain('pro_rata=39/100');

    const first = await run('credit-partial', order.orderId);
    expect(first).toEqual({ code: 0, output: `Credited 39 diamonds for order ${order.orderId}` });
    const second = await run('credit-partial', order.orderId);
    expect(second.code).toBe(0);
    expect(second.output).toContain('already credited 39');
    expect(await balance(order.client)).toBe(39);
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'partially_paid', coin_num_credited: 39 });
    expect((await run('unmatched')).output).not.toContain(`order ${order.orderId}`);
  });

  it('credit-partial works from a CLI started without Redis, which has nobody to tell of the new balance', async () => {
    const order = await startRecharge(t, 20);
    await postIpn(t, ipnBody(order, 'partially_paid', { actually_paid: 7.9 }));
    const cli = createPaymentsService({ config: t.config, db: t.db, logger: pino({ level: 'silent' }) });
    expect(await cli.creditPartial(order.orderId)).toMatchObject({ applied: true, coins: 39 });
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ coin_num_credited: 39 });
  });

  it('puts a partial credit on the books as a partial recharge, with what arrived and what was asked', async () => {
    const order = await startRecharge(t, 20);
    await postIpn(t, ipnBody(order, 'partially_paid', { actually_paid: 7.9 }));
    expect(await t.payments.creditPartial(order.orderId)).toMatchObject({ applied: true, coins: 39 });

    const transfers = await t.db.selectFrom('ledger_transfers').select(['type', 'metadata']).where('type', '=', 'recharge').execute();
    expect(transfers.map((transfer) => JSON.parse(transfer.metadata))).toEqual([
      { order_id: order.orderId, partial: true, actually_paid: '7.9', pay_amount: '19.91638' },
    ]);
  });

  it('refuses to credit a partial payment worth no whole diamond, and moves nothing', async () => {
    const order = await startRecharge(t, 20);
    // 0.1 of 19.91638 USDT: half a diamond's worth.
    await postIpn(t, ipnBody(order, 'partially_paid', { actually_paid: 0.1 }));
    await expect(t.payments.creditPartial(order.orderId)).rejects.toMatchObject({ statusCode: 409, error: 'nothing_to_credit' });
    expect(await balance(order.client)).toBe(0);
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'partially_paid', coin_num_credited: 0 });
  });

  it('refuses to credit a partial payment the provider reported without an amount, and moves nothing', async () => {
    const order = await startRecharge(t, 20);
    await postIpn(t, ipnBody(order, 'partially_paid', { actually_paid: null, actually_paid_at_fiat: null, outcome_amount: null }));
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'partially_paid' });
    await expect(t.payments.creditPartial(order.orderId)).rejects.toMatchObject({ statusCode: 409, error: 'amount_unknown' });
    expect(await run('credit-partial', order.orderId)).toMatchObject({ code: 1 });
    expect(await balance(order.client)).toBe(0);
    expect(await orderStatus(order.client, order.orderId)).toMatchObject({ status: 'partially_paid', coin_num_credited: 0 });
  });

  it('shows as an order’s latest provider answer a callback that named only its payment id', async () => {
    const order = await startRecharge(t);
    expect((await postIpn(t, ipnBody(order, 'confirming', { order_id: null }))).statusCode).toBe(200);
    const listed = await t.payments.ordersForOperator({ userId: order.uid, limit: 10 });
    expect(listed.map(({ order: listedOrder, answer }) => [listedOrder.id, listedOrder.status, answer?.source, answer?.status, answer?.outcome])).toEqual([
      [order.orderId, 'confirming', 'ipn', 'confirming', 'applied'],
    ]);
  });

  it('credit-partial refuses orders that are not partially paid', async () => {
    const order = await startRecharge(t);
    expect(await run('credit-partial', order.orderId)).toMatchObject({ code: 1 });
    await postIpn(t, ipnBody(order, 'finished'));
    expect(await run('credit-partial', order.orderId)).toMatchObject({ code: 1 });
    expect(await run('credit-partial', 'no-such-order')).toMatchObject({ code: 1 });
    expect(await balance(order.client)).toBe(100);
  });

  it('unmatched lists re-deposits for operators', async () => {
    const order = await startRecharge(t);
    await postIpn(t, ipnBody(order, 'finished', { payment_id: 6100000001, parent_payment_id: Number(order.paymentId), actually_paid: 7.5 }));
    const { code, output } = await run('unmatched');
    expect(code).toBe(0);
    expect(output).toContain('Unmatched payments: 1');
    expect(output).toMatch(/payment 6100000001 {2}re_deposit {2}status=finished {2}paid=7.5 usdttrc20/);
    expect(await balance(order.client)).toBe(0);
  });

  it('prints usage for unknown commands', async () => {
    expect((await run('refund-everything')).code).toBe(2);
    expect((await run()).output).toContain('Usage');
  });
});
