/**
 * The anchor API answers cross-origin Bearer calls (the SillyTavern extension runs on the anchor's
 * own SillyTavern origin); the cookie-based viewer API stays same-origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { registerAnchor, registerViewer } from '../helpers/client.js';
import { openRoom, setLive } from '../helpers/rooms.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const SILLYTAVERN_ORIGIN = 'http://192.168.1.20:8000';

describe('CORS', () => {
  it('a preflight for the anchor API from any origin allows Bearer calls without credentials', async () => {
    const res = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/anchor/rooms/abc/typing',
      headers: { origin: SILLYTAVERN_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toContain('POST');
    expect(res.headers['access-control-allow-methods']).toContain('PATCH');
    expect(res.headers['access-control-allow-headers']).toBe('authorization, content-type');
    expect(Number(res.headers['access-control-max-age'])).toBeGreaterThan(0);
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('sign-in and a token POST from a foreign origin work and are readable; errors too', async () => {
    const anchor = await registerAnchor(t.app);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/anchor/login',
      headers: { origin: SILLYTAVERN_ORIGIN, 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      payload: JSON.stringify({ username: anchor.username, password: 'correct horse battery' }),
    });
    expect(login.statusCode).toBe(200);
    expect(login.headers['access-control-allow-origin']).toBe('*');
    const token = login.json().data.token as string;

    const created = await t.app.inject({
      method: 'POST',
      url: '/api/anchor/rooms',
      headers: { origin: SILLYTAVERN_ORIGIN, authorization: `Bearer ${token}`, 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      payload: JSON.stringify({ character_name: 'Seraphina', character_date: '2026-12-01@05h20m00s' }),
    });
    expect(created.statusCode).toBe(200);
    expect(created.headers['access-control-allow-origin']).toBe('*');

    const refused = await t.app.inject({
      method: 'GET',
      url: '/api/anchor/rooms',
      headers: { origin: SILLYTAVERN_ORIGIN, authorization: 'Bearer wrong-token' },
    });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe('*');
  });

  it('the cookie-based viewer API stays same-origin: no CORS headers, cross-site cookie writes refused', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    await setLive(anchor.client, roomId);
    const viewer = await registerViewer(t.app);
    const cookie = [...viewer.client.cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');

    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/live/save_user_chat_history',
      headers: { origin: SILLYTAVERN_ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();

    const write = await t.app.inject({
      method: 'POST',
      url: '/api/live/save_user_chat_history',
      headers: { origin: SILLYTAVERN_ORIGIN, cookie, 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      payload: JSON.stringify({ room_id: roomId, user_message: 'from another site' }),
    });
    expect(write.statusCode).toBe(403);
    expect(write.json()).toMatchObject({ code: 1, error: 'cross_site_request' });
    expect(write.headers['access-control-allow-origin']).toBeUndefined();

    // The same cookie on the anchor API from that origin is no anchor credential either.
    const cookieOnAnchorApi = await t.app.inject({
      method: 'POST',
      url: `/api/anchor/rooms/${roomId}/typing`,
      headers: { origin: SILLYTAVERN_ORIGIN, cookie, 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      payload: JSON.stringify({ floor: 0, text: 'x' }),
    });
    expect(cookieOnAnchorApi.statusCode).toBe(403);

    const history = await viewer.client.get('/api/live/get_user_chat_history', { query: { room_id: roomId } });
    expect(history.json().data.chat_info).toEqual([]);
  });
});
