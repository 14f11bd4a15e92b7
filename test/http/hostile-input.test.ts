/**
 * Hostile input is refused in the envelope before it reaches the database or any recursive work:
 * NUL characters, integers past the database's range, ids that are not ids, deep nesting, and
 * requests Fastify or Node cannot route or parse at all.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIpnBody } from '../../src/payments/ipn-signature.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { PASSWORD, TestClient, registerAnchor } from '../helpers/client.js';
import { openRoom } from '../helpers/rooms.js';

let t: TestApp;
let anchor: TestClient;
let roomId: string;
beforeAll(async () => {
  t = await createTestApp();
  anchor = (await registerAnchor(t.app)).client;
  roomId = await openRoom(anchor);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t.close());

function expectEnvelope(res: { statusCode: number; json(): unknown }, status: number, error?: string) {
  expect(res.statusCode).toBe(status);
  const body = res.json() as Record<string, unknown>;
  expect(body).toMatchObject({ code: 1, ...(error ? { error } : {}) });
  expect(typeof body.message).toBe('string');
}

/** Nesting that overflows a recursive walk: `[[[…]]]`, `depth` levels. */
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('NUL characters', () => {
  it('are refused in a path, a query string and a body', async () => {
    expectEnvelope(await t.app.inject({ url: `/api/live/get_live_info?room_id=${roomId}%00` }), 400, 'invalid_request');
    expectEnvelope(await anchor.get(`/api/anchor/rooms/${roomId}%00x/live`), 404);
    expectEnvelope(await anchor.post(`/api/anchor/rooms/a%00b/live`, { live_status: 'start' }), 400, 'invalid_request');
    expectEnvelope(await new TestClient(t.app).post('/api/users/register', { username: `nul${'\u0000'}name`, password: PASSWORD }), 400, 'invalid_request');
    expectEnvelope(await new TestClient(t.app).post('/api/live/save_user_chat_history', { room_id: roomId, user_message: 'hi\u0000' }), 400, 'invalid_request');
  });
});

describe('numbers and ids', () => {
  it('integers beyond the database range are refused, not sent to it', async () => {
    expectEnvelope(await t.app.inject({ url: `/api/live/get_live_chat_history?room_id=${roomId}&before_floor=1e21` }), 400, 'invalid_request');
    expectEnvelope(await anchor.delete(`/api/anchor/rooms/${roomId}/user_messages/99999999999999999999`), 400, 'invalid_request');
    expectEnvelope(await anchor.delete(`/api/anchor/rooms/${roomId}/messages/4294967296`), 400, 'invalid_request');
    for (const query of ['after_floor=99999999999', 'after_user_message_id=99999999999999999999', 'changed_since=1e300']) {
      expectEnvelope(await t.app.inject({ url: `/ws/chat/${roomId}?${query}` }), 400, 'invalid_request');
    }
  });

  it('a room id that is not an id is refused', async () => {
    expectEnvelope(await anchor.post(`/api/anchor/rooms/${encodeURIComponent('<script>')}/live`, { live_status: 'start' }), 400, 'invalid_request');
  });
});

describe('deep nesting', () => {
  it('a deeply nested IPN with any signature is a 400, and an oversized one a 413', async () => {
    const body = `{"payment_id":1,"payment_status":"finished","x":${nested(5000)}}`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/payment/ipn',
      payload: body,
      headers: { 'content-type': 'application/json', 'x-nowpayments-sig': signIpnBody({ a: 1 }, 'whatever') },
    });
    expectEnvelope(res, 400, 'invalid_ipn');
    const huge = await t.app.inject({ method: 'POST', url: '/api/payment/ipn', payload: `{"x":"${'a'.repeat(20_000)}"}`, headers: { 'content-type': 'application/json' } });
    expectEnvelope(huge, 413, 'body_too_large');
  });

  it("a message's extra nested too deeply is refused without leaking the stack error, as JSON and in a chat file", async () => {
    const json = await anchor.request('POST', `/api/anchor/rooms/${roomId}/messages`, {
      payload: `{"name":"A","is_user":false,"mes":"hi","extra":${nested(20_000)}}`,
      headers: { 'content-type': 'application/json' },
    });
    expectEnvelope(json, 400, 'invalid_request');
    expect(json.body).not.toContain('call stack');
    const file = await anchor.request('POST', `/api/anchor/rooms/${roomId}/messages`, {
      payload: `{"character_name":"A"}\n{"name":"A","is_user":false,"mes":"hi","extra":${nested(20_000)}}`,
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expectEnvelope(file, 400, 'invalid_chat_line');
    expect(file.body).not.toContain('call stack');
  });
});

/** Sends raw bytes on a fresh connection and returns what comes back until the server closes it. */
function rawRequest(text: string): Promise<{ status: number; body: string }> {
  const address = t.app.server.address() as { port: number };
  return new Promise((resolve, reject) => {
    const socket = connect(address.port, '127.0.0.1', () => socket.end(text));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const match = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (!match) return reject(new Error(`no HTTP answer: ${JSON.stringify(answer.slice(0, 200))}`));
      resolve({ status: Number(match[1]), body: answer.slice(answer.indexOf('\r\n\r\n') + 4) });
    });
  });
}

describe('requests the router or Node cannot handle', () => {
  it('bad percent-encoding and an over-long path parameter', async () => {
    expectEnvelope(await anchor.post(`/api/anchor/rooms/%E0%A4%A/live`, { live_status: 'start' }), 400, 'invalid_url');
    expectEnvelope(await anchor.post(`/api/anchor/rooms/${'a'.repeat(500)}/live`, { live_status: 'start' }), 414, 'uri_too_long');
  });

  it('headers too large (431) and a malformed request (400) are answered in the envelope', async () => {
    const tooLarge = await rawRequest(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(tooLarge.status).toBe(431);
    expect(JSON.parse(tooLarge.body)).toMatchObject({ code: 1, error: 'headers_too_large' });
    const garbage = await rawRequest('NOT HTTP AT ALL\r\n\r\n');
    expect(garbage.status).toBe(400);
    expect(JSON.parse(garbage.body)).toMatchObject({ code: 1, error: 'bad_request' });
    const health = await t.app.inject({ url: '/healthz' });
    expect(health.statusCode).toBe(200);
  });
});
