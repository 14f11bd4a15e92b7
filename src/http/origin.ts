/**
 * Cross-site request defence for cookie-authenticated writes and WebSocket upgrades: the request's
 * Origin must be this site (the public URL, the Host it was sent to, or a configured extra origin).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbidden } from './errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A GET that changes state because the contract says so (log out): refused cross-site like a write. */
    changesStateOnGet?: boolean;
  }
}

export interface OriginPolicy {
  publicUrl: string;
  allowedOrigins: string[];
}

export function isSameSiteOrigin(origin: string, request: FastifyRequest, policy: OriginPolicy): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.origin === new URL(policy.publicUrl).origin) return true;
  if (policy.allowedOrigins.some((allowed) => allowed.replace(/\/+$/, '') === parsed.origin)) return true;
  // Same origin as the address the browser used: the attacker's page cannot choose our Host header.
  return request.headers.host !== undefined && parsed.host === request.headers.host;
}

/** Browsers send Origin and Sec-Fetch-Site on cross-site writes; non-browser clients send neither. */
export function isCrossSiteRequest(request: FastifyRequest, policy: OriginPolicy): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite === 'cross-site' || fetchSite === 'same-site') {
    const origin = request.headers.origin;
    return !(typeof origin === 'string' && isSameSiteOrigin(origin, request, policy));
  }
  const origin = request.headers.origin;
  if (typeof origin !== 'string' || origin === '') return false;
  return !isSameSiteOrigin(origin, request, policy);
}

/**
 * Refuses cross-site state-changing requests that carry cookies (CSRF). Bearer-token calls are
 * exempt. A GET counts as a write when its route says `changesStateOnGet` (a cross-site link or
 * image must not log the visitor out).
 */
export function installCrossSiteProtection(app: FastifyInstance, policy: OriginPolicy): void {
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method) && request.routeOptions.config.changesStateOnGet !== true) return;
    if (!request.headers.cookie || request.headers.authorization) return;
    if (isCrossSiteRequest(request, policy)) {
      throw forbidden('cross_site_request', 'Cross-site requests are not allowed');
    }
  });
}
