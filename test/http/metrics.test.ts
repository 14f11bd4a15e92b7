/** GET /metrics: absent without METRICS_TOKEN, token-protected with it, Prometheus text with latency, refusals and sockets. */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryEventBus } from '../../src/realtime/memory-event-bus.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TestClient, registerAnchor, registerViewer } from '../helpers/client.js';
import { grantDiamonds } from '../wallet/fixtures.js';

/** An in-process bus that can be told it lost messages, as the Redis bus reports an outage. */
class GappyEventBus extends MemoryEventBus {
  private readonly gapHandlers = new Set<(lostSince: number) => void>();
  onGap(handler: (lostSince: number) => void): () => void {
    this.gapHandlers.add(handler);
    return () => this.gapHandlers.delete(handler);
  }
  gap(): void {
    for (const handler of this.gapHandlers) handler(Date.now());
  }
}

const opened: TestApp[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
});

describe('/metrics', () => {
  it('does not exist without a token', async () => {
    const t = await createTestApp();
    opened.push(t);
    expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(404);
  });

  it('needs the token, and reports route latency, limit refusals, sockets and event-loop lag', async () => {
    const t = await createTestApp({ config: { metricsToken: 'scrape-secret', registerMaxPerOrigin: 1 } });
    opened.push(t);
    expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);

    await t.app.inject({ url: '/api/live/get_all_lives' });
    for (let i = 0; i < 2; i++) await new TestClient(t.app).post('/api/users/register', { username: `metrics_${process.pid}_${i}`, password: 'long enough password' });
    const res = await t.app.inject({ url: '/metrics', headers: { authorization: 'Bearer scrape-secret' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/live\/get_all_lives",status="200"\} 1/);
    expect(res.body).toMatch(/http_refusals_total\{route="\/api\/users\/register",status="429"\} 1/);
    expect(res.body).toMatch(/^websocket_connections 0$/m);
    expect(res.body).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('reports ledger transfers by type, refused spending, payment orders by status and event-bus gaps', async () => {
    const bus = new GappyEventBus();
    const t = await createTestApp({ config: { metricsToken: 'scrape-secret' }, deps: { eventBus: bus } });
    opened.push(t);
    const scrape = async () => (await t.app.inject({ url: '/metrics', headers: { authorization: 'Bearer scrape-secret' } })).body;
    const viewer = await registerViewer(t.app);
    const anchor = await registerAnchor(t.app);
    expect(await scrape()).toMatch(/^event_bus_gaps_total 0$/m);

    await grantDiamonds(t.db, viewer.uid, 30);
    await grantDiamonds(t.db, viewer.uid, 30);
    expect((await viewer.client.post('/api/live/subscribe', { anchor_id: anchor.uid })).statusCode).toBe(402);
    expect((await viewer.client.post('/api/payment/process_recharge', { crypto_amount: 12 })).statusCode).toBe(200);
    bus.gap();

    const body = await scrape();
    expect(body).toMatch(/^ledger_transfers\{type="adjustment"\} 2$/m);
    expect(body).toMatch(/^ledger_refusals_total\{route="\/api\/live\/subscribe"\} 1$/m);
    expect(body).toMatch(/^payment_orders\{status="waiting"\} 1$/m);
    expect(body).toMatch(/^event_bus_gaps_total 1$/m);
    expect(body).toMatch(/^websocket_slow_clients_dropped_total 0$/m);
    expect(body).toMatch(/^websocket_rate_limited_total 0$/m);
  });
});
