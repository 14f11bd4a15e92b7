/**
 * Enforces the access each route declares (`config: { auth }`, see src/http/route-access.ts): one
 * hook resolves the caller before the handler runs. A route registered without a declaration
 * stops the app from starting, so a forgotten check cannot fail open.
 */
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { AUTH_LEVELS, type AuthLevel } from '../http/route-access.js';
import type { RequestAuth } from './auth.js';
import type { SessionUser, Viewer } from './service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on `viewer` routes: the signed-in user or the guest. */
    viewer: Viewer;
    /** Set on `user`, `anchor` and `operator` routes: the signed-in user, the anchor, or the operator. */
    user: SessionUser;
  }
  interface FastifyInstance {
    /**
     * What a `viewer` route resolves, for a `public` route that needs it only sometimes (the web
     * app's catch-all: for its pages, not its assets). Issues the guest cookie to a cookieless guest.
     */
    identifyViewer(request: FastifyRequest, reply: FastifyReply): Promise<Viewer>;
  }
}

const ANCHOR_SECURITY = [{ anchorToken: [] }];

export const routeAuth = fp<{ auth: RequestAuth }>(
  async (app, { auth }) => {
    const resolvers: Record<Exclude<AuthLevel, 'public'>, (request: FastifyRequest, reply: FastifyReply) => Promise<void>> = {
      viewer: async (request, reply) => {
        request.viewer = await auth.viewer(request, reply);
      },
      user: async (request, reply) => {
        request.user = await auth.requireUser(request, reply);
      },
      anchor: async (request) => {
        request.user = await auth.requireAnchor(request);
      },
      operator: async (request, reply) => {
        request.user = await auth.requireOperator(request, reply);
      },
    };

    app.decorate('identifyViewer', (request: FastifyRequest, reply: FastifyReply) => auth.viewer(request, reply));
    app.decorateRequest('viewer', null, []);
    app.decorateRequest('user', null, []);

    app.addHook('onRoute', (route: RouteOptions) => {
      const level = route.config?.auth;
      if (!level || !AUTH_LEVELS.includes(level)) {
        throw new Error(`${String(route.method)} ${route.url} declares no config.auth (one of ${AUTH_LEVELS.join(', ')})`);
      }
      if (level === 'public') return;
      if (level === 'operator') {
        // The console's routes are nobody else's business: the role is checked before the body is
        // parsed or validated, so a non-operator gets 401/403 whatever it sends and learns nothing
        // of a route's shape from its 400s.
        route.onRequest = [resolvers.operator, ...(route.onRequest === undefined ? [] : [route.onRequest].flat())];
        return;
      }
      // A hook on the route itself, after validation: bad input to the public API is still a 400
      // before any auth answer, and public routes (the hottest ones) pay nothing.
      route.preHandler = [resolvers[level], ...(route.preHandler === undefined ? [] : [route.preHandler].flat())];
      if (level === 'anchor' && route.schema) route.schema.security ??= ANCHOR_SECURITY;
    });
  },
  { name: 'auth', dependencies: ['@fastify/cookie'] },
);
