/**
 * The OpenAPI document (/docs/json) and its UI (/docs). Registered before any route, so every
 * route is documented; features declare it as a dependency. Schemas with an $id become components
 * under that name, so the web client's generated types have stable names.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import type { AuthLevel } from './route-access.js';

export const apiDocs = fp(
  async (app) => {
    await app.register(swagger, {
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
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
    await app.register(async (docs) => {
      // The documentation is public; its routes come from the UI plugin, so they are declared here.
      docs.addHook('onRoute', (route) => {
        route.config = { ...route.config, auth: 'public' satisfies AuthLevel };
      });
      await docs.register(swaggerUi, { routePrefix: '/docs' });
    });
  },
  { name: 'api-docs' },
);
