/** The operator console's feature: its service over the other features, and the /api/admin routes. */
import type { Kysely } from 'kysely';
import fp from 'fastify-plugin';
import type { Database } from '../db/schema.js';
import type { RateLimiter } from '../infra/rate-limiter.js';
import { operatorRoutes } from './routes.js';
import { OperatorService } from './service.js';

export interface OperatorFeatureOptions {
  db: Kysely<Database>;
  rateLimiter: RateLimiter;
  reportLimit: { max: number; windowSeconds: number };
  clock?: () => number;
}

export const operatorFeature = fp<OperatorFeatureOptions>(
  async (app, { db, clock, rateLimiter, reportLimit }) => {
    const operators = new OperatorService(db, { rateLimiter, reportLimit, accounts: app.accounts, payments: app.payments, rooms: app.rooms, chat: app.chat, wallet: app.wallet, clock });
    await app.register(operatorRoutes, { operators, accounts: app.accounts, auth: app.requestAuth });
  },
  { name: 'operator', dependencies: ['accounts', 'auth', 'api-docs', 'rooms', 'chat', 'wallet', 'payments'] },
);
