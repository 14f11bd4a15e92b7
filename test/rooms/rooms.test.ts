import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomAccessPolicy } from '../../src/rooms/access.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TestClient, registerAnchor, registerViewer } from '../helpers/client.js';
import { keys, openRoom, postMessages, setLive, uniqueChatDate } from '../helpers/rooms.js';

let t: TestApp;
// Starts at the real time: the test client drops cookies that expire before the real clock.
let now = Date.now();
const MINUTE = 60_000;
beforeAll(async () => {
  t = await createTestApp({ deps: { clock: () => now } });
});
afterAll(() => t.close());

async function liveRoomIds(client = new TestClient(t.app), query?: Record<string, string | number>) {
  const res = await client.get('/api/live/get_all_lives', { query });
  expect(res.statusCode).toBe(200);
  return (res.json().data.lives_info as Array<{ room_id: string }>).map((l) => l.room_id);
}

describe('anchor room management', () => {
  it('one chat is one room: the same anchor + character + chat stamp returns the same room, updated', async () => {
    const anchor = await registerAnchor(t.app);
    const chat = { character_name: '赛菲娜', character_date: uniqueChatDate() };
    const first = await anchor.client.post('/api/anchor/rooms', chat);
    expect(first.statusCode).toBe(200);
    const room = first.json().data.room;
    expect(first.json().data.created).toBe(true);
    expect(keys(room)).toEqual([
      'archived', 'character_date', 'character_name', 'coin_num', 'created_at', 'describe', 'last_activity_at', 'live_num', 'live_status',
      'room_id', 'room_name', 'room_type', 'tags', 'title', 'uid', 'username',
    ]);
    expect(room).toMatchObject({ room_name: '赛菲娜', title: '', describe: '', room_type: 0, coin_num: 0, live_status: false, uid: anchor.uid });

    const again = await anchor.client.post('/api/anchor/rooms', { ...chat, title: '新的标题', room_type: 1, coin_num: 50 });
    expect(again.json().data.created).toBe(false);
    expect(again.json().data.room).toMatchObject({ room_id: room.room_id, title: '新的标题', room_type: 1, coin_num: 50, room_name: '赛菲娜' });

    // Another anchor with the same character and stamp has their own room.
    const other = await registerAnchor(t.app);
    const theirs = await other.client.post('/api/anchor/rooms', chat);
    expect(theirs.json().data.room.room_id).not.toBe(room.room_id);
  });

  it('paid rooms need a price; a free room never shows one', async () => {
    const anchor = await registerAnchor(t.app);
    const noPrice = await anchor.client.post('/api/anchor/rooms', { character_name: 'Aqua', character_date: uniqueChatDate(), room_type: 1 });
    expect(noPrice.statusCode).toBe(400);
    expect(noPrice.json().error).toBe('coin_num_required');
    const stringPrice = await anchor.client.post('/api/anchor/rooms', { character_name: 'Aqua', character_date: uniqueChatDate(), room_type: 1, coin_num: '10' });
    expect(stringPrice.statusCode).toBe(400);

    const roomId = await openRoom(anchor.client, { room_type: 2, coin_num: 30 });
    const free = await anchor.client.patch(`/api/anchor/rooms/${roomId}`, { room_type: 0 });
    expect(free.json().data.room).toMatchObject({ room_type: 0, coin_num: 0 });
    const renamed = await anchor.client.patch(`/api/anchor/rooms/${roomId}`, { room_name: 'Night shift', describe: '深夜档' });
    expect(renamed.json().data.room).toMatchObject({ room_name: 'Night shift', describe: '深夜档' });
  });

  it("another anchor's room is a 404 for every anchor action", async () => {
    const owner = await registerAnchor(t.app);
    const roomId = await openRoom(owner.client);
    const intruder = await registerAnchor(t.app);
    const attempts = [
      await intruder.client.patch(`/api/anchor/rooms/${roomId}`, { title: 'mine now' }),
      await intruder.client.post(`/api/anchor/rooms/${roomId}/live`, { live_status: 'start' }),
      await intruder.client.delete(`/api/anchor/rooms/${roomId}/messages/0`),
      await intruder.client.post(`/api/anchor/rooms/${roomId}/mute`, { uid: owner.uid, minutes: 5 }),
      await intruder.client.delete(`/api/anchor/rooms/${roomId}/user_messages/1`),
    ];
    for (const res of attempts) {
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 1, error: 'room_not_found' });
    }
    expect((await intruder.client.get('/api/anchor/rooms')).json().data.rooms).toEqual([]);
  });

  it('lists the anchor\'s own rooms with live status and message counts', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    await postMessages(anchor.client, roomId, { messages: [{ name: 'Lin', is_user: true, mes: 'hi' }, { name: 'Seraphina', is_user: false, mes: '...' }] });
    await setLive(anchor.client, roomId);
    const rooms = (await anchor.client.get('/api/anchor/rooms')).json().data.rooms;
    expect(rooms).toHaveLength(1);
    expect(rooms[0]).toMatchObject({ room_id: roomId, live_status: true, live_num: 0, live_message_count: 1, user_message_count: 0 });
  });
});

describe('the live list (get_all_lives)', () => {
  it('shows live rooms only: stopped and idle rooms leave, anchor activity brings an idle one back', async () => {
    const anchor = await registerAnchor(t.app);
    const live = await openRoom(anchor.client);
    const stopped = await openRoom(anchor.client);
    const neverStarted = await openRoom(anchor.client);
    await setLive(anchor.client, live);
    await setLive(anchor.client, stopped);
    await setLive(anchor.client, stopped, false);
    let ids = await liveRoomIds();
    expect(ids).toContain(live);
    expect(ids).not.toContain(stopped);
    expect(ids).not.toContain(neverStarted);

    now += t.config.liveIdleMinutes * MINUTE;
    ids = await liveRoomIds();
    expect(ids).not.toContain(live);
    const info = await new TestClient(t.app).get('/api/live/get_live_info', { query: { room_id: live } });
    expect(info.json().data.live_info.live_status).toBe(false);

    await postMessages(anchor.client, live, { name: 'Seraphina', is_user: false, mes: 'Still here.' });
    expect(await liveRoomIds()).toContain(live);
  });

  it('orders by viewers, then by the latest AI message, and pages with limit and cursor', async () => {
    now += 1000 * MINUTE; // everything from earlier tests is idle now
    const anchor = await registerAnchor(t.app);
    const quiet = await openRoom(anchor.client);
    const chatty = await openRoom(anchor.client);
    const watched = await openRoom(anchor.client);
    for (const id of [quiet, chatty, watched]) await setLive(anchor.client, id);
    now += 1000;
    await postMessages(anchor.client, quiet, { name: 'Seraphina', is_user: false, mes: 'older reply' });
    now += 1000;
    await postMessages(anchor.client, chatty, { name: 'Seraphina', is_user: false, mes: 'newest reply' });
    t.deps.presence.join(watched, 'user:a', 'c1');
    t.deps.presence.join(watched, 'user:b', 'c2');
    t.deps.presence.join(watched, 'user:b', 'c3');
    now += 1000; // viewer counts are refreshed at least once a second

    const all = (await new TestClient(t.app).get('/api/live/get_all_lives')).json().data;
    expect(all.lives_info.map((l: { room_id: string }) => l.room_id)).toEqual([watched, chatty, quiet]);
    expect(all.lives_info[0].live_num).toBe(2);
    expect(all.next_cursor).toBeNull();

    const page1 = (await new TestClient(t.app).get('/api/live/get_all_lives', { query: { limit: 2 } })).json().data;
    expect(page1.lives_info.map((l: { room_id: string }) => l.room_id)).toEqual([watched, chatty]);
    const page2 = (await new TestClient(t.app).get('/api/live/get_all_lives', { query: { limit: 2, cursor: page1.next_cursor } })).json().data;
    expect(page2.lives_info.map((l: { room_id: string }) => l.room_id)).toEqual([quiet]);
    expect(page2.next_cursor).toBeNull();

    const bad = await new TestClient(t.app).get('/api/live/get_all_lives', { query: { cursor: 'abc' } });
    expect(bad.statusCode).toBe(400);
    for (const id of [watched]) {
      t.deps.presence.leave(id, 'user:a', 'c1');
      t.deps.presence.leave(id, 'user:b', 'c2');
      t.deps.presence.leave(id, 'user:b', 'c3');
    }
  });

  it('a listing change shows up on the next request, without waiting', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client, { title: 'before' });
    await setLive(anchor.client, roomId);
    await liveRoomIds();
    await anchor.client.patch(`/api/anchor/rooms/${roomId}`, { title: 'after', room_type: 1, coin_num: 9 });
    const lives = (await new TestClient(t.app).get('/api/live/get_all_lives')).json().data.lives_info;
    expect(lives.find((l: { room_id: string }) => l.room_id === roomId).room_info).toEqual({ title: 'after', coin_num: 9, room_type: 1, describe: '' });
  });
});

describe('get_live_info and follows', () => {
  it('404 for an unknown room, 400 without room_id, and accepts the fields as a JSON body', async () => {
    const guest = new TestClient(t.app);
    const missing = await guest.get('/api/live/get_live_info', { query: { room_id: 'nope' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 1, error: 'room_not_found' });
    expect((await guest.get('/api/live/get_live_info')).statusCode).toBe(400);

    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const viaBody = await guest.post('/api/live/get_live_info', { room_id: roomId, uid: 'someone-else' });
    expect(viaBody.statusCode).toBe(200);
    expect(viaBody.json().data.live_info.room_id).toBe(roomId);
  });

  it('a VIP room reports its price and no access for guests; the anchor may enter their own room', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client, { room_type: 1, coin_num: 66 });
    const guest = await new TestClient(t.app).get('/api/live/get_live_info', { query: { room_id: roomId } });
    expect(guest.json().data.vip_info).toEqual({ room_type: 1, vip_status: false, amount: 66 });
    const own = await anchor.client.get('/api/live/get_live_info', { query: { room_id: roomId } });
    expect(own.json().data.vip_info.vip_status).toBe(false); // bearer token is not a viewer session
    const viewerSelf = new TestClient(t.app);
    await viewerSelf.post('/api/users/login', { username: anchor.username, password: 'correct horse battery' });
    const asViewer = await viewerSelf.get('/api/live/get_live_info', { query: { room_id: roomId } });
    expect(asViewer.json().data.vip_info.vip_status).toBe(true);
    const history = await new TestClient(t.app).get('/api/live/get_live_chat_history', { query: { room_id: roomId } });
    expect(history.statusCode).toBe(403);
    expect(history.json().error).toBe('vip_required');
  });

  it('follow needs a login, is idempotent, and shows in get_live_info and get_followed_lives', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const guest = await new TestClient(t.app).post('/api/live/follow', { room_id: roomId, follow_status: true });
    expect(guest.statusCode).toBe(401);

    const { client } = await registerViewer(t.app);
    for (let i = 0; i < 2; i++) {
      const res = await client.post('/api/live/follow', { room_id: roomId, follow_status: true });
      expect(res.json()).toEqual({ code: 0, data: { follow_status: true } });
    }
    const info = await client.get('/api/live/get_live_info', { query: { room_id: roomId } });
    expect(info.json().data.follow_info).toEqual({ follow_status: true });
    const followed = (await client.get('/api/live/get_followed_lives')).json().data.lives_info;
    expect(followed).toHaveLength(1);
    expect(keys(followed[0])).toEqual([
      'character_date', 'character_name', 'live_num', 'live_status', 'room_id', 'room_info', 'room_name', 'tags', 'uid', 'username',
    ]);
    expect(followed[0]).toMatchObject({ room_id: roomId, live_status: false });

    await client.post('/api/live/follow', { room_id: roomId, follow_status: false });
    expect((await client.get('/api/live/get_followed_lives')).json().data.lives_info).toEqual([]);
    expect((await client.post('/api/live/follow', { room_id: 'missing', follow_status: true })).statusCode).toBe(404);
    expect((await new TestClient(t.app).get('/api/live/get_followed_lives')).statusCode).toBe(401);
  });
});

describe('with a wallet-style access policy', () => {
  it('vip_status and subscription_info come from the injected policy', async () => {
    const policy: RoomAccessPolicy = {
      canEnter: async (viewer) => viewer.kind === 'user',
      subscriptionInfo: async (viewer) =>
        viewer.kind === 'user'
          ? { subscription_status: true, amount: 300, expires_at: '2026-02-01T00:00:00.000Z' }
          : { subscription_status: false, amount: 300, expires_at: null },
      paidInto: async () => false,
    };
    const paid = await createTestApp({ deps: { roomAccess: policy } });
    try {
      const anchor = await registerAnchor(paid.app);
      const roomId = await openRoom(anchor.client, { room_type: 1, coin_num: 10 });
      const { client } = await registerViewer(paid.app);
      const info = (await client.get('/api/live/get_live_info', { query: { room_id: roomId } })).json().data;
      expect(info.vip_info).toEqual({ room_type: 1, vip_status: true, amount: 10 });
      expect(info.subscription_info).toEqual({ subscription_status: true, amount: 300, expires_at: '2026-02-01T00:00:00.000Z' });
      expect((await client.get('/api/live/get_user_chat_history', { query: { room_id: roomId } })).statusCode).toBe(200);
      const guest = (await new TestClient(paid.app).get('/api/live/get_live_info', { query: { room_id: roomId } })).json().data;
      expect(guest.subscription_info).toEqual({ subscription_status: false, amount: 300, expires_at: null });
    } finally {
      await paid.close();
    }
  });
});

describe("an anchor's rooms are bounded", () => {
  it('pages GET /api/anchor/rooms with a cursor; without limit it lists them all', async () => {
    const { client: anchor } = await registerAnchor(t.app);
    const opened: string[] = [];
    // Same creation time for all (the test clock stands still): the id breaks the tie.
    for (let i = 0; i < 5; i++) opened.push(await openRoom(anchor));
    const all = (await anchor.get('/api/anchor/rooms')).json().data;
    expect(all.next_cursor).toBeNull();
    expect(all.rooms.map((room: { room_id: string }) => room.room_id).sort()).toEqual([...opened].sort());

    const paged: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const res = await anchor.get('/api/anchor/rooms', { query: { limit: 2, ...(cursor ? { cursor } : {}) } });
      expect(res.statusCode).toBe(200);
      paged.push(...res.json().data.rooms.map((room: { room_id: string }) => room.room_id));
      cursor = res.json().data.next_cursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(paged).toEqual(all.rooms.map((room: { room_id: string }) => room.room_id));
    expect((await anchor.get('/api/anchor/rooms', { query: { limit: 2, cursor: 'not a cursor' } })).statusCode).toBe(400);
  });

  it('refuses a room past MAX_ROOMS_PER_ANCHOR; reopening an existing chat still works', async () => {
    const capped = await createTestApp({ config: { maxRoomsPerAnchor: 2 } });
    try {
      const { client: anchor } = await registerAnchor(capped.app);
      const date = uniqueChatDate();
      await anchor.post('/api/anchor/rooms', { character_name: 'Seraphina', character_date: date });
      await openRoom(anchor);
      const third = await anchor.post('/api/anchor/rooms', { character_name: 'Seraphina', character_date: uniqueChatDate() });
      expect(third.statusCode).toBe(409);
      expect(third.json()).toMatchObject({ code: 1, error: 'room_limit_reached', limit: 2 });
      const again = await anchor.post('/api/anchor/rooms', { character_name: 'Seraphina', character_date: date, title: 'renamed' });
      expect(again.statusCode).toBe(200);
      expect(again.json().data.created).toBe(false);
      const other = await registerAnchor(capped.app);
      expect((await other.client.post('/api/anchor/rooms', { character_name: 'Seraphina', character_date: uniqueChatDate() })).statusCode).toBe(200);
    } finally {
      await capped.close();
    }
  });
});
