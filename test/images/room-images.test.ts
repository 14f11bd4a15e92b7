/**
 * Room covers and character avatars: uploads are re-encoded to fixed WebP sizes with nothing of the
 * original file kept but its pixels (EXIF, PNG text chunks such as a SillyTavern card's JSON), hostile
 * files are refused with an envelope and never decoded past their header, and the stored sizes are
 * served from the database by any instance, immutable, with an ETag.
 */
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { MemoryEventBus, MemoryPresence } from '../../src/realtime/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { registerAnchor, registerViewer, TestClient } from '../helpers/client.js';
import { openRoom, setLive } from '../helpers/rooms.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const CARD_JSON = JSON.stringify({ spec: 'chara_card_v2', data: { name: 'Seraphina', description: 'SECRET-CARD-PERSONA' } });

/** A PNG chunk: length, type, data, CRC of type + data. */
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A SillyTavern character card: a PNG with the card's JSON, base64, in a `chara` tEXt chunk. */
async function characterCard(): Promise<Buffer> {
  const png = await sharp({ create: { width: 400, height: 600, channels: 3, background: '#7a4ea8' } }).png().toBuffer();
  const iend = png.length - 12;
  const text = chunk('tEXt', Buffer.concat([Buffer.from('chara\0', 'latin1'), Buffer.from(Buffer.from(CARD_JSON).toString('base64'), 'latin1')]));
  return Buffer.concat([png.subarray(0, iend), text, png.subarray(iend)]);
}

/** A valid-looking PNG of a few dozen bytes declaring a 100,000 × 100,000 canvas. */
function pngBomb(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100_000, 0);
  ihdr.writeUInt32BE(100_000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const idat = chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), idat, chunk('IEND', Buffer.alloc(0))]);
}

function upload(client: TestClient, roomId: string, kind: 'cover' | 'avatar', body: Buffer, contentType = 'image/png') {
  return client.request('PUT', `/api/anchor/rooms/${roomId}/${kind}`, { payload: body, headers: { 'content-type': contentType } });
}

async function storedVariants(): Promise<Buffer[]> {
  return (await t.db.selectFrom('images').select('bytes').execute()).map((row) => Buffer.from(row.bytes));
}

describe('uploading room images', () => {
  it('re-encodes a character card to WebP sizes without its embedded JSON, shown in listings, info and the console', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client, { room_type: 0 });
    await setLive(anchor.client, roomId);
    const card = await characterCard();
    expect(card.includes('chara')).toBe(true);
    expect((await sharp(card).stats()).channels).toHaveLength(3);

    const res = await upload(anchor.client, roomId, 'avatar', card);
    expect(res.statusCode, res.body).toBe(200);
    const avatarUrl: string = res.json().data.room.avatar_url;
    expect(avatarUrl).toMatch(/^\/media\/[0-9a-f]{32}\/avatar-96\.webp$/);

    const photo = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#204060' } })
      .jpeg()
      .withExif({ IFD0: { Copyright: 'SECRET-EXIF-OWNER', Artist: 'SECRET-EXIF-OWNER' } })
      .toBuffer();
    expect(photo.includes('SECRET-EXIF-OWNER')).toBe(true);
    const cover = await upload(anchor.client, roomId, 'cover', photo, 'image/jpeg');
    expect(cover.statusCode, cover.body).toBe(200);

    // Nothing of either file but pixels was kept, in any stored size.
    const stored = await storedVariants();
    expect(stored).toHaveLength(4);
    for (const bytes of stored) {
      for (const secret of ['chara', 'SECRET-CARD-PERSONA', Buffer.from(CARD_JSON).toString('base64').slice(0, 24), 'SECRET-EXIF-OWNER', 'Exif']) {
        expect(bytes.includes(secret)).toBe(false);
      }
      const meta = await sharp(bytes).metadata();
      expect(meta.format).toBe('webp');
      expect(meta.exif).toBeUndefined();
      expect(meta.comments).toBeUndefined();
    }

    const listing = (await new TestClient(t.app).get('/api/live/get_all_lives')).json().data.lives_info.find((l: { room_id: string }) => l.room_id === roomId);
    expect(listing.cover_url).toMatch(/\/cover-480\.webp$/);
    expect(listing.avatar_url).toBe(avatarUrl);
    const info = (await new TestClient(t.app).get('/api/live/get_live_info', { query: { room_id: roomId } })).json().data.live_info;
    expect(info.cover_url).toMatch(/\/cover-1280\.webp$/);
    expect(info.avatar_url).toMatch(/\/avatar-256\.webp$/);

    const served = await new TestClient(t.app).get(info.cover_url);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/webp');
    expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const meta = await sharp(served.rawPayload).metadata();
    expect([meta.width, meta.height]).toEqual([1280, 720]);
    const etag = String(served.headers.etag);
    expect((await new TestClient(t.app).get(info.cover_url, { headers: { 'if-none-match': etag } })).statusCode).toBe(304);

    // Removing the cover brings back the generated look.
    const removed = await anchor.client.delete(`/api/anchor/rooms/${roomId}/cover`);
    expect(removed.json().data.room.cover_url).toBeNull();
  });

  it('serves the same image from another instance sharing the database', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const png = await sharp({ create: { width: 64, height: 64, channels: 4, background: '#ff000080' } }).png().toBuffer();
    const url: string = (await upload(anchor.client, roomId, 'avatar', png)).json().data.room.avatar_url;
    const other = await buildApp({ ...t.deps, eventBus: new MemoryEventBus(), presence: new MemoryPresence() });
    try {
      const res = await other.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.equals((await t.app.inject({ method: 'GET', url })).rawPayload)).toBe(true);
    } finally {
      await other.close();
    }
    expect((await t.app.inject({ method: 'GET', url: url.replace(/[0-9a-f]{32}/, '0'.repeat(32)) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: url.replace('avatar-96', 'avatar-97') })).statusCode).toBe(400);
  });

  it('refuses hostile and wrong files with an envelope, changing nothing', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const before = (await storedVariants()).length;
    const refusals: Array<[Buffer, string, number, string]> = [
      [pngBomb(), 'image/png', 422, 'image_too_many_pixels'],
      [Buffer.from('this is not an image at all, just text pretending'), 'image/png', 422, 'image_undecodable'],
      [(await characterCard()).subarray(0, 200), 'image/png', 422, 'image_undecodable'],
      [await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).gif().toBuffer(), 'image/png', 415, 'unsupported_image_type'],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'), 'image/png', 415, 'unsupported_image_type'],
      [Buffer.alloc(5 * 1024 * 1024 + 1, 1), 'image/png', 413, 'body_too_large'],
      [Buffer.alloc(0), 'image/png', 400, 'image_missing'],
    ];
    for (const [body, type, status, error] of refusals) {
      const res = await upload(anchor.client, roomId, 'cover', body, type);
      expect([res.statusCode, res.json().error], error).toEqual([status, error]);
      expect(res.json().code).toBe(1);
    }
    const text = await anchor.client.request('PUT', `/api/anchor/rooms/${roomId}/cover`, { payload: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(text.statusCode).toBe(415);
    expect(text.json().code).toBe(1);
    const json = await anchor.client.request('PUT', `/api/anchor/rooms/${roomId}/cover`, { body: { image: 'x' } });
    expect(json.statusCode).toBe(415);
    expect((await storedVariants()).length).toBe(before);
    expect((await anchor.client.get('/api/anchor/rooms')).json().data.rooms[0].cover_url).toBeNull();
  });

  it('another anchor gets 404, a viewer 403 and a guest 401 on upload and removal', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const png = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#123456' } }).png().toBuffer();
    const other = await registerAnchor(t.app);
    const viewer = await registerViewer(t.app);
    const guest = new TestClient(t.app);
    for (const kind of ['cover', 'avatar'] as const) {
      expect((await upload(other.client, roomId, kind, png)).statusCode).toBe(404);
      expect((await other.client.delete(`/api/anchor/rooms/${roomId}/${kind}`)).statusCode).toBe(404);
      expect((await upload(viewer.client, roomId, kind, png)).statusCode).toBe(403);
      expect((await viewer.client.delete(`/api/anchor/rooms/${roomId}/${kind}`)).statusCode).toBe(403);
      expect((await upload(guest, roomId, kind, png)).statusCode).toBe(401);
      expect((await guest.delete(`/api/anchor/rooms/${roomId}/${kind}`)).statusCode).toBe(401);
    }
  });
});
