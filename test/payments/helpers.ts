/** A test app whose payments talk to a local fake NOWPayments, with a clock the test moves. */
import type { Kysely, KyselyPlugin } from 'kysely';
import pino from 'pino';
import { buildApp } from '../../src/app.js';
import type { PaymentsConfig } from '../../src/config.js';
import type { Database } from '../../src/db/schema.js';
import { MemoryRateLimiter } from '../../src/infra/rate-limiter.js';
import { signIpnBody } from '../../src/payments/ipn-signature.js';
import type { PaymentProvider } from '../../src/payments/provider.js';
import { PaymentsRepository } from '../../src/payments/repository.js';
import { MemoryEventBus } from '../../src/realtime/memory-event-bus.js';
import { MemoryPresence } from '../../src/realtime/presence.js';
import { verifyLedger } from '../../src/wallet/ledger.js';
import { createTestDatabase, testConfig } from '../helpers/app.js';
import { registerViewer, type TestClient } from '../helpers/client.js';
import { FAKE_API_KEY, FakeNowPayments } from './fake-nowpayments.js';

export const IPN_SECRET = 'test-ipn-secret';
export const PUBLIC_URL = 'https://pecktra.example';

export interface PaymentsTestOptions {
  payments?: Partial<PaymentsConfig>;
  /** Use this provider instead of NOWPayments against the fake. */
  provider?: PaymentProvider;
  ipnDeadlineMs?: number;
  /** Wraps the app's database (e.g. to make it slow). */
  dbPlugin?: KyselyPlugin;
  /** PostgreSQL pool size: concurrency tests want several real connections. */
  pgPoolSize?: number;
}

export async function createPaymentsTestApp(options: PaymentsTestOptions = {}) {
  const fake = new FakeNowPayments();
  await fake.start();
  const database = await createTestDatabase({ pgPoolSize: options.pgPoolSize });
  const clock = { now: Date.now() };
  const base = testConfig({ publicUrl: PUBLIC_URL });
  const config = testConfig({
    publicUrl: PUBLIC_URL,
    payments: {
      ...base.payments,
      nowpaymentsApiKey: FAKE_API_KEY,
      ipnSecret: IPN_SECRET,
      nowpaymentsBaseUrl: fake.url,
      // Generous: the machine is shared; tests that need a timeout set a short one.
      providerTimeoutMs: 5000,
      ...options.payments,
    },
  });
  const logger = pino({ level: 'silent' });
  const app = await buildApp({
    config,
    db: options.dbPlugin ? database.db.withPlugin(options.dbPlugin) : database.db,
    rateLimiter: new MemoryRateLimiter(),
    eventBus: new MemoryEventBus(),
    presence: new MemoryPresence(),
    logger,
    clock: () => clock.now,
    payments: { provider: options.provider, ipnDeadlineMs: options.ipnDeadlineMs },
    serializersOnFirstUse: true,
  });
  await app.ready();
  return {
    app,
    db: database.db,
    config,
    fake,
    payments: app.payments,
    clock,
    async close() {
      await app.close();
      await fake.close();
      await database.close();
    },
  };
}

export type PaymentsTestApp = Awaited<ReturnType<typeof createPaymentsTestApp>>;

export async function ledgerProblems(t: PaymentsTestApp) {
  return verifyLedger(t.db);
}

export interface StartedRecharge {
  client: TestClient;
  uid: string;
  orderId: string;
  paymentId: string;
  payAmount: number;
  priceAmount: number;
}

export async function startRecharge(t: PaymentsTestApp, cryptoAmount: number | string = 20, viewer?: { client: TestClient; uid: string }) {
  const { client, uid } = viewer ?? (await registerViewer(t.app));
  const res = await client.post('/api/payment/process_recharge/', { user_id: uid, crypto_amount: cryptoAmount });
  if (res.statusCode !== 200) throw new Error(`recharge failed: ${res.statusCode} ${res.body}`);
  const body = res.json();
  return {
    client,
    uid,
    orderId: body.order_id as string,
    paymentId: body.payment_id as string,
    payAmount: body.pay_amount as number,
    priceAmount: Number(cryptoAmount),
  } satisfies StartedRecharge;
}

/** An IPN body the way NOWPayments sends it today: numeric ids, nested fee, extra fields. */
export function ipnBody(order: StartedRecharge, status: string, overrides: Record<string, unknown> = {}) {
  const paid = status === 'waiting' || status === 'expired' ? 0 : status === 'partially_paid' ? order.payAmount / 2 : order.payAmount;
  return {
    payment_id: Number(order.paymentId),
    parent_payment_id: null,
    invoice_id: null,
    payment_status: status,
    pay_address: 'TVPw1vYm71owVoB6NXfV4AUxRcrHPbNB86',
    payin_extra_id: null,
    price_amount: order.priceAmount,
    price_currency: 'usd',
    pay_amount: order.payAmount,
    actually_paid: paid,
    actually_paid_at_fiat: paid,
    pay_currency: 'usdttrc20',
    order_id: order.orderId,
    order_description: 'Pecktra Live diamonds',
    purchase_id: '5312822613',
    outcome_amount: paid,
    outcome_currency: 'usdttrc20',
    payment_extra_ids: null,
    fee: { currency: 'usdttrc20', depositFee: 0.1, withdrawalFee: 0, serviceFee: 0.05 },
    created_at: '2026-11-25T07:00:00.000Z',
    updated_at: '2026-11-25T07:10:00.000Z',
    ...overrides,
  };
}

/** Posts an IPN signed the way NOWPayments signs it (or with the given signature). */
export function postIpn(t: PaymentsTestApp, body: unknown, signature = signIpnBody(body, IPN_SECRET)) {
  return t.app.inject({
    method: 'POST',
    url: '/api/payment/ipn',
    headers: { 'content-type': 'application/json', 'x-nowpayments-sig': signature },
    payload: JSON.stringify(body),
  });
}

export async function balance(client: TestClient): Promise<number> {
  const res = await client.get('/api/users/is_logged_in');
  return res.json().data.user_info.coin_num as number;
}

export async function orderStatus(client: TestClient, orderId: string) {
  const res = await client.get(`/api/payment/check_payment_status/${orderId}`);
  if (res.statusCode !== 200) throw new Error(`status failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

/**
 * What a process killed during the provider call leaves behind: an order with no provider payment yet.
 * Apps without a test clock (the simulated provider's) date it now.
 */
export async function insertInterruptedOrder(t: { db: Kysely<Database>; clock?: { now: number } }, userId: string, id: string): Promise<void> {
  const now = t.clock?.now ?? Date.now();
  await new PaymentsRepository(t.db).insertOrder({
    id,
    userId,
    provider: 'nowpayments',
    priceAmount: '12',
    priceCurrency: 'usd',
    payCurrency: 'usdttrc20',
    coinNum: 60,
    expiresAt: now + 24 * 60 * 60_000,
    now,
  });
}
