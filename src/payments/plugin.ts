/**
 * The payments feature: USDT recharges and their provider callbacks, as app.payments. With a
 * cluster lock it also runs the reconciliation job (one instance of the cluster at a time).
 */
import type { EventBus } from '../realtime/index.js';
import type { Kysely } from 'kysely';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { ClusterLock } from '../infra/cluster-lock.js';
import { createPaymentsService } from './factory.js';
import type { PaymentProvider } from './provider.js';
import { reconciliationJob } from './reconciliation.js';
import { paymentsRoutes } from './routes.js';
import { sharedSchemas } from './schemas.js';
import type { PaymentsService } from './service.js';

export interface PaymentsFeatureOptions {
  config: Config;
  db: Kysely<Database>;
  clock?: () => number;
  /** Instead of the provider the config selects (tests use a fake NOWPayments). */
  provider?: PaymentProvider;
  /** How long an IPN may wait for its work before the provider is told to resend (503). */
  ipnDeadlineMs?: number;
  /** Runs the reconciliation job when given. */
  clusterLock?: ClusterLock;
  /** Credits are announced here (balance caches on every instance). */
  eventBus: EventBus;
}

declare module 'fastify' {
  interface FastifyInstance {
    payments: PaymentsService;
  }
}

export const paymentsFeature = fp<PaymentsFeatureOptions>(
  async (app, { config, db, clock, provider, ipnDeadlineMs, clusterLock, eventBus }) => {
    const payments = createPaymentsService({ config, db, logger: app.log, clock, provider, ipnDeadlineMs, eventBus });
    if (payments.isSimulated) {
      app.log.warn(
        'payments: SIMULATED provider, any logged-in user can mark their own recharge paid; ' +
          'set NOWPAYMENTS_API_KEY and NOWPAYMENTS_IPN_SECRET for real payments',
      );
    } else {
      app.log.info(`payments: NOWPayments at ${config.payments.nowpaymentsBaseUrl}`);
    }
    for (const schema of sharedSchemas) app.addSchema(schema);
    app.decorate('payments', payments);
    await app.register(paymentsRoutes, { payments });

    if (clusterLock) {
      const reconciliation = reconciliationJob(payments, clusterLock, {
        intervalMs: config.payments.reconcileIntervalSeconds * 1000,
        logger: app.log,
      });
      app.addHook('onReady', async () => reconciliation.start());
      app.addHook('onClose', async () => reconciliation.stop());
    }
  },
  { name: 'payments', dependencies: ['auth', 'api-docs'] },
);
