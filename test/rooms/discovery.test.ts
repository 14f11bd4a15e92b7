/**
 * Discovery through the HTTP API, on the engine under test: room tags (normalised, at most five),
 * the home page's live sections (most watched, new, by tag), and full-text search of titles,
 * character and anchor names in Chinese and English, kept in step with every change.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dialectUnderTest, type TestApp } from '../helpers/app.js';
import { PASSWORD, registerAnchor, registerViewer, TestClient, uniqueName } from '../helpers/client.js';
import { openRoom, setLive } from '../helpers/rooms.js';

let t: TestApp;
let now = Date.now();
beforeAll(async () => {
  t = await createTestApp({ deps: { clock: () => now } });
});
afterAll(() => t.close());

interface Listing {
  room_id: string;
  tags: string[];
  live_status?: boolean;
}

async function search(query: Record<string, string | number>): Promise<Listing[]> {
  const res = await new TestClient(t.app).get('/api/live/search', { query });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data.lives_info as Listing[];
}

async function searchIds(q: string, extra: Record<string, string> = {}): Promise<string[]> {
  return (await search({ q, ...extra })).map((hit) => hit.room_id);
}

async function lives(query: Record<string, string> = {}): Promise<Listing[]> {
  const res = await new TestClient(t.app).get('/api/live/get_all_lives', { query });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data.lives_info as Listing[];
}

describe('room tags', () => {
  it('are normalised so case and width variants are one tag, at most five, and shown in listings', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client, { tags: ['RPG', 'ＲＰＧ', 'rpg', '恋爱', '  Slow   Burn '] });
    const mine = await anchor.client.get('/api/anchor/rooms');
    expect(mine.json().data.rooms[0]).toMatchObject({ room_id: roomId, tags: ['rpg', '恋爱', 'slow burn'] });

    const six = await anchor.client.patch(`/api/anchor/rooms/${roomId}`, { tags: ['a', 'b', 'c', 'd', 'e', 'f'], title: 'not saved' });
    expect(six.statusCode).toBe(400);
    expect(six.json()).toMatchObject({ code: 1, error: 'too_many_tags' });
    const tooLong = await anchor.client.patch(`/api/anchor/rooms/${roomId}`, { tags: ['x'.repeat(25)] });
    expect(tooLong.json()).toMatchObject({ code: 1, error: 'tag_too_long' });

    // Five distinct after normalising, although six were sent.
    const five = await anchor.client.patch(`/api/anchor/rooms/${roomId}`, { tags: ['A', 'ａ', 'b', 'c', 'd', 'e'] });
    expect(five.statusCode).toBe(200);
    expect(five.json().data.room).toMatchObject({ tags: ['a', 'b', 'c', 'd', 'e'], title: '' });

    await setLive(anchor.client, roomId);
    const listing = (await lives()).find((room) => room.room_id === roomId);
    expect(listing?.tags).toEqual(['a', 'b', 'c', 'd', 'e']);
    const info = await new TestClient(t.app).get('/api/live/get_live_info', { query: { room_id: roomId, uid: '' } });
    expect(info.json().data.live_info.tags).toEqual(['a', 'b', 'c', 'd', 'e']);

    const cleared = await anchor.client.patch(`/api/anchor/rooms/${roomId}`, { tags: [] });
    expect(cleared.json().data.room.tags).toEqual([]);
  });

  it('filter the live list, the search and the tag list, in any case or width', async () => {
    const tag = `cosy${process.pid}`;
    const anchor = await registerAnchor(t.app);
    const tagged = await openRoom(anchor.client, { tags: [tag.toUpperCase(), '治愈'] });
    const other = await openRoom(anchor.client, { tags: ['horror'] });
    const offline = await openRoom(anchor.client, { tags: [tag] });
    await setLive(anchor.client, tagged);
    await setLive(anchor.client, other);

    const fullWidth = tag.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    expect((await lives({ tag: fullWidth })).map((room) => room.room_id)).toEqual([tagged]);
    expect((await lives({ tag: '治愈', sort: 'new' })).map((room) => room.room_id)).toEqual([tagged]);

    // Search by tag alone finds live and offline rooms, live first.
    const byTag = await search({ tag: tag.toUpperCase() });
    expect(byTag.map((hit) => [hit.room_id, hit.live_status])).toEqual([
      [tagged, true],
      [offline, false],
    ]);

    const tags = await new TestClient(t.app).get('/api/live/tags');
    expect(tags.json().data.tags).toEqual(expect.arrayContaining([{ tag, live_count: 1 }, { tag: '治愈', live_count: 1 }]));
  });
});

describe('home page sections', () => {
  it('new lists live rooms newest first; the default stays most watched', async () => {
    const anchor = await registerAnchor(t.app);
    const tag = `fresh${process.pid}`;
    const older = await openRoom(anchor.client, { tags: [tag] });
    now += 1_000;
    const newer = await openRoom(anchor.client, { tags: [tag] });
    await setLive(anchor.client, older);
    await setLive(anchor.client, newer);
    expect((await lives({ tag, sort: 'new' })).map((room) => room.room_id)).toEqual([newer, older]);
    const all = (await lives({ sort: 'new' })).map((room) => room.room_id);
    expect(all.indexOf(newer)).toBeLessThan(all.indexOf(older));
  });
});

describe('search', () => {
  it('finds rooms by title, character and anchor name, in Chinese and English, and follows every change', async () => {
    const anchorName = uniqueName('Moonlit');
    const anchor = await registerAnchor(t.app, anchorName);
    const roomId = await openRoom(anchor.client, { character_name: 'Seraphina', title: '深夜电台：小雪的故事' });
    const unrelated = await openRoom((await registerAnchor(t.app)).client, { character_name: 'Aqua', title: '早安打卡' });

    for (const query of ['小雪', '雪的故', '夜', 'seraphina', 'SERA', 'ｓｅｒａ', anchorName.toLowerCase(), 'moonlit', '小雪 sera']) {
      const found = await searchIds(query);
      expect(found, query).toContain(roomId);
      expect(found, query).not.toContain(unrelated);
    }
    expect(await searchIds('雪小')).not.toContain(roomId);
    expect(await searchIds('zzzyx')).toEqual([]);
    expect(await searchIds('!!! ...')).toEqual([]);

    // A new title replaces the old one in the index.
    await anchor.client.patch(`/api/anchor/rooms/${roomId}`, { title: 'Morning coffee 咖啡时间' });
    expect(await searchIds('小雪')).not.toContain(roomId);
    expect(await searchIds('咖啡')).toContain(roomId);
    expect(await searchIds('coff')).toContain(roomId);

    // The anchor's rename re-indexes their rooms.
    const renamed = uniqueName('Starfall');
    const signedIn = new TestClient(t.app);
    await signedIn.post('/api/users/login', { username: anchorName, password: PASSWORD });
    const res = await signedIn.post('/api/users/change_username', { username: renamed });
    expect(res.statusCode, res.body).toBe(200);
    expect(await searchIds('starfall')).toContain(roomId);
    expect(await searchIds(anchorName.toLowerCase())).not.toContain(roomId);

    // Tags are searchable too, and q + tag narrows to rooms carrying the tag.
    await anchor.client.patch(`/api/anchor/rooms/${roomId}`, { tags: ['Café'] });
    expect(await searchIds('café')).toContain(roomId);
    expect(await searchIds('coffee', { tag: 'café' })).toEqual([roomId]);
    expect(await searchIds('coffee', { tag: 'horror' })).toEqual([]);
  });

  it('puts live rooms first and says which are live', async () => {
    const word = `zephyr${process.pid}`;
    const anchor = await registerAnchor(t.app);
    const live = await openRoom(anchor.client, { title: `${word} tonight` });
    now += 1_000;
    // Newer, so the index lists it first; the live room still leads, even on a page of one.
    const offline = await openRoom(anchor.client, { title: `${word} archive` });
    await setLive(anchor.client, live);
    const hits = await search({ q: word });
    expect(hits.map((hit) => [hit.room_id, hit.live_status])).toEqual([
      [live, true],
      [offline, false],
    ]);
    expect((await search({ q: word, limit: 1 })).map((hit) => hit.room_id)).toEqual([live]);
  });

  it('refuses a request with neither q nor tag, and overlong input', async () => {
    const viewer = await registerViewer(t.app);
    const empty = await viewer.client.get('/api/live/search');
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ code: 1, error: 'query_required' });
    const long = await viewer.client.get('/api/live/search', { query: { q: 'x'.repeat(101) } });
    expect(long.statusCode).toBe(400);
    const badSort = await viewer.client.get('/api/live/get_all_lives', { query: { sort: 'random' } });
    expect(badSort.statusCode).toBe(400);
  });

  it("is answered by the engine's full-text index, not a scan of rooms", async () => {
    if (dialectUnderTest === 'sqlite') {
      const plan = await sql<{ detail: string }>`
        explain query plan select room_search.room_id from room_search_fts
        join room_search on room_search.id = room_search_fts.rowid
        where room_search_fts match ${'"sera"*'} order by room_search_fts.rank limit 50`.execute(t.db);
      const details = plan.rows.map((row) => row.detail).join('\n');
      expect(details).toMatch(/VIRTUAL TABLE INDEX/);
      expect(details).not.toMatch(/SCAN room_search\b(?!_fts)/);
    } else {
      // On tables this small the planner may prefer a sequential scan; forbidding it shows the index serves the query.
      const plan = await t.db.connection().execute(async (db) => {
        await sql`set enable_seqscan = off`.execute(db);
        try {
          return await sql<{ 'QUERY PLAN': string }>`
            explain select room_id from room_search where terms @@ to_tsquery('simple', ${"'sera':*"}) limit 50`.execute(db);
        } finally {
          await sql`set enable_seqscan = on`.execute(db);
        }
      });
      expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/Bitmap Index Scan on room_search_terms/);
    }
  });
});
