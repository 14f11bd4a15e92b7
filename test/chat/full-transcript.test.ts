/**
 * get_live_chat_history called as the contract shows it, with only room_id, answers the whole
 * transcript (up to TRANSCRIPT_FULL_CAP latest lines); limit / before_floor keep paging. The clock
 * stands still, so the cached transcript can only change through the room's events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TestClient, registerAnchor } from '../helpers/client.js';
import { openRoom, postMessages } from '../helpers/rooms.js';

let t: TestApp;
let capped: TestApp;
const now = Date.now();
beforeAll(async () => {
  t = await createTestApp({ deps: { clock: () => now } });
  capped = await createTestApp({ config: { transcriptFullCap: 50 }, deps: { clock: () => now } });
});
afterAll(async () => {
  await t.close();
  await capped.close();
});

const line = (floor: number) => ({ name: floor % 2 ? 'Seraphina' : 'Lin', is_user: floor % 2 === 0, mes: `line ${floor}`, floor });

async function roomWithLines(app: TestApp, count: number) {
  const anchor = await registerAnchor(app.app);
  const roomId = await openRoom(anchor.client);
  for (let start = 0; start < count; start += 500) {
    const batch = Array.from({ length: Math.min(500, count - start) }, (_, i) => line(start + i));
    expect((await postMessages(anchor.client, roomId, { messages: batch })).statusCode).toBe(200);
  }
  return { anchor, roomId };
}

async function history(app: TestApp, roomId: string, query: Record<string, unknown> = {}) {
  const res = await new TestClient(app.app).get('/api/live/get_live_chat_history', { query: { room_id: roomId, ...query } });
  expect(res.statusCode).toBe(200);
  return res.json().data as { chat_info: Array<{ floor: number; live_message: string }>; has_more: boolean };
}

const floors = (page: { chat_info: Array<{ floor: number }> }) => page.chat_info.map((item) => item.floor);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('the whole transcript by default', () => {
  it('a 215-line room answers all 215 lines with only room_id', async () => {
    const { roomId } = await roomWithLines(t, 215);
    const whole = await history(t, roomId);
    expect(floors(whole)).toEqual(range(0, 215));
    expect(whole.has_more).toBe(false);
    expect(whole.chat_info[0]!.live_message).toBe('line 0');
  });

  it('paging is unchanged: limit alone gives the latest page, before_floor pages back', async () => {
    const { roomId } = await roomWithLines(t, 215);
    const latest = await history(t, roomId, { limit: 200 });
    expect(floors(latest)).toEqual(range(15, 215));
    expect(latest.has_more).toBe(true);
    const older = await history(t, roomId, { before_floor: 15 });
    expect(floors(older)).toEqual(range(0, 15));
    expect(older.has_more).toBe(false);
    const post = await new TestClient(t.app).post('/api/live/get_live_chat_history', { room_id: roomId });
    expect(post.json().data.chat_info).toHaveLength(215);
  });

  it('reads past the database chunk size without gaps or repeats', async () => {
    const { roomId } = await roomWithLines(t, 2_300);
    const whole = await history(t, roomId);
    expect(floors(whole)).toEqual(range(0, 2_300));
    expect(whole.has_more).toBe(false);
  });

  it('respects the configured cap: the latest lines, with has_more, and the rest pages back', async () => {
    const { roomId } = await roomWithLines(capped, 120);
    const whole = await history(capped, roomId);
    expect(floors(whole)).toEqual(range(70, 120));
    expect(whole.has_more).toBe(true);
    const older = await history(capped, roomId, { before_floor: 70, limit: 100 });
    expect(floors(older)).toEqual(range(0, 70));

    const { roomId: exact } = await roomWithLines(capped, 50);
    expect((await history(capped, exact)).has_more).toBe(false);
  });

  it('follows a new line, an edit and a deletion at once (the cache is dropped by each)', async () => {
    const { anchor, roomId } = await roomWithLines(t, 215);
    expect(await history(t, roomId)).toMatchObject({ has_more: false });

    await postMessages(anchor.client, roomId, { name: 'Seraphina', is_user: false, mes: 'a new line' });
    let whole = await history(t, roomId);
    expect(whole.chat_info).toHaveLength(216);
    expect(whole.chat_info.at(-1)!.live_message).toBe('a new line');

    await postMessages(anchor.client, roomId, { ...line(3), mes: 'line 3, edited' });
    whole = await history(t, roomId);
    expect(whole.chat_info[3]!.live_message).toBe('line 3, edited');

    expect((await anchor.client.delete(`/api/anchor/rooms/${roomId}/messages/0`)).statusCode).toBe(200);
    whole = await history(t, roomId);
    expect(whole.chat_info).toHaveLength(215);
    expect(whole.chat_info[0]!.floor).toBe(1);
  });

  it('hidden lines stay out and an empty room answers an empty transcript', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    expect(await history(t, roomId)).toMatchObject({ chat_info: [], has_more: false });
    await postMessages(anchor.client, roomId, { messages: [line(0), { ...line(1), is_system: true }, line(2)] });
    expect(floors(await history(t, roomId))).toEqual([0, 2]);
  });
});
