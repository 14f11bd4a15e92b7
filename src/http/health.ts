import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { pingDatabase } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { RedisClient } from '../infra/redis.js';

const Status = Type.Object({
  code: Type.Integer(),
  status: Type.String(),
  checks: Type.Optional(Type.Record(Type.String(), Type.String({ description: 'ok, or what failed' }))),
});

/** A dependency that does not answer within this long counts as down: a load balancer waits for no one. */
const CHECK_TIMEOUT_MS = 2000;

function withinTimeout(check: Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
  });
  return Promise.race([check, timeout]).finally(() => clearTimeout(timer));
}

export interface HealthOptions {
  db: Kysely<Database>;
  /** With REDIS_URL: the shared Redis (rate limits, presence, cluster lock) must answer too. */
  redis?: RedisClient;
}

/** Liveness (process up) and readiness (database, and Redis when configured, reachable) for load balancers. */
export const healthRoutes: FastifyPluginAsyncTypebox<HealthOptions> = async (app, { db, redis }) => {
  app.get('/healthz', { config: { auth: 'public' }, schema: { tags: ['ops'], response: { 200: Status } } }, async () => ({ code: 0, status: 'ok' }));

  app.get(
    '/readyz',
    { config: { auth: 'public' }, schema: { tags: ['ops'], response: { 200: Status, 503: Status } } },
    async (request, reply) => {
      const checks: Record<string, () => Promise<unknown>> = { database: () => pingDatabase(db) };
      if (redis) checks.redis = () => redis.ping();
      const results: Record<string, string> = {};
      let failed: string | undefined;
      for (const [name, check] of Object.entries(checks)) {
        try {
          await withinTimeout(check());
          results[name] = 'ok';
        } catch (err) {
          request.log.warn({ err, dependency: name }, 'readiness check failed');
          results[name] = (err as Error).message || 'unreachable';
          failed ??= name;
        }
      }
      if (failed) return reply.status(503).send({ code: 1, status: `${failed}_unreachable`, checks: results });
      return { code: 0, status: 'ready', checks: results };
    },
  );
};
