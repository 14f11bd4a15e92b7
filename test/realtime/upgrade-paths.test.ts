/** Only the WebSocket endpoints accept an upgrade; any other path is a 404 envelope, never upgraded. */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { registerAnchor } from '../helpers/client.js';
import { openRoom } from '../helpers/rooms.js';

let t: TestApp;
let port: number;
let roomId: string;
beforeAll(async () => {
  t = await createTestApp();
  roomId = await openRoom((await registerAnchor(t.app)).client);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as { port: number }).port;
});
afterAll(() => t.close());

/** A WebSocket handshake; resolves with the HTTP answer, or 101 when the server upgraded. */
function handshake(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({
      agent: false,
      port,
      host: '127.0.0.1',
      path,
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve({ status: 101, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('WebSocket upgrade paths', () => {
  it.each(['/ws/nope', '/ws/chat/ROOM/extra/segments/here', '/ws/', '/', '/api/users/is_logged_in'])('%s is refused with a 404 envelope', async (path) => {
    const answer = await handshake(path.replace('ROOM', roomId));
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 1, error: 'not_found' });
  });

  it('the room socket still upgrades', async () => {
    expect((await handshake(`/ws/chat/${roomId}`)).status).toBe(101);
  });
});
