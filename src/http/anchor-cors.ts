/**
 * CORS for the anchor API only. The anchor's tool (the SillyTavern extension) runs on the anchor's
 * own SillyTavern origin, any host and port, and calls /api/anchor/* with a Bearer token. Those
 * calls carry no cookies (credentials are not allowed), so any origin may make them. The viewer API
 * authenticates with cookies and stays same-origin: it sends no CORS headers at all.
 */
import type { FastifyInstance } from 'fastify';

export const ANCHOR_API_PREFIX = '/api/anchor/';
const ALLOWED_METHODS = 'GET, POST, PATCH, DELETE';
const ALLOWED_HEADERS = 'authorization, content-type';
/** Browsers cap this (Chromium: 2 hours); a day asks for the most they allow. */
const PREFLIGHT_MAX_AGE_SECONDS = 86_400;

export function installAnchorApiCors(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(ANCHOR_API_PREFIX) || request.headers.origin === undefined) return;
    reply.header('access-control-allow-origin', '*');
    reply.header('access-control-expose-headers', 'retry-after');
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      return reply
        .code(204)
        .header('access-control-allow-methods', ALLOWED_METHODS)
        .header('access-control-allow-headers', ALLOWED_HEADERS)
        .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS))
        .send();
    }
  });
}
