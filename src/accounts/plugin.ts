/** The accounts feature: sign-up, login and sessions, and the access check every route declares. */
import type { Kysely } from 'kysely';
import fp from 'fastify-plugin';
import { googleSignInEnabled, type Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { RateLimiter } from '../infra/rate-limiter.js';
import { RequestAuth } from './auth.js';
import { GOOGLE_CALLBACK_PATH, googleRoutes } from './google-routes.js';
import { GoogleSignIn } from './google-sign-in.js';
import { routeAuth } from './route-auth.js';
import { accountsRoutes } from './routes.js';
import { AccountsService, type BalanceReader } from './service.js';
import { anchorTokenRoutes } from './token-routes.js';

export interface AccountsFeatureOptions {
  db: Kysely<Database>;
  /** The signed-in viewer's balance for user_info (a cached reader; see CachedBalances). */
  balances: BalanceReader;
  rateLimiter: RateLimiter;
  config: Pick<
    Config,
    | 'sessionTtlDays'
    | 'loginMaxFailures'
    | 'loginWindowSeconds'
    | 'loginMaxAttemptsPerOrigin'
    | 'loginSlowdownMaxMs'
    | 'registerMaxPerOrigin'
    | 'registerWindowSeconds'
    | 'passwordHashCost'
    | 'passwordHashConcurrency'
    | 'passwordHashMaxWaiting'
    | 'cookieSecure'
    | 'google'
    | 'publicUrl'
    | 'operatorSessionTtlMinutes'
    | 'operatorReauthMinutes'
  >;
  clock?: () => number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Resolves the caller as for `viewer` routes (the operator console's routes use it through config.auth). */
    requestAuth: RequestAuth;
    /** Other features register their part of account deletion here (addDeletionStep). */
    accounts: AccountsService;
  }
}

export const accountsFeature = fp<AccountsFeatureOptions>(
  async (app, { db, rateLimiter, config, clock, balances }) => {
    const { cookieSecure, google: googleConfig, publicUrl, ...accountOptions } = config;
    const accounts = new AccountsService(db, rateLimiter, { ...accountOptions, clock, balances });
    app.decorate('accounts', accounts);
    const auth = new RequestAuth(accounts, { cookieSecure });
    app.decorate('requestAuth', auth);
    await app.register(routeAuth, { auth });
    await app.register(accountsRoutes, { accounts, auth });
    await app.register(anchorTokenRoutes, { accounts });
    const google = googleSignInEnabled(googleConfig)
      ? new GoogleSignIn(googleConfig, `${publicUrl}${GOOGLE_CALLBACK_PATH}`, clock)
      : undefined;
    await app.register(googleRoutes, { accounts, auth, google, issuer: googleConfig.issuerUrl, cookieSecure });
  },
  { name: 'accounts', dependencies: ['@fastify/cookie', 'api-docs'] },
);
