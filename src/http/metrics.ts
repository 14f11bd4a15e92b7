/**
 * Prometheus metrics at GET /metrics, only when METRICS_TOKEN is set and only for a scraper that
 * presents it as a bearer token. One registry per app, so several apps in one process (tests) do
 * not share counters.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/schema.js';
import type { Telemetry, TelemetryCounter } from '../infra/telemetry.js';
import { unauthorized } from './errors.js';

export interface MetricsOptions {
  token: string;
  /** Open WebSocket connections now (the realtime gateway's count). */
  openSockets: () => number;
  /** Read when scraped: ledger transfers by type and payment orders by status, cluster-wide. */
  db: Kysely<Database>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The features' counters (src/infra/telemetry.ts); present only when /metrics is on. */
    telemetry: Telemetry;
  }
}

const TELEMETRY_HELP: Record<TelemetryCounter, string> = {
  websocket_slow_clients_dropped: 'WebSocket clients dropped (close 4008) for reading too slowly',
  websocket_rate_limited: 'WebSocket client frames refused by the per-socket rate limit',
  event_bus_gaps: 'Times the event bus lost its subscription and rooms caught up from the database',
};

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const plugin: FastifyPluginAsync<MetricsOptions> = async (app, { token, openSockets, db }) => {
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

  const counters = new Map<TelemetryCounter, Counter>();
  for (const [name, help] of Object.entries(TELEMETRY_HELP) as Array<[TelemetryCounter, string]>) {
    counters.set(name, new Counter({ name: `${name}_total`, help, registers: [registry] }));
  }
  app.decorate('telemetry', { count: (name: TelemetryCounter) => counters.get(name)?.inc() } satisfies Telemetry);

  const ledgerRefusals = new Counter({
    name: 'ledger_refusals_total',
    help: 'Diamond spending refused for lack of balance (402 insufficient_balance), by route',
    labelNames: ['route'],
    registers: [registry],
  });
  // Counted from the database when scraped: the same on every instance, and never lost by a restart.
  // Ledger transfers are append-only, so their count only grows, as a Prometheus counter must.
  new Gauge({
    name: 'ledger_transfers',
    help: 'Ledger transfers recorded (cluster-wide), by type; rate() gives transfers per second',
    labelNames: ['type'],
    registers: [registry],
    async collect() {
      const rows = await db.selectFrom('ledger_transfers').select(['type', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('type').execute();
      this.reset();
      for (const row of rows) this.set({ type: row.type }, Number(row.n));
    },
  });
  new Gauge({
    name: 'payment_orders',
    help: 'Recharge orders (cluster-wide), by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await db.selectFrom('payment_orders').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
      this.reset();
      for (const row of rows) this.set({ status: row.status }, Number(row.n));
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    if (reply.statusCode === 429 || reply.statusCode === 503) refusals.inc({ route, status: String(reply.statusCode) });
    if (reply.statusCode === 402) ledgerRefusals.inc({ route });
  });

  app.get('/metrics', { config: { auth: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const header = request.headers.authorization ?? '';
    if (!header.startsWith('Bearer ') || !sameToken(header.slice(7), token)) throw unauthorized('A metrics token is required', 'metrics_token_required');
    return reply.type(registry.contentType).send(await registry.metrics());
  });
};

export const metrics = fp(plugin, { name: 'metrics' });
