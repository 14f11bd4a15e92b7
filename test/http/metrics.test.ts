/** GET /metrics: absent without METRICS_TOKEN, token-protected with it, Prometheus text with latency, refusals and sockets. */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TestClient } from '../helpers/client.js';

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
});
