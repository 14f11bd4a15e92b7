/**
 * Builds the Fastify app from its dependencies. Nothing here opens connections or reads the
 * environment: main.ts (production) and the test helpers (tests) decide what to pass in.
 *
 * `application` is the whole app as one plugin: plumbing first, then each feature's plugin, which
 * builds its service, registers its routes and declares the plugins it needs (fastify-plugin
 * checks that they came first). buildApp puts it on a server.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import type { Database } from './db/schema.js';
import { accountsFeature } from './accounts/index.js';
import { blocksFeature } from './blocks/index.js';
import { chatFeature } from './chat/index.js';
import { extensionRepositoryFeature } from './extension-repository/index.js';
import { installAnchorApiCors } from './http/anchor-cors.js';
import { imagesFeature } from './images/index.js';
import { apiDocs } from './http/api-docs.js';
import { installCompression } from './http/compression.js';
import { answerClientError, answerFrameworkError, installErrorHandling } from './http/error-handler.js';
import { healthRoutes } from './http/health.js';
import { metrics } from './http/metrics.js';
import { installCrossSiteProtection } from './http/origin.js';
import { ErrorBody } from './http/schemas.js';
import { serializersOnFirstUse } from './http/serializers-on-first-use.js';
import { validateWithTypeBox } from './http/validator.js';
import type { ClusterLock } from './infra/cluster-lock.js';
import type { RateLimiter } from './infra/rate-limiter.js';
import type { RedisClient } from './infra/redis.js';
import { NO_TELEMETRY } from './infra/telemetry.js';
import { operatorFeature } from './operator/index.js';
import { paymentsFeature, type PaymentProvider } from './payments/index.js';
import { realtimeFeature, type EventBus, type Presence } from './realtime/index.js';
import { roomsFeature, type RoomAccessPolicy } from './rooms/index.js';
import { staticSite } from './static-site/index.js';
import { CachedBalances, WalletRoomAccessPolicy, walletFeature } from './wallet/index.js';

export interface AppDependencies {
  config: Config;
  db: Kysely<Database>;
  rateLimiter: RateLimiter;
  eventBus: EventBus;
  presence: Presence;
  /** Who may enter paid rooms; defaults to the wallet's policy (paid, subscribed, own or free rooms). */
  roomAccess?: RoomAccessPolicy;
  logger: FastifyServerOptions['loggerInstance'];
  /**
   * Run-once-per-cluster guard for background jobs (src/infra/cluster-lock.ts); runtime.ts picks
   * one. With it the app runs the payment reconciliation job; without it (tests) nothing runs.
   */
  clusterLock?: ClusterLock;
  /** The shared Redis client when REDIS_URL is set; /readyz checks it. */
  redis?: RedisClient;
  /** Injectable clock so tests can move time (session expiry, subscriptions, idle rooms). */
  clock?: () => number;
  /** Tests only: a payment provider other than the one the config selects, and a shorter IPN deadline. */
  payments?: { provider?: PaymentProvider; ipnDeadlineMs?: number };
  /** Tests only: compile each response serializer on its first use rather than at boot (src/http/serializers-on-first-use.ts). */
  serializersOnFirstUse?: boolean;
}

export const BODY_LIMIT_BYTES = 64 * 1024;

export const application = fp<AppDependencies>(
  async (app, deps) => {
    const { config, db, eventBus, presence, rateLimiter, clock } = deps;
    validateWithTypeBox(app);
    installErrorHandling(app);
    // The id of the request's log lines, so a user's report or a proxy log leads to them.
    app.addHook('onRequest', async (request, reply) => {
      void reply.header('x-request-id', request.id);
    });
    app.addSchema(ErrorBody);
    await app.register(cookie, { secret: config.cookieSecret });
    // Before any route: the compressor hooks into routes as they are declared.
    await installCompression(app);
    installAnchorApiCors(app);
    installCrossSiteProtection(app, config);
    await app.register(apiDocs);
    if (config.metricsToken) {
      // Before the features, so its timing hook covers their routes; the socket count is read when scraped.
      await app.register(metrics, {
        token: config.metricsToken,
        openSockets: () => (app.hasDecorator('realtime') ? app.realtime.connectionCount() : 0),
        db,
      });
    }
    const telemetry = app.hasDecorator('telemetry') ? app.telemetry : NO_TELEMETRY;
    const stopCountingGaps = eventBus.onGap?.(() => telemetry.count('event_bus_gaps'));
    if (stopCountingGaps) app.addHook('onClose', async () => stopCountingGaps());

    // Read on every signed-in is_logged_in; dropped on every instance when a balance moves.
    const balances = new CachedBalances(db, eventBus, clock);
    app.addHook('onClose', async () => balances.close());
    await app.register(accountsFeature, { db, rateLimiter, config, clock, balances });
    await app.register(healthRoutes, { db, redis: deps.redis });
    await app.register(blocksFeature, { db, clock });
    await app.register(walletFeature, {
      db,
      eventBus,
      platformFeePercent: config.platformFeePercent,
      defaultSubscriptionPrice: config.subscriptionPrice,
      idempotencyRetentionHours: config.idempotencyRetentionHours,
      gifts: config.gifts,
      leaderboardUtcOffsetMinutes: config.leaderboardUtcOffsetMinutes,
      audience: { watching: (roomId) => presence.count(roomId) > 0 },
      clock,
      clusterLock: deps.clusterLock,
    });
    await app.register(paymentsFeature, { config, db, clock, eventBus, clusterLock: deps.clusterLock, ...deps.payments });

    await app.register(imagesFeature, { db, clock });
    const roomAccess =
      deps.roomAccess ?? new WalletRoomAccessPolicy(db, eventBus, { defaultSubscriptionPrice: config.subscriptionPrice, clock });
    app.addHook('onClose', async () => roomAccess.close?.());
    await app.register(roomsFeature, {
      db,
      eventBus,
      presence,
      roomAccess,
      liveIdleMinutes: config.liveIdleMinutes,
      maxRoomsPerAnchor: config.maxRoomsPerAnchor,
      liveAnnouncementCooldownMinutes: config.goLiveNotifyCooldownMinutes,
      clock,
    });
    await app.register(chatFeature, {
      db,
      eventBus,
      rateLimiter,
      rateLimit: {
        messages: config.chatRateLimitMessages,
        windowSeconds: config.chatRateLimitWindowSeconds,
        guestMessagesPerNetwork: config.chatGuestMessagesPerNetwork,
      },
      transcriptFullCap: config.transcriptFullCap,
      clock,
    });
    await app.register(operatorFeature, {
      db,
      clock,
      rateLimiter,
      reportLimit: { max: config.reportMaxPerWindow, windowSeconds: config.reportWindowSeconds },
    });
    await app.register(realtimeFeature, {
      config: config.realtime,
      originPolicy: config,
      rooms: app.rooms,
      chat: app.chat,
      eventBus,
      presence,
    });

    await app.register(extensionRepositoryFeature, { directory: config.bridgeExtensionDir });

    // Last: its catch-all GET only answers paths no API route claims.
    await app.register(staticSite, { distDir: config.webDistDir, publicUrl: config.publicUrl });
  },
  { name: 'pecktra' },
);

/**
 * Fastify reads a bare number as "trust nothing", so a hop count becomes the classic rule: the
 * nearest `hops` addresses (the socket peer first) are proxies, the next one is the client.
 */
function fastifyTrustProxy(trust: Config['trustProxy']): FastifyServerOptions['trustProxy'] {
  if (trust === false) return false;
  if ('hops' in trust) return (_address: string, hop: number) => hop < trust.hops;
  return trust.addresses;
}

/** An X-Request-Id from the proxy, if it looks like one; else a fresh UUID. Every log line carries it. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { config } = deps;
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
    frameworkErrors: answerFrameworkError,
    genReqId: requestId,
    clientErrorHandler: answerClientError,
    ...(deps.serializersOnFirstUse ? { schemaController: serializersOnFirstUse } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(application, deps);
  return app;
}
