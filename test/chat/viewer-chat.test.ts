import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatRepository } from '../../src/chat/repository.js';
import { ChatService } from '../../src/chat/service.js';
import type { DomainEvent } from '../../src/realtime/events.js';
import { freeRoomsOnlyPolicy } from '../../src/rooms/access.js';
import { RoomsService } from '../../src/rooms/service.js';
import { createTestApp, dialectUnderTest, type TestApp } from '../helpers/app.js';
import { TestClient, registerAnchor, registerViewer } from '../helpers/client.js';
import { openRoom, postMessages } from '../helpers/rooms.js';

let t: TestApp;
const events: DomainEvent[] = [];
beforeAll(async () => {
  // A higher limit than the default keeps the history tests clear of the rate limit test's concern.
  t = await createTestApp({ config: { chatRateLimitMessages: 25 } });
  t.deps.eventBus.subscribe((event) => events.push(event));
});
afterAll(() => t.close());

function say(client: TestClient, roomId: string, user_message: string, extra: Record<string, unknown> = {}) {
  return client.post('/api/live/save_user_chat_history', { room_id: roomId, room_name: 'Seraphina', username: '游客abc', user_message, ...extra });
}

async function userHistory(roomId: string) {
  const res = await new TestClient(t.app).get('/api/live/get_user_chat_history', { query: { room_id: roomId } });
  expect(res.statusCode).toBe(200);
  return res.json().data.chat_info as Array<{ id: number; uid: string; username: string; user_message: string }>;
}

describe('viewer chat (save_user_chat_history / get_user_chat_history)', () => {
  it('users post as themselves and guests as their guest name; a spoofed username or uid is ignored', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const viewer = await registerViewer(t.app);
    const guest = new TestClient(t.app);
    const guestName = (await guest.get('/api/users/is_logged_in')).json().data.user_info.guest_name;

    events.length = 0;
    const posted = await say(viewer.client, roomId, 'hello 大家好', { username: anchor.username, uid: anchor.uid });
    expect(posted.statusCode).toBe(200);
    expect(posted.json()).toEqual({ code: 0, data: { id: expect.any(Number), send_date: expect.stringMatching(/Z$/) } });
    expect((await say(guest, roomId, '  我是游客  ', { username: viewer.username })).statusCode).toBe(200);

    const history = await userHistory(roomId);
    expect(history.map(({ uid, username, user_message }) => ({ uid, username, user_message }))).toEqual([
      { uid: viewer.uid, username: viewer.username, user_message: 'hello 大家好' },
      { uid: '', username: guestName, user_message: '我是游客' },
    ]);
    expect(events.map((e) => e.type)).toEqual(['chat_user_message', 'chat_user_message']);
    expect(events[0]).toEqual({ type: 'chat_user_message', room_id: roomId, data: history[0] });
  });

  it('history holds the last 20 messages, oldest first', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const { client } = await registerViewer(t.app);
    for (let i = 1; i <= 23; i++) expect((await say(client, roomId, `message ${i}`)).statusCode).toBe(200);
    const history = await userHistory(roomId);
    expect(history.map((m) => m.user_message)).toEqual(Array.from({ length: 20 }, (_, i) => `message ${i + 4}`));
  });

  it('refuses empty, oversized and control-character messages, and unknown or locked rooms', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const { client } = await registerViewer(t.app);
    const cases: Array<[string, number, string]> = [
      ['', 400, 'empty_message'],
      ['   \t ', 400, 'empty_message'],
      ['x'.repeat(501), 400, 'message_too_long'],
      ['line one\nline two', 400, 'invalid_message'],
      ['bell\u0007', 400, 'invalid_message'],
    ];
    for (const [text, status, error] of cases) {
      const res = await say(client, roomId, text);
      expect(res.statusCode).toBe(status);
      expect(res.json()).toMatchObject({ code: 1, error });
    }
    expect((await say(client, roomId, '好'.repeat(500))).statusCode).toBe(200);
    expect((await client.post('/api/live/save_user_chat_history', { room_id: roomId, user_message: 5 })).statusCode).toBe(400);
    const missing = await say(client, 'no-such-room', 'hi');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toBe('room_not_found');

    const vip = await openRoom(anchor.client, { room_type: 1, coin_num: 20 });
    const locked = await say(client, vip, 'let me in');
    expect(locked.statusCode).toBe(403);
    expect(locked.json().error).toBe('vip_required');
    expect((await userHistory(roomId)).map((m) => m.user_message)).toEqual(['好'.repeat(500)]);
  });

  it('a muted user or guest gets 403 muted until the mute is lifted', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const viewer = await registerViewer(t.app);
    const guest = new TestClient(t.app);
    const guestName = (await guest.get('/api/users/is_logged_in')).json().data.user_info.guest_name;

    const muted = await anchor.client.post(`/api/anchor/rooms/${roomId}/mute`, { uid: viewer.uid, minutes: 10 });
    expect(muted.json().data.muted_until).toMatch(/Z$/);
    await anchor.client.post(`/api/anchor/rooms/${roomId}/mute`, { guest_name: guestName, minutes: 10 });
    for (const client of [viewer.client, guest]) {
      const res = await say(client, roomId, 'can you hear me?');
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toBe('muted');
    }
    // Muted in this room only.
    const otherRoom = await openRoom(anchor.client);
    expect((await say(viewer.client, otherRoom, 'over here')).statusCode).toBe(200);

    await anchor.client.post(`/api/anchor/rooms/${roomId}/mute`, { uid: viewer.uid, minutes: 0 });
    expect((await say(viewer.client, roomId, 'back')).statusCode).toBe(200);
    const noTarget = await anchor.client.post(`/api/anchor/rooms/${roomId}/mute`, { minutes: 5 });
    expect(noTarget.statusCode).toBe(400);
  });

  it('the anchor can remove a viewer message; it leaves the history and viewers are told', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const { client } = await registerViewer(t.app);
    const id = (await say(client, roomId, 'spam spam spam')).json().data.id;
    await say(client, roomId, 'sorry');
    events.length = 0;
    expect((await anchor.client.delete(`/api/anchor/rooms/${roomId}/user_messages/${id}`)).statusCode).toBe(200);
    expect((await userHistory(roomId)).map((m) => m.user_message)).toEqual(['sorry']);
    expect(events).toEqual([{ type: 'chat_user_message_deleted', room_id: roomId, data: { id } }]);
    expect((await anchor.client.delete(`/api/anchor/rooms/${roomId}/user_messages/${id}`)).statusCode).toBe(404);
  });
});

describe('rate limit', () => {
  it('the sixth message within 10 seconds is refused with 429 and Retry-After, per sender and room', async () => {
    const limited = await createTestApp();
    try {
      const anchor = await registerAnchor(limited.app);
      const roomId = await openRoom(anchor.client);
      const { client } = await registerViewer(limited.app);
      for (let i = 0; i < 5; i++) expect((await say(client, roomId, `msg ${i}`)).statusCode).toBe(200);
      const sixth = await say(client, roomId, 'one too many');
      expect(sixth.statusCode).toBe(429);
      expect(sixth.json()).toMatchObject({ code: 1, error: 'rate_limited' });
      expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
      const other = await registerViewer(limited.app);
      expect((await say(other.client, roomId, 'I am someone else')).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('guests who drop their cookie', () => {
  /** A guest that keeps no cookie: a new guest name on every request. */
  const cookieless = (app: TestApp, roomId: string, text: string, from: string) =>
    new TestClient(app.app).post('/api/live/save_user_chat_history', { room_id: roomId, user_message: text }, { remoteAddress: from });

  it('are rate-limited by network as well, other networks and signed-in viewers are not', async () => {
    const limited = await createTestApp({ config: { chatGuestMessagesPerNetwork: 3 } });
    try {
      const anchor = await registerAnchor(limited.app);
      const roomId = await openRoom(anchor.client);
      const codes: number[] = [];
      for (let i = 0; i < 10; i++) codes.push((await cookieless(limited, roomId, `spam ${i}`, '10.7.0.1')).statusCode);
      expect(codes).toEqual([200, 200, 200, 429, 429, 429, 429, 429, 429, 429]);
      expect((await cookieless(limited, roomId, 'hello', '10.7.0.2')).statusCode).toBe(200);
      const viewer = await registerViewer(limited.app);
      expect((await viewer.client.post('/api/live/save_user_chat_history', { room_id: roomId, user_message: 'hi' }, { remoteAddress: '10.7.0.1' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it("a guest's mute covers new guest names from the same network until it is lifted", async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const first = await cookieless(t, roomId, 'rude words', '10.8.0.1');
    expect(first.statusCode).toBe(200);
    const guestName = (await userHistory(roomId))[0]!.username;
    expect((await anchor.client.post(`/api/anchor/rooms/${roomId}/mute`, { guest_name: guestName, minutes: 10 })).statusCode).toBe(200);
    const again = await cookieless(t, roomId, 'new name, same me', '10.8.0.1');
    expect(again.statusCode).toBe(403);
    expect(again.json().error).toBe('muted');
    expect((await cookieless(t, roomId, 'someone else', '10.8.0.2')).statusCode).toBe(200);
    const viewer = await registerViewer(t.app);
    expect((await viewer.client.post('/api/live/save_user_chat_history', { room_id: roomId, user_message: 'signed in' }, { remoteAddress: '10.8.0.1' })).statusCode).toBe(200);
    await anchor.client.post(`/api/anchor/rooms/${roomId}/mute`, { guest_name: guestName, minutes: 0 });
    expect((await cookieless(t, roomId, 'behaving now', '10.8.0.1')).statusCode).toBe(200);
  });
});

describe('ChatService catch-up API (used by the realtime layer)', () => {
  it('returns what came after a cursor', async () => {
    const rooms = new RoomsService(t.db, { eventBus: t.deps.eventBus, presence: t.deps.presence, roomAccess: freeRoomsOnlyPolicy, liveIdleMinutes: 120 });
    const chat = new ChatService(t.db, {
      rooms,
      eventBus: t.deps.eventBus,
      rateLimiter: t.deps.rateLimiter,
      rateLimit: { messages: 100, windowSeconds: 10, guestMessagesPerNetwork: 100 },
      transcriptFullCap: 10_000,
    });
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    expect(await chat.roomCursor(roomId)).toEqual({ last_floor: -1, last_user_message_id: 0 });

    await postMessages(anchor.client, roomId, {
      messages: [
        { name: 'Lin', is_user: true, mes: 'hi' },
        { name: 'Seraphina', is_user: false, mes: 'hello' },
        { name: 'Seraphina', is_user: false, mes: '...' },
      ],
    });
    const viewer = await registerViewer(t.app);
    const first = await chat.postViewerMessage({ kind: 'user', user: { id: viewer.uid, username: viewer.username, isAnchor: false } }, roomId, 'one', '127.0.0.1');
    const second = await chat.postViewerMessage({ kind: 'guest', guestName: '游客ABCDEF' }, roomId, 'two', '127.0.0.1');

    expect(await chat.roomCursor(roomId)).toEqual({ last_floor: 1, last_user_message_id: second.id });
    const after = await chat.liveMessagesAfter(roomId, 0, 10);
    expect(after).toEqual([{ floor: 1, is_user: false, live_message: 'hello', live_message_html: 'hello', sender_name: 'Seraphina', send_date: expect.any(String), original_send_date: null }]);
    expect(await chat.userMessagesAfter(roomId, first.id, 10)).toEqual([second]);
    expect(second).toMatchObject({ uid: '', username: '游客ABCDEF', user_message: 'two' });
    rooms.close();
  });
});

describe('viewer messages written together (one transaction for concurrent posts)', () => {
  function chatService(rooms: RoomsService) {
    return new ChatService(t.db, {
      rooms,
      eventBus: t.deps.eventBus,
      rateLimiter: t.deps.rateLimiter,
      rateLimit: { messages: 100, windowSeconds: 10, guestMessagesPerNetwork: 100 },
      transcriptFullCap: 10_000,
    });
  }

  it('concurrent posters all land exactly once, each answer naming its own stored message, announced in id order', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const viewers = await Promise.all(Array.from({ length: 8 }, () => registerViewer(t.app)));
    events.length = 0;
    const posts = viewers.flatMap((viewer, v) => [0, 1, 2].map((n) => ({ viewer, text: `viewer ${v} message ${n}` })));
    const answers = await Promise.all(posts.map(({ viewer, text }) => say(viewer.client, roomId, text)));
    expect(answers.map((res) => res.statusCode)).toEqual(posts.map(() => 200));

    const ids = answers.map((res) => res.json().data.id as number);
    expect(new Set(ids).size).toBe(posts.length);
    const stored = await new ChatRepository(t.db).userMessagesAfter(roomId, 0, 100);
    expect(stored).toHaveLength(posts.length);
    const byId = new Map(stored.map((row) => [Number(row.id), row]));
    posts.forEach(({ viewer, text }, i) => expect(byId.get(ids[i]!)).toMatchObject({ user_id: viewer.uid, message: text }));

    const announced = events.flatMap((event) => (event.type === 'chat_user_message' && event.room_id === roomId ? [event.data.id] : []));
    expect(announced).toEqual([...ids].sort((a, b) => a - b));
  });

  it('a message the database refuses fails alone: the others written with it are stored exactly once', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const viewer = await registerViewer(t.app);
    const rooms = new RoomsService(t.db, { eventBus: t.deps.eventBus, presence: t.deps.presence, roomAccess: freeRoomsOnlyPolicy, liveIdleMinutes: 120 });
    // A room that passes the checks but is gone from the database: its message breaks the foreign key.
    const vanishing = Object.assign(Object.create(rooms) as RoomsService, {
      assertCanEnter: async (v: Parameters<RoomsService['assertCanEnter']>[0], id: string) =>
        id === 'vanished-room' ? { ...(await rooms.assertCanEnter(v, roomId)), id } : rooms.assertCanEnter(v, id),
    });
    const chat = chatService(vanishing);
    const sender = { kind: 'user' as const, user: { id: viewer.uid, username: viewer.username, isAnchor: false } };
    // Warms the read caches, so the three posts below reach the writer together on PostgreSQL too.
    await chat.postViewerMessage(sender, roomId, 'warm-up', '127.0.0.1');
    await chat.postViewerMessage(sender, 'vanished-room', 'warm-up', '127.0.0.1').catch(() => undefined);
    const results = await Promise.allSettled(
      ['first', 'doomed', 'third'].map((text) => chat.postViewerMessage(sender, text === 'doomed' ? 'vanished-room' : roomId, text, '127.0.0.1')),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const stored = await new ChatRepository(t.db).userMessagesAfter(roomId, 0, 100);
    expect(stored.map((row) => row.message)).toEqual(['warm-up', 'first', 'third']);
    rooms.close();
  });

  it.runIf(dialectUnderTest === 'postgres')(
    "ids follow commit order across instances: a post waits for another instance's write in flight and gets a later id",
    async () => {
      const anchor = await registerAnchor(t.app);
      const roomId = await openRoom(anchor.client);
      const viewer = await registerViewer(t.app);
      let lockTaken!: () => void;
      let release!: () => void;
      const locked = new Promise<void>((resolve) => (lockTaken = resolve));
      const held = new Promise<void>((resolve) => (release = resolve));
      // Another instance's batch, between its insert and its commit.
      const other = t.db.transaction().execute(async (trx) => {
        const repo = new ChatRepository(trx);
        await repo.lockUserMessageOrder();
        const [id] = await repo.insertUserMessages([
          { room_id: roomId, user_id: null, guest_name: '游客OTHER', username: '游客OTHER', message: 'from the other instance', created_at: Date.now(), deleted_at: null, guest_network: null },
        ]);
        lockTaken();
        await held;
        return id!;
      });
      await locked;
      let answered = false;
      const post = say(viewer.client, roomId, 'posted meanwhile').then((res) => {
        answered = true;
        return res;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(answered).toBe(false);
      release();
      const otherId = await other;
      const res = await post;
      expect(res.statusCode).toBe(200);
      expect(res.json().data.id).toBeGreaterThan(otherId);
    },
  );
});
