import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

function expectEnvelope(res: { statusCode: number; json(): unknown }, status: number, error: string) {
  expect(res.statusCode).toBe(status);
  const body = res.json() as Record<string, unknown>;
  expect(body).toMatchObject({ code: 1, error });
  expect(typeof body.message).toBe('string');
}

describe('error envelope', () => {
  it('unknown route and wrong method', async () => {
    expectEnvelope(await t.app.inject({ url: '/api/nope' }), 404, 'not_found');
    expectEnvelope(await t.app.inject({ method: 'DELETE', url: '/api/users/is_logged_in' }), 404, 'not_found');
  });

  it('malformed JSON, wrong types, missing fields', async () => {
    const post = (payload: string) =>
      t.app.inject({ method: 'POST', url: '/api/users/register', payload, headers: { 'content-type': 'application/json' } });
    expectEnvelope(await post('{"username":'), 400, 'invalid_json');
    expectEnvelope(await post('{"username":123,"password":"abcdefghij"}'), 400, 'invalid_request');
    expectEnvelope(await post('{"username":"someone"}'), 400, 'invalid_request');
    expectEnvelope(await post('[]'), 400, 'invalid_request');
  });

  it('unsupported content type', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/users/login', payload: 'username=a', headers: { 'content-type': 'text/xml' } });
    expectEnvelope(res, 415, 'unsupported_media_type');
  });

  it('a 1 MB body is refused and the server keeps serving', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/users/register',
      payload: JSON.stringify({ username: 'x'.repeat(1024 * 1024), password: 'y' }),
      headers: { 'content-type': 'application/json' },
    });
    expectEnvelope(res, 413, 'body_too_large');
    expect((await t.app.inject({ url: '/api/users/is_logged_in' })).statusCode).toBe(200);
  });

  it('health and readiness', async () => {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ code: 0, status: 'ok' });
    expect((await t.app.inject({ url: '/readyz' })).json()).toEqual({ code: 0, status: 'ready', checks: { database: 'ok' } });
  });

  it('serves the OpenAPI document with the contract routes', async () => {
    const res = await t.app.inject({ url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/users/is_logged_in', '/api/users/login_out']));
  });
});
