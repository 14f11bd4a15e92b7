/**
 * Builds the Fastify app from its dependencies. Nothing here opens connections or reads the
 * environment: main.ts (production) and the test helpers (tests) decide what to pass in.
 */
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import type { Database } from './db/schema.js';
import { RequestAuth } from './accounts/auth.js';
import { accountsRoutes } from './accounts/routes.js';
import { AccountsService } from './accounts/service.js';
import { chatRoutes } from './chat/routes.js';
import { ChatService } from './chat/service.js';
import { validatorCompiler } from './http/validator.js';
import { installErrorHandling } from './http/error-handler.js';
import { healthRoutes } from './http/health.js';
import { installCrossSiteProtection } from './http/origin.js';
import { ErrorBody } from './http/schemas.js';
import type { ClusterLock } from './infra/cluster-lock.js';
import type { RateLimiter } from './infra/rate-limiter.js';
import type { EventBus } from './realtime/events.js';
import type { Presence } from './realtime/presence.js';
import { installRealtime } from './realtime/routes.js';
import type { RoomAccessPolicy } from './rooms/access.js';
import { roomsRoutes } from './rooms/routes.js';
import { RoomsService } from './rooms/service.js';
import { createPaymentsService } from './payments/factory.js';
import { paymentsRoutes } from './payments/routes.js';
import type { PaymentsService } from './payments/service.js';
import { WalletRoomAccessPolicy } from './wallet/access-policy.js';
import { walletRoutes } from './wallet/routes.js';
import { WalletService } from './wallet/service.js';
import { webRoutes } from './web/routes.js';

export interface AppDependencies {
  config: Config;
  db: Kysely<Database>;
  rateLimiter: RateLimiter;
  eventBus: EventBus;
  presence: Presence;
  /** Who may enter paid rooms; defaults to the wallet's policy (paid, subscribed, own or free rooms). */
  roomAccess?: RoomAccessPolicy;
  logger: FastifyServerOptions['loggerInstance'];
  /** Run-once-per-cluster guard for background jobs (src/infra/cluster-lock.ts); runtime.ts picks one. */
  clusterLock?: ClusterLock;
  /** Injectable clock so tests can move time (session expiry, subscriptions, idle rooms). */
  clock?: () => number;
  /** Recharge service; runtime.ts shares it with the reconciliation job. Built from config when absent. */
  payments?: PaymentsService;
}

export const BODY_LIMIT_BYTES = 64 * 1024;

/** The real room gate: paid, subscribed, own or free rooms. */
function defaultRoomAccess(deps: Pick<AppDependencies, 'config' | 'db' | 'eventBus' | 'clock'>): RoomAccessPolicy {
  return new WalletRoomAccessPolicy(deps.db, deps.eventBus, { defaultSubscriptionPrice: deps.config.subscriptionPrice, clock: deps.clock });
}

/**
 * Fastify reads a bare number as "trust nothing", so a hop count becomes the classic rule: the
 * nearest `hops` addresses (the socket peer first) are proxies, the next one is the client.
 */
function fastifyTrustProxy(trust: Config['trustProxy']): FastifyServerOptions['trustProxy'] {
  if (trust === false) return false;
  if ('hops' in trust) return (_address: string, hop: number) => hop < trust.hops;
  return trust.addresses;
}

export async function buildApp(dependencies: AppDependencies): Promise<FastifyInstance> {
  // Every consumer of deps.roomAccess gets the real gate unless a test injects its own.
  const deps = { ...dependencies, roomAccess: dependencies.roomAccess ?? defaultRoomAccess(dependencies) };
  const { config, db } = deps;
  const app = Fastify({
    loggerInstance: deps.logger,
    logController: new LogController({ disableRequestLogging: !config.logRequests }),
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: fastifyTrustProxy(config.trustProxy),
    // While shutting down, requests still reaching this instance (on a proxy's kept-alive connection)
    // are served in full and answered with Connection: close, rather than refused with a 503 the
    // proxy may not retry (POST) and that skips the hooks (a refused WebSocket upgrade's socket would
    // stay open and hold the shutdown). The database closes only after they have finished.
    return503OnClosing: false,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);

  installErrorHandling(app);
  app.addSchema(ErrorBody);
  await app.register(cookie, { secret: config.cookieSecret });
  installCrossSiteProtection(app, config);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Pecktra Live API',
        version: '0.1.0',
        description:
          'User-side contract endpoints (/api/users, /api/live, /api/payment) plus the anchor API. ' +
          'Every failure is {"code":1,"message":"...","error":"<machine_code>"}.',
      },
      components: {
        securitySchemes: {
          anchorToken: { type: 'http', scheme: 'bearer', description: 'Token from /api/anchor/login' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const accounts = new AccountsService(db, deps.rateLimiter, {
    sessionTtlDays: config.sessionTtlDays,
    loginMaxFailures: config.loginMaxFailures,
    loginWindowSeconds: config.loginWindowSeconds,
    passwordHashCost: config.passwordHashCost,
    clock: deps.clock,
  });
  const auth = new RequestAuth(accounts, { cookieSecure: config.cookieSecure });

  await app.register(healthRoutes, { db });
  await app.register(accountsRoutes, { accounts, auth });
  const payments = deps.payments ?? createPaymentsService({ config, db, logger: app.log, clock: deps.clock });
  await app.register(paymentsRoutes, { payments, auth });

  const rooms = new RoomsService(db, {
    eventBus: deps.eventBus,
    presence: deps.presence,
    roomAccess: deps.roomAccess,
    liveIdleMinutes: config.liveIdleMinutes,
    clock: deps.clock,
  });
  app.addHook('onClose', async () => {
    rooms.close();
    deps.roomAccess.close?.();
  });
  const chat = new ChatService(db, {
    rooms,
    eventBus: deps.eventBus,
    rateLimiter: deps.rateLimiter,
    rateLimit: { messages: config.chatRateLimitMessages, windowSeconds: config.chatRateLimitWindowSeconds },
    clock: deps.clock,
  });
  app.addHook('onClose', async () => chat.close());
  await app.register(roomsRoutes, { rooms, auth });
  await app.register(chatRoutes, { chat, auth });
  await installRealtime(app, { config, rooms, chat, eventBus: deps.eventBus, presence: deps.presence, auth });

  const wallet = new WalletService(db, {
    eventBus: deps.eventBus,
    platformFeePercent: config.platformFeePercent,
    defaultSubscriptionPrice: config.subscriptionPrice,
    clock: deps.clock,
  });
  await app.register(walletRoutes, { wallet, auth });

  // Last: its catch-all GET only answers paths no API route claims.
  await app.register(webRoutes, { distDir: config.webDistDir });

  return app;
}
