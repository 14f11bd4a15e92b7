import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { pingDatabase } from '../db/database.js';
import type { Database } from '../db/schema.js';

const Status = Type.Object({ code: Type.Integer(), status: Type.String() });

/** Liveness (process up) and readiness (database reachable) for load balancers and orchestrators. */
export const healthRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get('/healthz', { config: { auth: 'public' }, schema: { tags: ['ops'], response: { 200: Status } } }, async () => ({ code: 0, status: 'ok' }));

  app.get(
    '/readyz',
    { config: { auth: 'public' }, schema: { tags: ['ops'], response: { 200: Status, 503: Status } } },
    async (request, reply) => {
      try {
        await pingDatabase(db);
        return { code: 0, status: 'ready' };
      } catch (err) {
        request.log.warn({ err }, 'readiness check failed');
        return reply.status(503).send({ code: 1, status: 'database_unreachable' });
      }
    },
  );
};
