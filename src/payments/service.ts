/**
 * Crypto recharge: orders, the provider's callbacks and polls, and crediting diamonds exactly once.
 * Every provider report (IPN, reconciliation poll, simulated callback) goes through applyReport,
 * which changes the order and credits the ledger in one database transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { BaseLogger } from 'pino';
import QRCode from 'qrcode';
import { assertNotBanned, type SessionUser } from '../accounts/index.js';
import type { PaymentsConfig } from '../config.js';
import type { Database } from '../db/schema.js';
import { transactional, type Executor, type TransactionRunner, type TransactionScope } from '../db/transaction.js';
import { AppError, badRequest, conflict, forbidden, notFound, tooManyRequests, unauthorized } from '../http/errors.js';
import { inputProblem } from '../http/input-guard.js';
import type { EventBus } from '../realtime/index.js';
import { compareDecimal, formatDecimal, parseDecimal, proRataFloor, sameAmount } from '../infra/decimal.js';
import { announceBalanceChanged, creditRecharge, walletBalance } from '../wallet/index.js';
import { isValidIpnSignature, signIpnBody } from './ipn-signature.js';
import { parsePaymentReport, ProviderUnavailableError, type PaymentProvider, type PaymentReport } from './provider.js';
import { PaymentsRepository, type OrderUpdate, type PaymentOrder, type UnmatchedPayment } from './repository.js';
import type { RechargePackage } from './schemas.js';
import { SimulatedProvider } from './simulated.js';
import { ACTIVE_STATUSES, isCreditable, isFinal, nextStatus, type ProviderStatus } from './status.js';

/** Orders younger than this are left to their IPN; the reconciliation job polls older ones. */
export const RECONCILE_AFTER_MS = 2 * 60 * 1000;
const MAX_CHECK_INTERVAL_MS = 60 * 60 * 1000;
/** NOWPayments keeps a waiting payment open this long, so a locally expired order can still be paid. */
const PROVIDER_PAYMENT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
const RECONCILE_BATCH = 50;
/** A NOWPayments callback is a flat object with at most a small nested fee object. */
const MAX_IPN_DEPTH = 8;

/** Past this the IPN gets a 503 (the provider resends) while the work finishes in the background. */
const DEFAULT_IPN_DEADLINE_MS = 2_500;

/** The logger methods the payments code uses (pino and Fastify's logger both fit). */
export type PaymentsLogger = Pick<BaseLogger, 'info' | 'warn' | 'error'>;

export type ReportOutcome =
  | 'credited'
  | 'applied'
  | 'unchanged'
  | 're_deposit'
  | 'unknown_order'
  | 'mismatch';

export interface RechargeInput {
  userId?: string | number;
  cryptoAmount: string | number;
}

export interface RechargeCreated {
  order: PaymentOrder;
  /** Base64 PNG (no data: prefix) of the pay address. */
  qrCode: string;
}

export interface OrderStatusView {
  order: PaymentOrder;
  balance: number;
}

export interface ReconcileSummary {
  /** Orders left in `creating` by a process that died during the provider call; now failed. */
  interrupted: number;
  expired: number;
  checked: number;
  changed: number;
  failures: number;
}

export interface PaymentsServiceOptions {
  config: PaymentsConfig;
  /** PUBLIC_URL; the IPN callback URL is derived from it. */
  publicUrl: string;
  ipnSecret: string;
  provider: PaymentProvider;
  logger: PaymentsLogger;
  clock?: () => number;
  ipnDeadlineMs?: number;
  /** Told of every credit after it commits (balance caches); the CLI without Redis has none. */
  eventBus?: EventBus;
}

const repositories = (executor: Executor) => ({ orders: new PaymentsRepository(executor) });
type PaymentsScope = TransactionScope<ReturnType<typeof repositories>>;

export class PaymentsService {
  private readonly repo: PaymentsRepository;
  private readonly inTransaction: TransactionRunner<ReturnType<typeof repositories>>;
  private readonly clock: () => number;
  private readonly config: PaymentsConfig;
  private readonly provider: PaymentProvider;
  private readonly log: PaymentsLogger;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: PaymentsServiceOptions,
  ) {
    this.repo = repositories(db).orders;
    this.inTransaction = transactional(db, repositories);
    this.clock = options.clock ?? Date.now;
    this.config = options.config;
    this.provider = options.provider;
    this.log = options.logger;
  }

  get isSimulated(): boolean {
    return this.provider instanceof SimulatedProvider;
  }

  packages(): RechargePackage[] {
    return this.config.packages.map((p) => ({ crypto_amount: Number(p.cryptoAmount), coin_num: p.coinNum }));
  }

  async createRecharge(user: SessionUser, input: RechargeInput): Promise<RechargeCreated> {
    assertNotBanned(user);
    if (input.userId !== undefined && String(input.userId).trim() !== user.id) {
      throw forbidden('uid_mismatch', 'user_id does not match the logged-in user');
    }
    const amount = parseDecimal(input.cryptoAmount);
    const pkg = amount && this.config.packages.find((p) => compareDecimal(parseDecimal(p.cryptoAmount)!, amount) === 0);
    if (!pkg) {
      const allowed = this.config.packages.map((p) => Number(p.cryptoAmount));
      throw badRequest('invalid_package', `crypto_amount must be one of ${allowed.join(', ')}`, { allowed });
    }
    const orderId = randomUUID();
    const now = this.clock();
    // Count and insert under the user's lock: parallel requests cannot all see room for one more
    // order, and each order admitted here is one call to the provider.
    await this.inTransaction(async ({ orders }) => {
      await orders.lockUserOrders(user.id);
      const open = await orders.countOpenOrders(user.id);
      if (open >= this.config.maxOpenOrders) {
        throw tooManyRequests(
          `You already have ${open} unfinished recharge orders; pay one or wait for it to expire`,
          60,
          'too_many_open_orders',
        );
      }
      await orders.insertOrder({
        id: orderId,
        userId: user.id,
        provider: this.provider.name,
        priceAmount: pkg.cryptoAmount,
        priceCurrency: 'usd',
        payCurrency: this.config.payCurrency,
        coinNum: pkg.coinNum,
        expiresAt: now + this.config.orderTtlHours * 60 * 60 * 1000,
        now,
      });
    });
    let payment;
    try {
      payment = await this.provider.createPayment({
        orderId,
        priceAmount: pkg.cryptoAmount,
        priceCurrency: 'usd',
        payCurrency: this.config.payCurrency,
        description: `Pecktra Live: ${pkg.coinNum} diamonds`,
        ipnCallbackUrl: `${this.options.publicUrl}/api/payment/ipn`,
      });
    } catch (err) {
      await this.repo.markFailed(orderId, 'provider_unavailable', this.clock());
      if (!(err instanceof ProviderUnavailableError)) throw err;
      this.log.warn({ err, order_id: orderId }, 'payment provider unavailable');
      throw new AppError(502, 'payment_provider_unavailable', 'The payment provider is unavailable, please try again later');
    }
    await this.repo.recordCreatedPayment(orderId, payment, now + RECONCILE_AFTER_MS, this.clock());
    const order = (await this.repo.findOrder(orderId))!;
    return { order, qrCode: await addressQrCode(payment.payAddress) };
  }

  /** The order for its owner only; anyone else learns nothing, not even that it exists. */
  async orderStatus(user: SessionUser, orderId: string): Promise<OrderStatusView> {
    const order = await this.repo.findOrder(orderId);
    if (!order || order.userId !== user.id) throw notFound('order_not_found', 'No such order');
    return { order, balance: await walletBalance(this.db, user.id) };
  }

  /** Newest first; an order still waiting for its payment carries its QR code, so the app can show it again. */
  async listOrders(user: SessionUser, limit: number): Promise<Array<{ order: PaymentOrder; qrCode: string | null }>> {
    const orders = await this.repo.listOrdersForUser(user.id, limit);
    const now = this.clock();
    return Promise.all(
      orders.map(async (order) => {
        const payable = order.payAddress !== null && ACTIVE_STATUSES.includes(order.status) && order.expiresAt > now;
        return { order, qrCode: payable ? await addressQrCode(order.payAddress!) : null };
      }),
    );
  }

  /**
   * The IPN endpoint: raw body and `x-nowpayments-sig` as received. Throws 401 for a bad signature
   * (nothing recorded), 404 for an unknown order and 400 for a mismatch (both recorded for operators).
   */
  async receiveIpn(rawBody: string, signature: string | undefined): Promise<ReportOutcome> {
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      throw badRequest('invalid_json', 'IPN body is not valid JSON');
    }
    // The signature check sorts keys recursively: bound the nesting (and refuse NUL) before it.
    const problem = inputProblem(body, MAX_IPN_DEPTH);
    if (problem) throw badRequest('invalid_ipn', problem.kind === 'too_deep' ? 'IPN body is nested too deeply' : 'IPN body contains a NUL character');
    if (!isValidIpnSignature(body, signature, this.options.ipnSecret)) {
      this.log.warn({ has_signature: Boolean(signature) }, 'payment IPN refused: bad signature');
      throw unauthorized('Invalid IPN signature', 'invalid_signature');
    }
    const report = parsePaymentReport(body);
    if (!report) throw badRequest('invalid_ipn', 'IPN lacks payment_id or payment_status');
    this.log.info({ order_id: report.orderId, payment_id: report.paymentId, status: report.status }, 'payment IPN received');

    const outcome = await this.withinIpnDeadline(this.applyReport(report, 'ipn', rawBody));
    if (outcome === 'unknown_order') throw notFound('unknown_order', 'No order matches this payment');
    if (outcome === 'mismatch') throw badRequest('ipn_mismatch', 'Payment does not match its order');
    return outcome;
  }

  private async withinIpnDeadline(work: Promise<ReportOutcome>): Promise<ReportOutcome> {
    const settled = work.then(
      (outcome) => ({ ok: true as const, outcome }),
      (err: unknown) => ({ ok: false as const, err }),
    );
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.options.ipnDeadlineMs ?? DEFAULT_IPN_DEADLINE_MS);
    });
    const first = await Promise.race([settled, deadline]);
    clearTimeout(timer);
    if (first === 'late') {
      void settled.then((result) => {
        if (!result.ok) this.log.error({ err: result.err }, 'delayed payment IPN failed; the provider will resend');
      });
      throw new AppError(503, 'ipn_processing_delayed', 'Callback is still being processed; please resend');
    }
    if (!first.ok) throw first.err;
    return first.outcome;
  }

  /** The single path by which provider news changes an order (and credits it). */
  async applyReport(report: PaymentReport, source: 'ipn' | 'reconcile', payload: string): Promise<ReportOutcome> {
    let creditedUser: string | undefined;
    const applied = await this.inTransaction(async (scope) => {
      creditedUser = undefined;
      const { orders } = scope;
      const now = this.clock();
      // Recording the report first also takes SQLite's write lock up front, so a writer in another
      // process (the operator CLI) is waited for under busy_timeout instead of failing the upgrade.
      const eventId = await orders.insertEvent({
        orderId: report.orderId,
        paymentId: report.paymentId,
        status: report.status,
        source,
        outcome: 'received',
        payload,
        receivedAt: now,
      });
      const order = report.orderId
        ? await orders.lockOrder({ orderId: report.orderId })
        : await orders.lockOrder({ paymentId: report.paymentId });
      let outcome: ReportOutcome;
      if (report.parentPaymentId) {
        // Money sent again to an old address: never credited automatically, an operator decides.
        outcome = 're_deposit';
      } else if (!order) {
        outcome = 'unknown_order';
      } else if (order.paymentId !== report.paymentId || !this.matchesOrder(order, report)) {
        outcome = 'mismatch';
      } else {
        outcome = await this.advance(scope, order, report, now);
        if (outcome === 'credited') creditedUser = order.userId;
      }
      if (outcome === 're_deposit' || outcome === 'unknown_order' || outcome === 'mismatch') {
        this.log.warn(
          { order_id: report.orderId, payment_id: report.paymentId, status: report.status, outcome },
          'payment report not matched to an order',
        );
        await orders.upsertUnmatched({
          paymentId: report.paymentId,
          orderId: report.orderId,
          parentPaymentId: report.parentPaymentId,
          reason: outcome,
          status: report.status,
          payCurrency: report.payCurrency,
          actuallyPaid: report.actuallyPaid,
          payload,
          now,
        });
      }
      // Every callback is logged; polls only when they told us something.
      if (source === 'reconcile' && outcome === 'unchanged') await orders.deleteEvent(eventId);
      else await orders.setEventOutcome(eventId, order?.id ?? report.orderId, outcome);
      return outcome;
    });
    if (creditedUser !== undefined) await this.announceCredit(creditedUser);
    return applied;
  }

  private async announceCredit(userId: string): Promise<void> {
    if (this.options.eventBus) await announceBalanceChanged(this.options.eventBus, userId);
  }

  private matchesOrder(order: PaymentOrder, report: PaymentReport): boolean {
    return (
      report.priceAmount !== null &&
      sameAmount(report.priceAmount, order.priceAmount) &&
      report.priceCurrency === order.priceCurrency &&
      report.payCurrency === order.payCurrency
    );
  }

  private async advance(
    { orders, trx }: PaymentsScope,
    order: PaymentOrder,
    report: PaymentReport,
    now: number,
  ): Promise<ReportOutcome> {
    const next = nextStatus(order, report.status);
    const paidChanged = !isFinal(order) && report.actuallyPaid !== null && report.actuallyPaid !== order.actuallyPaid;
    if (!next && !paidChanged) return 'unchanged';

    const status = next ?? order.status;
    const update: OrderUpdate = { status };
    if (report.actuallyPaid !== null) update.actuallyPaid = report.actuallyPaid;
    if (next && order.localExpiredAt !== null) update.localExpiredAt = null;
    let outcome: ReportOutcome = next ? 'applied' : 'unchanged';
    if (isCreditable(status, this.config.creditOn) && order.coinsCredited === 0) {
      const transfer = await creditRecharge(trx, {
        userId: order.userId,
        orderId: order.id,
        diamonds: order.coinNum,
        details: { payment_id: order.paymentId, price_amount: order.priceAmount, pay_currency: order.payCurrency },
        now,
      });
      if (transfer.applied) {
        update.coinsCredited = order.coinNum;
        update.creditedAt = now;
        outcome = 'credited';
        this.log.info({ order_id: order.id, user_id: order.userId, coins: order.coinNum }, 'recharge credited');
      }
    }
    await orders.updateOrder(order.id, update, now);
    return outcome;
  }

  /** Simulated mode only: plays the provider, delivering a signed IPN through the real handler. */
  async simulate(
    user: SessionUser,
    orderId: string,
    status: ProviderStatus,
    actuallyPaid?: string | number,
  ): Promise<{ outcome: ReportOutcome; order: PaymentOrder }> {
    const provider = this.provider;
    if (!(provider instanceof SimulatedProvider)) throw notFound('not_found', 'Simulation is only available with the simulated provider');
    const order = await this.repo.findOrder(orderId);
    if (!order || order.userId !== user.id) throw notFound('order_not_found', 'No such order');
    if (!order.paymentId || !order.payAddress || !order.payAmount) {
      throw conflict('order_not_payable', 'This order has no payment to simulate');
    }
    let paid: string;
    if (actuallyPaid !== undefined) {
      const parsed = parseDecimal(actuallyPaid);
      if (!parsed || parsed.units < 0n) throw badRequest('invalid_amount', 'actually_paid must be a non-negative amount');
      paid = formatDecimal(parsed);
    } else {
      paid = this.defaultSimulatedPayment(order, status);
    }
    const body = provider.ipnBody(
      {
        orderId: order.id,
        paymentId: order.paymentId,
        payAddress: order.payAddress,
        priceAmount: order.priceAmount,
        priceCurrency: order.priceCurrency,
        payAmount: order.payAmount,
        payCurrency: order.payCurrency,
        description: `Pecktra Live: ${order.coinNum} diamonds`,
        createdAt: new Date(order.createdAt).toISOString(),
      },
      status,
      paid,
    );
    const outcome = await this.receiveIpn(JSON.stringify(body), signIpnBody(body, this.options.ipnSecret));
    return { outcome, order: (await this.repo.findOrder(orderId))! };
  }

  private defaultSimulatedPayment(order: PaymentOrder, status: ProviderStatus): string {
    const expected = parseDecimal(order.payAmount)!;
    if (status === 'partially_paid') return formatDecimal({ units: expected.units / 2n, scale: expected.scale });
    if (status === 'waiting' || status === 'expired' || status === 'failed') return '0';
    return formatDecimal(expected);
  }

  /**
   * One reconciliation pass: fail orders whose creation was interrupted, expire orders nobody paid
   * within the TTL, then ask the provider about
   * orders whose IPN may have been lost, with exponential backoff per order.
   */
  async reconcile(): Promise<ReconcileSummary> {
    const now = this.clock();
    const summary: ReconcileSummary = {
      interrupted: await this.repo.failInterruptedCreates(now - RECONCILE_AFTER_MS, now),
      expired: await this.repo.expireUnpaid(now),
      checked: 0,
      changed: 0,
      failures: 0,
    };
    const due = await this.repo.dueForCheck(now, now - RECONCILE_AFTER_MS, now - PROVIDER_PAYMENT_WINDOW_MS, RECONCILE_BATCH);
    for (const order of due) {
      summary.checked += 1;
      const attempts = order.checkAttempts + 1;
      const delay = Math.min(RECONCILE_AFTER_MS * 2 ** Math.min(attempts, 10), MAX_CHECK_INTERVAL_MS);
      try {
        const report = await this.provider.getPayment(order.paymentId!);
        if (report) {
          const outcome = await this.applyReport(report, 'reconcile', JSON.stringify(report));
          if (outcome === 'applied' || outcome === 'credited') summary.changed += 1;
        }
      } catch (err) {
        summary.failures += 1;
        this.log.warn({ err, order_id: order.id }, 'payment status poll failed; will retry');
      }
      await this.repo.scheduleCheck(order.id, attempts, this.clock() + delay);
    }
    return summary;
  }

  /** Operator decision on a partially paid order: diamonds pro rata to what arrived, once. */
  async creditPartial(orderId: string): Promise<{ applied: boolean; coins: number; userId: string }> {
    const result = await this.inTransaction(({ trx }) => this.creditPartialWithin(trx, orderId));
    if (result.applied) await this.announceCredit(result.userId);
    return result;
  }

  /**
   * creditPartial inside the caller's transaction (the operator console's audited action); the
   * caller announces the balance change after its commit.
   */
  async creditPartialWithin(trx: Transaction<Database>, orderId: string): Promise<{ applied: boolean; coins: number; userId: string }> {
    const orders = new PaymentsRepository(trx);
    {
      const now = this.clock();
      const order = await orders.lockOrder({ orderId });
      if (!order) throw notFound('order_not_found', `No order ${orderId}`);
      if (order.status !== 'partially_paid') {
        throw conflict('not_partially_paid', `Order ${orderId} is ${order.status}, not partially_paid`);
      }
      const paid = order.actuallyPaid === null ? null : parseDecimal(order.actuallyPaid);
      const expected = order.payAmount === null ? null : parseDecimal(order.payAmount);
      if (!paid || !expected || expected.units <= 0n) {
        throw conflict('amount_unknown', `Order ${orderId} has no actually_paid/pay_amount to prorate`);
      }
      const coins = Math.min(order.coinNum, proRataFloor(order.coinNum, paid, expected));
      if (order.coinsCredited > 0) return { applied: false, coins: order.coinsCredited, userId: order.userId };
      if (coins <= 0) throw conflict('nothing_to_credit', `actually_paid ${order.actuallyPaid} is worth no whole diamond`);
      const transfer = await creditRecharge(trx, {
        userId: order.userId,
        orderId: order.id,
        diamonds: coins,
        partial: true,
        details: { actually_paid: order.actuallyPaid, pay_amount: order.payAmount },
        now,
      });
      if (transfer.applied) await orders.updateOrder(order.id, { coinsCredited: coins, creditedAt: now }, now);
      return { applied: transfer.applied, coins, userId: order.userId };
    }
  }

  /** Recharge orders for the operator console, newest first, each with the provider's latest answer. */
  async ordersForOperator(filter: { status?: string; userId?: string; before?: { createdAt: number; id: string }; limit: number }) {
    const orders = await this.repo.listOrdersForOperator(filter);
    const events = await this.repo.latestEvents(orders.map((order) => order.id));
    return orders.map((order) => ({ order, answer: events.get(order.id) ?? null }));
  }

  async unmatchedPayments(): Promise<UnmatchedPayment[]> {
    return this.repo.listUnmatched();
  }

  async partiallyPaidAwaitingDecision(): Promise<PaymentOrder[]> {
    return this.repo.listUncreditedPartialOrders();
  }
}

/** The pay address as a base64 PNG QR code, for wallets that scan. */
async function addressQrCode(address: string): Promise<string> {
  const png = await QRCode.toBuffer(address, { type: 'png', margin: 2, width: 240 });
  return png.toString('base64');
}
