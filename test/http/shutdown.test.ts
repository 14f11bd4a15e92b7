/**
 * Shutting down behind a proxy: while the app closes, requests still reaching it on a kept-alive
 * connection are served (with Connection: close), and a WebSocket upgrade is refused with a 503 the
 * proxy can retry elsewhere, its socket closed, so nothing holds the shutdown open.
 */
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { registerAnchor } from '../helpers/client.js';
import { openRoom } from '../helpers/rooms.js';

let t: TestApp;
let port: number;
let roomId: string;

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as { port: number }).port;
  roomId = await openRoom((await registerAnchor(t.app)).client);
});
afterAll(() => t.close());

/** A raw WebSocket handshake; resolves with everything the server sent until it closed the socket. */
function rawUpgrade(): { socket: Socket; received: Promise<string> } {
  const socket = connect(port, '127.0.0.1', () =>
    socket.write(
      `GET /ws/chat/${roomId} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    ),
  );
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  return { socket, received: new Promise((resolve) => socket.once('close', () => resolve(text))) };
}

function get(agent: Agent, path: string): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('graceful shutdown', () => {
  it('serves requests on kept-alive connections and refuses upgrades without holding the shutdown', async () => {
    // A viewer that never answers the close frame keeps the app in its closing phase for a while.
    const viewer = rawUpgrade();
    await new Promise<void>((resolve) => viewer.socket.once('data', () => resolve()));
    // A proxy's kept-alive connection, busy with a request when the shutdown begins.
    const proxy = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await get(proxy, '/healthz')).status).toBe(200);

    const startedAt = Date.now();
    const closed = t.app.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const late = rawUpgrade();
    const served = await get(proxy, '/api/users/is_logged_in');
    expect(served).toEqual({ status: 200, connection: 'close' });
    const answer = await late.received;
    expect(answer).toMatch(/^HTTP\/1\.1 503 /);
    expect(answer).toContain('"error":"shutting_down"');

    await closed;
    // Bounded by the WebSocket close grace (2 s) for the silent viewer, not by the refused upgrade.
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    viewer.socket.destroy();
    proxy.destroy();
  });
});
