/**
 * Which address the per-IP limits see. By default it is the socket's peer, whatever
 * X-Forwarded-For says; forwarding headers count only when they come from a configured proxy.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TestClient, registerAnchor, uniqueName } from '../helpers/client.js';
import { openRoom, setLive } from '../helpers/rooms.js';
import { WsClient } from '../realtime/ws-client.js';

const LOGIN_LIMIT = 3;
const apps: TestApp[] = [];
const sockets: WsClient[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.socket.terminate();
  for (const app of apps.splice(0)) await app.close();
});

async function appTrusting(trustProxy: Config['trustProxy']): Promise<TestApp> {
  const t = await createTestApp({ config: { trustProxy, loginMaxAttemptsPerOrigin: LOGIN_LIMIT } });
  apps.push(t);
  return t;
}

/** A listening app with a live room; returns a connect function sending the given X-Forwarded-For. */
async function liveRoomSockets(trustProxy: Config['trustProxy'], maxConnectionsPerIp: number) {
  const t = await createTestApp({ config: { trustProxy } });
  apps.push(t);
  t.config.realtime.maxConnectionsPerIp = maxConnectionsPerIp;
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as { port: number };
  const { client: anchor } = await registerAnchor(t.app);
  const roomId = await openRoom(anchor);
  await setLive(anchor, roomId);
  return async (forwardedFor: string) => {
    const socket = await WsClient.connect(`ws://127.0.0.1:${port}/ws/chat/${roomId}`, { 'x-forwarded-for': forwardedFor });
    sockets.push(socket);
    return socket;
  };
}

/** A failed login for a fresh username, so only the per-IP limit can add up. */
function failLogin(t: TestApp, options: { remoteAddress?: string; forwardedFor?: string }) {
  return new TestClient(t.app).post(
    '/api/users/login',
    { username: uniqueName('guess'), password: 'wrong password!' },
    { remoteAddress: options.remoteAddress, headers: options.forwardedFor ? { 'x-forwarded-for': options.forwardedFor } : {} },
  );
}

async function statuses(requests: Array<() => Promise<{ statusCode: number }>>): Promise<number[]> {
  const result: number[] = [];
  for (const request of requests) result.push((await request()).statusCode);
  return result;
}

describe('client address for the per-IP limits', () => {
  it('ignores X-Forwarded-For by default: rotating it does not escape the login limit', async () => {
    const t = await appTrusting(false);
    const codes = await statuses(
      Array.from({ length: LOGIN_LIMIT + 2 }, (_, i) => () => failLogin(t, { remoteAddress: '203.0.113.7', forwardedFor: `198.51.100.${i}` })),
    );
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    // Another network is not affected.
    expect((await failLogin(t, { remoteAddress: '203.0.113.8' })).statusCode).toBe(401);
  });

  it('honours X-Forwarded-For from a configured proxy address, and only from it', async () => {
    const t = await appTrusting({ addresses: ['10.0.0.5'] });
    // Through the proxy: each forwarded client has its own count.
    const viaProxy = await statuses(
      Array.from({ length: LOGIN_LIMIT + 2 }, (_, i) => () => failLogin(t, { remoteAddress: '10.0.0.5', forwardedFor: `198.51.100.${i}` })),
    );
    expect(viaProxy).toEqual([401, 401, 401, 401, 401]);
    // ... and one forwarded client is limited on its own, even when the proxy is asked to append to a spoofed chain.
    const oneClient = await statuses(
      Array.from({ length: LOGIN_LIMIT + 1 }, (_, i) => () =>
        failLogin(t, { remoteAddress: '10.0.0.5', forwardedFor: `192.0.2.${i}, 198.51.100.200` }),
      ),
    );
    expect(oneClient).toEqual([401, 401, 401, 429]);
    // A client reaching the app directly cannot choose its address.
    const direct = await statuses(
      Array.from({ length: LOGIN_LIMIT + 1 }, (_, i) => () => failLogin(t, { remoteAddress: '203.0.113.9', forwardedFor: `198.51.100.${50 + i}` })),
    );
    expect(direct).toEqual([401, 401, 401, 429]);
  });

  it('with a hop count, takes the address that many hops from the socket', async () => {
    const t = await appTrusting({ hops: 1 });
    const codes = await statuses(
      Array.from({ length: LOGIN_LIMIT + 1 }, (_, i) => () =>
        failLogin(t, { remoteAddress: '10.0.0.5', forwardedFor: `192.0.2.${i}, 198.51.100.77` }),
      ),
    );
    expect(codes).toEqual([401, 401, 401, 429]);
  });

  it('the WebSocket per-IP cap counts the peer, not a rotating X-Forwarded-For', async () => {
    const connect = await liveRoomSockets(false, 2);
    await connect('198.51.100.1');
    await connect('198.51.100.2');
    await expect(connect('198.51.100.3')).rejects.toThrow('upgrade refused: 429');
  });

  it('the WebSocket per-IP cap counts forwarded clients apart behind a trusted proxy', async () => {
    const connect = await liveRoomSockets({ addresses: ['127.0.0.1'] }, 1);
    await connect('198.51.100.1');
    await connect('198.51.100.2');
    await expect(connect('198.51.100.1')).rejects.toThrow('upgrade refused: 429');
  });
});

describe('TRUST_PROXY setting', () => {
  const parse = (value: string) => loadConfig({ TRUST_PROXY: value }).trustProxy;

  it('defaults to trusting nobody', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(parse('')).toBe(false);
    expect(parse('none')).toBe(false);
    expect(parse('0')).toBe(false);
  });

  it('reads a hop count or a list of addresses and ranges', () => {
    expect(parse('2')).toEqual({ hops: 2 });
    expect(parse('127.0.0.1, 10.0.0.0/8,::1,fd00::/8,172.16.0.0/255.240.0.0,loopback')).toEqual({
      addresses: ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', '172.16.0.0/255.240.0.0', 'loopback'],
    });
  });

  it('refuses "trust everyone" and anything that is not an address', () => {
    for (const value of ['true', 'yes', '*', 'nginx', '10.0.0.0/33', '10.0.0.1/8/8', '::1/129', '-1']) {
      expect(() => parse(value), value).toThrow(/TRUST_PROXY/);
    }
  });
});
