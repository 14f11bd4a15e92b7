/**
 * Prometheus metrics at GET /metrics, only when METRICS_TOKEN is set and only for a scraper that
 * presents it as a bearer token. One registry per app, so several apps in one process (tests) do
 * not share counters.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { unauthorized } from './errors.js';

export interface MetricsOptions {
  token: string;
  /** Open WebSocket connections now (the realtime gateway's count). */
  openSockets: () => number;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const plugin: FastifyPluginAsync<MetricsOptions> = async (app, { token, openSockets }) => {
  const registry = new Registry();
  // Includes nodejs_eventloop_lag_seconds and the process's CPU, memory and handles.
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'http_refusals_total',
    help: 'Requests refused by a limit (429) or for lack of capacity (503), by route',
    labelNames: ['route', 'status'],
    registers: [registry],
  });
  new Gauge({
    name: 'websocket_connections',
    help: 'Open room WebSocket connections on this instance',
    registers: [registry],
    collect() {
      this.set(openSockets());
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    if (reply.statusCode === 429 || reply.statusCode === 503) refusals.inc({ route, status: String(reply.statusCode) });
  });

  app.get('/metrics', { config: { auth: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const header = request.headers.authorization ?? '';
    if (!header.startsWith('Bearer ') || !sameToken(header.slice(7), token)) throw unauthorized('A metrics token is required', 'metrics_token_required');
    return reply.type(registry.contentType).send(await registry.metrics());
  });
};

export const metrics = fp(plugin, { name: 'metrics' });
