/** Builds the payments service for a configuration: NOWPayments with an API key, else simulated. */
import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { EventBus } from '../realtime/index.js';
import { NowPaymentsProvider } from './nowpayments.js';
import type { PaymentProvider } from './provider.js';
import { PaymentsService, type PaymentsLogger } from './service.js';
import { SimulatedProvider } from './simulated.js';

/**
 * Simulated mode signs its own callbacks; without NOWPAYMENTS_IPN_SECRET the secret is derived from
 * COOKIE_SECRET so every instance of one deployment agrees on it.
 */
export function ipnSecretFor(config: Config): string {
  if (config.payments.ipnSecret) return config.payments.ipnSecret;
  return createHmac('sha256', config.cookieSecret).update('pecktra simulated NOWPayments IPN secret').digest('hex');
}

export function createPaymentProvider(config: Config): PaymentProvider {
  const { nowpaymentsApiKey, nowpaymentsBaseUrl, providerTimeoutMs } = config.payments;
  if (!nowpaymentsApiKey) return new SimulatedProvider();
  return new NowPaymentsProvider({ apiKey: nowpaymentsApiKey, baseUrl: nowpaymentsBaseUrl, timeoutMs: providerTimeoutMs });
}

export interface PaymentsServiceDeps {
  config: Config;
  db: Kysely<Database>;
  logger: PaymentsLogger;
  clock?: () => number;
  provider?: PaymentProvider;
  ipnDeadlineMs?: number;
  eventBus?: EventBus;
}

export function createPaymentsService(deps: PaymentsServiceDeps): PaymentsService {
  return new PaymentsService(deps.db, {
    config: deps.config.payments,
    publicUrl: deps.config.publicUrl,
    ipnSecret: ipnSecretFor(deps.config),
    provider: deps.provider ?? createPaymentProvider(deps.config),
    logger: deps.logger,
    clock: deps.clock,
    ipnDeadlineMs: deps.ipnDeadlineMs,
    eventBus: deps.eventBus,
  });
}
