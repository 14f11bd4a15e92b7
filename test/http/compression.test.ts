/**
 * JSON answers are compressed for clients that accept it once they are big enough to gain from it;
 * small answers (the hot session and room-info routes) go out as they are.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptedEncoding } from '../../src/http/compression.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TestClient, registerAnchor } from '../helpers/client.js';
import { openRoom, postMessages, setLive } from '../helpers/rooms.js';

let t: TestApp;
let roomId: string;
beforeAll(async () => {
  t = await createTestApp();
  const anchor = await registerAnchor(t.app);
  roomId = await openRoom(anchor.client);
  await setLive(anchor.client, roomId);
  const messages = Array.from({ length: 200 }, (_, i) => ({
    name: i % 2 ? 'Seraphina' : 'Traveler',
    is_user: i % 2 === 0,
    mes: `*The fire crackles* "The forest remembers everyone who walks it," she says. (${i})`,
  }));
  await postMessages(anchor.client, roomId, { messages });
});
afterAll(() => t.close());

const history = (client: TestClient, headers: Record<string, string>, query: Record<string, string | number> = {}) =>
  client.get('/api/live/get_live_chat_history', { query: { room_id: roomId, ...query }, headers });

describe('response compression', () => {
  it('sends the 200-line history compressed as Brotli or gzip, the same JSON as uncompressed', async () => {
    const viewer = new TestClient(t.app);
    const plain = await history(viewer, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    const json = plain.json();
    expect(json.data.chat_info).toHaveLength(200);

    const br = await history(viewer, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 5);
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString('utf8'))).toEqual(json);

    const gzip = await history(viewer, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzip.rawPayload).toString('utf8'))).toEqual(json);
  });

  it('compresses answers built per request too (an older page of the history)', async () => {
    const viewer = new TestClient(t.app);
    const page = await history(viewer, { 'accept-encoding': 'gzip' }, { before_floor: 150, limit: 100 });
    expect(page.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(page.rawPayload).toString('utf8')).data.chat_info).toHaveLength(100);
  });

  it('leaves small answers alone', async () => {
    const viewer = new TestClient(t.app);
    const session = await viewer.get('/api/users/is_logged_in', { headers: { 'accept-encoding': 'br, gzip' } });
    expect(session.headers['content-encoding']).toBeUndefined();
    expect(session.json().code).toBe(0);
    const info = await viewer.get('/api/live/get_live_info', { query: { room_id: roomId }, headers: { 'accept-encoding': 'br, gzip' } });
    expect(info.headers['content-encoding']).toBeUndefined();
    expect(info.json().data.live_info.room_id).toBe(roomId);
  });

  it('reads Accept-Encoding as HTTP means it', () => {
    expect(acceptedEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(acceptedEncoding('gzip;q=1.0, br;q=0')).toBe('gzip');
    expect(acceptedEncoding('br;q=0, gzip;q=0')).toBeUndefined();
    expect(acceptedEncoding('*')).toBe('gzip');
    expect(acceptedEncoding('identity')).toBeUndefined();
    expect(acceptedEncoding(undefined)).toBeUndefined();
  });
});
