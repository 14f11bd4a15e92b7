import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/realtime/events.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TestClient, registerAnchor } from '../helpers/client.js';
import { parseChatFile } from '../../src/chat/sillytavern.js';
import { SERAPHINA, SERAPHINA_CHAT, keys, postChatFile, postMessages, setLive } from '../helpers/rooms.js';

let t: TestApp;
const events: DomainEvent[] = [];
beforeAll(async () => {
  t = await createTestApp();
  t.deps.eventBus.subscribe((event) => events.push(event));
});
afterAll(() => t.close());

// The contract's fields, plus tags (an extra).
const LIVE_KEYS = ['avatar_url', 'character_date', 'character_name', 'cover_url', 'live_num', 'room_id', 'room_info', 'room_name', 'tags', 'uid', 'username'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

async function importedRoom() {
  const anchor = await registerAnchor(t.app);
  const created = await anchor.client.post('/api/anchor/rooms', {
    character_name: SERAPHINA.character_name,
    character_date: SERAPHINA.character_date,
    title: '森林里的守护者 · Forest guardian',
    describe: 'A slow-burn fantasy role-play',
  });
  expect(created.statusCode).toBe(200);
  const roomId = created.json().data.room.room_id as string;
  const imported = await postChatFile(anchor.client, roomId, SERAPHINA_CHAT);
  expect(imported.statusCode).toBe(200);
  return { anchor, roomId, imported: imported.json().data };
}

describe('a SillyTavern chat file, end to end', () => {
  it('imports the file, goes live and every viewer endpoint has the contract shape', async () => {
    const { anchor, roomId, imported } = await importedRoom();
    expect(imported).toEqual({ received: 7, added: 7, replaced: 0, unchanged: 0, deleted: 0, last_floor: 6 });
    await setLive(anchor.client, roomId);
    const viewer = new TestClient(t.app);

    const lives = await viewer.get('/api/live/get_all_lives');
    expect(lives.statusCode).toBe(200);
    expect(keys(lives.json())).toEqual(['code', 'data']);
    expect(lives.json().code).toBe(0);
    const listing = lives.json().data.lives_info.find((l: { room_id: string }) => l.room_id === roomId);
    expect(keys(listing)).toEqual(LIVE_KEYS);
    expect(keys(listing.room_info)).toEqual(['coin_num', 'describe', 'room_type', 'title']);
    expect(listing).toEqual({
      room_id: roomId,
      room_name: 'Seraphina',
      uid: anchor.uid,
      username: anchor.username,
      live_num: 0,
      character_name: 'Seraphina',
      character_date: '2025-07-11@17h51m03s',
      room_info: { title: '森林里的守护者 · Forest guardian', coin_num: 0, room_type: 0, describe: 'A slow-burn fantasy role-play' },
      tags: [],
      cover_url: null,
      avatar_url: null,
    });

    const info = (await viewer.get('/api/live/get_live_info', { query: { room_id: roomId } })).json();
    expect(keys(info.data)).toEqual(['follow_info', 'live_info', 'subscription_info', 'vip_info']);
    expect(info.data.live_info).toEqual({
      room_id: roomId,
      room_name: 'Seraphina',
      uid: anchor.uid,
      username: anchor.username,
      live_num: 0,
      character_name: 'Seraphina',
      live_status: true,
      title: '森林里的守护者 · Forest guardian',
      describe: 'A slow-burn fantasy role-play',
      tags: [],
      cover_url: null,
      avatar_url: null,
    });
    expect(info.data.vip_info).toEqual({ room_type: 0, vip_status: true, amount: 0 });
    expect(info.data.follow_info).toEqual({ follow_status: false });
    // The anchor has not set a price, so the configured default (SUBSCRIPTION_PRICE) is offered.
    expect(info.data.subscription_info).toEqual({ subscription_status: false, amount: t.config.subscriptionPrice, expires_at: null });

    const history = (await viewer.get('/api/live/get_live_chat_history', { query: { room_id: roomId } })).json();
    expect(keys(history.data)).toEqual(['chat_info', 'has_more', 'room_id', 'room_name', 'server_time', 'uid', 'username']);
    expect(history.data).toMatchObject({ uid: anchor.uid, username: anchor.username, room_id: roomId, room_name: 'Seraphina', has_more: false });
    const transcript = history.data.chat_info;
    // The system note (floor 3) and the streaming placeholder (floor 6) are stored but not shown.
    expect(transcript.map((m: { floor: number }) => m.floor)).toEqual([0, 1, 2, 4, 5]);
    for (const item of transcript) {
      expect(keys(item)).toEqual(['floor', 'is_user', 'live_message', 'live_message_html', 'original_send_date', 'send_date', 'sender_name']);
      expect(item.send_date).toMatch(ISO);
    }
    expect(transcript[1]).toMatchObject({
      is_user: true,
      sender_name: 'Lin',
      live_message: 'Where am I? The last thing I remember is the storm.',
      original_send_date: 'July 11, 2025 5:52pm',
    });
    // The selected swipe (swipe_id 1) is what the chat shows, so that is what viewers see.
    expect(transcript[2]).toMatchObject({ is_user: false, sender_name: 'Seraphina' });
    expect(transcript[2].live_message).toContain('The Eldenwood');
    expect(transcript[4].live_message).toContain('当然可以');

    const post = await viewer.post('/api/live/save_user_chat_history', {
      room_id: roomId,
      room_name: 'Seraphina',
      username: '游客abc',
      user_message: '好期待后面的剧情！',
    });
    expect(post.statusCode).toBe(200);
    expect(keys(post.json().data)).toEqual(['id', 'send_date']);

    const users = (await viewer.get('/api/live/get_user_chat_history', { query: { room_id: roomId } })).json();
    expect(keys(users.data)).toEqual(['chat_info', 'room_id', 'room_name', 'server_time', 'uid', 'username']);
    expect(users.data).toMatchObject({ room_id: roomId, room_name: 'Seraphina', uid: anchor.uid, username: 'Seraphina' });
    expect(users.data.chat_info).toHaveLength(1);
    // badges: an extra field beside the contract's five.
    expect(keys(users.data.chat_info[0])).toEqual(['badges', 'id', 'send_date', 'uid', 'user_message', 'username']);
    expect(users.data.chat_info[0]).toMatchObject({ uid: '', user_message: '好期待后面的剧情！', id: post.json().data.id });
  });

  it('a swipe replaces its floor, a delete removes one, and viewers are told about both', async () => {
    const { anchor, roomId } = await importedRoom();
    events.length = 0;
    const swipe = await postMessages(anchor.client, roomId, {
      name: 'Seraphina',
      is_user: false,
      floor: 2,
      send_date: 'July 11, 2025 5:58pm',
      mes: '"You\'re safe here." *She smiles.*',
      swipe_id: 0,
      swipes: ['"You\'re safe here." *She smiles.*'],
    });
    expect(swipe.json().data).toMatchObject({ added: 0, replaced: 1, last_floor: 6 });
    // The streaming placeholder gets its real text: viewers see it appear.
    await postMessages(anchor.client, roomId, { name: 'Seraphina', is_user: false, floor: 6, mes: '*A bird lands on her shoulder.*' });
    expect((await anchor.client.delete(`/api/anchor/rooms/${roomId}/messages/1`)).statusCode).toBe(200);

    const history = (await new TestClient(t.app).get('/api/live/get_live_chat_history', { query: { room_id: roomId } })).json();
    const transcript = history.data.chat_info as Array<{ floor: number; live_message: string }>;
    expect(transcript.map((m) => m.floor)).toEqual([0, 2, 4, 5, 6]);
    expect(transcript[1]?.live_message).toBe('"You\'re safe here." *She smiles.*');

    const ops = events.filter((e) => e.type === 'chat_live_message').map((e) => [e.data.op, e.data.floor]);
    expect(ops).toEqual([
      ['replace', 2],
      ['add', 6],
      ['delete', 1],
    ]);
    expect((await anchor.client.delete(`/api/anchor/rooms/${roomId}/messages/1`)).statusCode).toBe(404);
  });

  it('re-posting the grown chat file writes only what changed and drops lines the anchor deleted', async () => {
    const { anchor, roomId } = await importedRoom();
    events.length = 0;
    const again = await postChatFile(anchor.client, roomId, SERAPHINA_CHAT);
    expect(again.json().data).toMatchObject({ added: 0, replaced: 0, unchanged: 7 });
    expect(events).toEqual([]);

    const lines = SERAPHINA_CHAT.trimEnd().split('\n');
    const shorter = lines.slice(0, 6).join('\n');
    const res = await postChatFile(anchor.client, roomId, shorter);
    expect(res.json().data).toMatchObject({ received: 5, unchanged: 5, deleted: 1, last_floor: 4 });
    expect(events.map((e) => e.type === 'chat_live_message' && [e.data.op, e.data.floor])).toEqual([['delete', 5]]);
  });

  it('a malformed line rejects the whole file with its line number and writes nothing', async () => {
    const anchor = await registerAnchor(t.app);
    const created = await anchor.client.post('/api/anchor/rooms', SERAPHINA);
    const roomId = created.json().data.room.room_id;
    const lines = SERAPHINA_CHAT.trimEnd().split('\n');
    events.length = 0;
    for (const [bad, line] of [
      ['{"name":"Lin","is_user":true,"mes":', 4],
      ['{"name":"Lin","is_user":"yes","mes":"hi"}', 4],
      ['{"name":"Lin","is_user":true,"mes":"' + 'x'.repeat(20_001) + '"}', 4],
      ['', 4],
    ] as const) {
      const broken = [...lines.slice(0, 3), bad, ...lines.slice(4)].join('\n');
      const res = await postChatFile(anchor.client, roomId, broken);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 1, error: 'invalid_chat_line', line });
      expect(res.json().message).toMatch(new RegExp(`^Line ${line}:`));
    }
    const noHeader = await postChatFile(anchor.client, roomId, lines.slice(1).join('\n'));
    expect(noHeader.json()).toMatchObject({ error: 'invalid_chat_line', line: 1 });

    const other = await postChatFile(anchor.client, roomId, SERAPHINA_CHAT.replace('"character_name":"Seraphina"', '"character_name":"Aqua"'));
    expect(other.json()).toMatchObject({ error: 'chat_mismatch' });

    const rooms = (await anchor.client.get('/api/anchor/rooms')).json().data.rooms;
    expect(rooms[0].live_message_count).toBe(0);
    expect(events.filter((e) => e.type === 'chat_live_message')).toEqual([]);
  });

  it('concurrent appends to one room get distinct, consecutive floors', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = (await anchor.client.post('/api/anchor/rooms', SERAPHINA)).json().data.room.room_id;
    const posts = await Promise.all(
      Array.from({ length: 8 }, (_, i) => postMessages(anchor.client, roomId, { name: 'Seraphina', is_user: false, mes: `reply ${i}` })),
    );
    expect(posts.map((p) => p.statusCode)).toEqual(Array(8).fill(200));
    const history = (await new TestClient(t.app).get('/api/live/get_live_chat_history', { query: { room_id: roomId } })).json();
    expect(history.data.chat_info.map((m: { floor: number }) => m.floor)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(history.data.chat_info.map((m: { live_message: string }) => m.live_message)).size).toBe(8);
  });

  it('batches append in order and a bad message names its index', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = (await anchor.client.post('/api/anchor/rooms', SERAPHINA)).json().data.room.room_id;
    const messages = Array.from({ length: 500 }, (_, i) => ({ name: i % 2 ? 'Seraphina' : 'Lin', is_user: i % 2 === 0, mes: `line ${i}` }));
    const res = await postMessages(anchor.client, roomId, { messages });
    expect(res.json().data).toMatchObject({ added: 500, last_floor: 499 });
    const single = await postMessages(anchor.client, roomId, { name: 'Lin', is_user: true, mes: 'one more' });
    expect(single.json().data).toMatchObject({ added: 1, last_floor: 500 });

    const tooMany = await postMessages(anchor.client, roomId, { messages: [...messages, ...messages.slice(0, 1)] });
    expect(tooMany.json()).toMatchObject({ error: 'too_many_messages' });
    const bad = await postMessages(anchor.client, roomId, { messages: [messages[0], { name: 'Lin', is_user: true }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid_message', index: 1 });

    const page = (await new TestClient(t.app).get('/api/live/get_live_chat_history', { query: { room_id: roomId, before_floor: 100, limit: 30 } })).json();
    expect(page.data.chat_info.map((m: { floor: number }) => m.floor)).toEqual(Array.from({ length: 30 }, (_, i) => 70 + i));
    expect(page.data.has_more).toBe(true);
    const latest = (await new TestClient(t.app).get('/api/live/get_live_chat_history', { query: { room_id: roomId, limit: 200 } })).json();
    expect(latest.data.chat_info).toHaveLength(200);
    expect(latest.data.chat_info.at(-1).floor).toBe(500);
    expect(latest.data.has_more).toBe(true);
    const first = (await new TestClient(t.app).post('/api/live/get_live_chat_history', { room_id: roomId, before_floor: 3 })).json();
    expect(first.data.chat_info.map((m: { floor: number }) => m.floor)).toEqual([0, 1, 2]);
    expect(first.data.has_more).toBe(false);
  });

  it('only the room owner may post, and text is stored as given, never as markup', async () => {
    const { roomId } = await importedRoom();
    const intruder = await registerAnchor(t.app);
    const res = await postMessages(intruder.client, roomId, { name: 'x', is_user: true, mes: 'hi' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe('room_not_found');
    expect((await new TestClient(t.app).post(`/api/anchor/rooms/${roomId}/messages`, { name: 'x', is_user: true, mes: 'hi' })).statusCode).toBe(401);
  });

  it('takes a multi-megabyte chat file in one go, and refuses one over 5 MB with 413', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = (await anchor.client.post('/api/anchor/rooms', SERAPHINA)).json().data.room.room_id;
    const header = SERAPHINA_CHAT.split('\n')[0];
    const paragraph = '她望向窗外，雨声渐密。The rain kept falling over the old forest. '.repeat(20);
    const line = (i: number) =>
      JSON.stringify({ name: i % 2 ? 'Seraphina' : 'Lin', is_user: i % 2 === 0, send_date: 'July 11, 2025 5:51pm', mes: `${i}: ${paragraph}`, extra: {} });
    const big = [header, ...Array.from({ length: 2000 }, (_, i) => line(i))].join('\n');
    expect(Buffer.byteLength(big)).toBeGreaterThan(2 * 1024 * 1024);
    const res = await postChatFile(anchor.client, roomId, big);
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ added: 2000, last_floor: 1999 });

    const tooBig = [header, ...Array.from({ length: 5000 }, (_, i) => line(i))].join('\n');
    const refused = await postChatFile(anchor.client, roomId, tooBig);
    expect(refused.statusCode).toBe(413);
    expect(refused.json()).toMatchObject({ code: 1, error: 'body_too_large' });
  });

  it('accepts send_date as ISO-8601 (new SillyTavern) and as "December 1, 2026 5:20am" (older releases), kept verbatim', async () => {
    const anchor = await registerAnchor(t.app);
    const created = await anchor.client.post('/api/anchor/rooms', { character_name: 'Seraphina', character_date: '2026-12-01@05h20m00s' });
    const roomId = created.json().data.room.room_id as string;
    const iso = '2026-12-01T05:20:13.482Z';
    const older = 'December 1, 2026 5:20am';
    const posted = await postMessages(anchor.client, roomId, {
      messages: [
        { name: 'Anchor', is_user: true, mes: 'new release', send_date: iso },
        { name: 'Seraphina', is_user: false, mes: 'older release', send_date: older },
      ],
    });
    expect(posted.statusCode).toBe(200);
    const header = JSON.stringify({ user_name: 'Anchor', character_name: 'Seraphina', create_date: older, chat_metadata: {} });
    const file = [header, JSON.stringify({ name: 'Anchor', is_user: true, mes: 'a', send_date: older }), JSON.stringify({ name: 'Seraphina', is_user: false, mes: 'b', send_date: iso })].join('\n');
    const other = await anchor.client.post('/api/anchor/rooms', { character_name: 'Seraphina', character_date: '2026-12-01@05h21m00s' });
    const otherRoomId = other.json().data.room.room_id as string;
    expect((await postChatFile(anchor.client, otherRoomId, file)).statusCode).toBe(200);

    await setLive(anchor.client, roomId);
    await setLive(anchor.client, otherRoomId);
    const viewer = new TestClient(t.app);
    const lines = async (id: string) => (await viewer.get('/api/live/get_live_chat_history', { query: { room_id: id } })).json().data.chat_info;
    for (const [id, stamps] of [[roomId, [iso, older]], [otherRoomId, [older, iso]]] as const) {
      const chatInfo = await lines(id);
      expect(chatInfo.map((line: { original_send_date: string }) => line.original_send_date)).toEqual(stamps);
      for (const line of chatInfo) expect(line.send_date).toMatch(ISO);
    }
  });
});

describe('a large chat file', () => {
  it('is parsed in turns: other work runs before the parse of 42,000 lines completes', async () => {
    const lines = ['{"character_name":"Seraphina"}', ...Array.from({ length: 42_000 }, (_, i) => JSON.stringify({ name: 'S', is_user: false, mes: `line ${i}` }))];
    const order: string[] = [];
    const parsing = parseChatFile(lines.join('\n')).then((file) => order.push(`parsed ${file.messages.length}`));
    setImmediate(() => order.push('other work'));
    await parsing;
    expect(order).toEqual(['other work', 'parsed 42000']);
  });
});
