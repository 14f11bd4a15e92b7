/**
 * Deleting and archiving rooms. A room nobody paid into is deleted with everything in it; a room
 * someone paid into is archived instead: out of every listing, stopped, read-only, and still open
 * to its anchor and to whoever paid into it (an unlock, a gift, a subscription bought there), while
 * everyone else gets 404 as if it were gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/wallet/ledger.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { registerAnchor, registerViewer, TestClient } from '../helpers/client.js';
import { openRoom, postMessages, setLive } from '../helpers/rooms.js';
import { grantDiamonds } from '../wallet/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  expect(await verifyLedger(t.db)).toEqual([]);
  await t.close();
});

async function liveRoomIds(): Promise<string[]> {
  const res = await new TestClient(t.app).get('/api/live/get_all_lives');
  return (res.json().data.lives_info as Array<{ room_id: string }>).map((l) => l.room_id);
}

async function anchorRooms(anchor: TestClient) {
  return (await anchor.get('/api/anchor/rooms')).json().data.rooms as Array<{ room_id: string; archived: boolean; live_status: boolean; last_activity_at: string }>;
}

/** A live VIP room with a line, and a viewer who paid to unlock it. */
async function paidRoom() {
  const anchor = await registerAnchor(t.app);
  const roomId = await openRoom(anchor.client, { room_type: 1, coin_num: 30 });
  await setLive(anchor.client, roomId);
  await postMessages(anchor.client, roomId, { name: 'Seraphina', is_user: false, mes: 'Welcome to the vault.' });
  const payer = await registerViewer(t.app);
  await grantDiamonds(t.db, payer.uid, 100);
  const paid = await payer.client.post('/api/live/pay_vip_coin', { anchor_id: anchor.uid, room_id: roomId, room_name: 'x', amount: 30 });
  expect(paid.statusCode, paid.body).toBe(200);
  return { anchor, roomId, payer };
}

describe('deleting a room', () => {
  it('deletes a room nobody paid into, with its transcript and chat', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    await setLive(anchor.client, roomId);
    await postMessages(anchor.client, roomId, { name: 'Seraphina', is_user: false, mes: 'Hello' });
    const viewer = await registerViewer(t.app);
    expect((await viewer.client.post('/api/live/save_user_chat_history', { room_id: roomId, room_name: 'x', username: 'x', user_message: 'hi' })).statusCode).toBe(200);
    await viewer.client.post('/api/live/follow', { room_id: roomId, follow_status: true });
    expect(await liveRoomIds()).toContain(roomId);

    const res = await anchor.client.delete(`/api/anchor/rooms/${roomId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ code: 0, data: { outcome: 'deleted' } });
    expect(await anchorRooms(anchor.client)).toEqual([]);
    expect(await liveRoomIds()).not.toContain(roomId);
    expect((await viewer.client.get('/api/live/get_live_info', { query: { room_id: roomId } })).statusCode).toBe(404);
    expect((await viewer.client.get('/api/live/get_followed_lives')).json().data.lives_info).toEqual([]);
    const left = await t.db.selectFrom('live_messages').select('floor').where('room_id', '=', roomId).execute();
    expect(left).toEqual([]);
    expect((await anchor.client.delete(`/api/anchor/rooms/${roomId}`)).statusCode).toBe(404);
  });

  it('archives a room someone paid into instead, and says so', async () => {
    const { anchor, roomId, payer } = await paidRoom();
    const res = await anchor.client.delete(`/api/anchor/rooms/${roomId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ outcome: 'archived', room: { room_id: roomId, archived: true, live_status: false } });
    // The payer still reads what they paid for.
    const history = await payer.client.get('/api/live/get_live_chat_history', { query: { room_id: roomId } });
    expect(history.statusCode).toBe(200);
    expect(history.json().data.chat_info.map((line: { live_message: string }) => line.live_message)).toEqual(['Welcome to the vault.']);
  });
});

describe('an archived room', () => {
  it('leaves every listing, cannot go live, takes no lines, chat or payments, and is 404 to everyone it is not kept for', async () => {
    const { anchor, roomId, payer } = await paidRoom();
    await payer.client.post('/api/live/follow', { room_id: roomId, follow_status: true });
    expect(await liveRoomIds()).toContain(roomId);
    const word = `vault${roomId.slice(0, 8).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
    expect((await anchor.client.patch(`/api/anchor/rooms/${roomId}`, { title: `The ${word}`, tags: [word] })).statusCode).toBe(200);
    const found = async (query: Record<string, string>) =>
      ((await new TestClient(t.app).get('/api/live/search', { query })).json().data.lives_info as Array<{ room_id: string }>).map((room) => room.room_id);
    expect(await found({ q: word })).toContain(roomId);
    expect(await found({ tag: word })).toContain(roomId);

    const archived = await anchor.client.post(`/api/anchor/rooms/${roomId}/archive`, { archived: true });
    expect(archived.statusCode).toBe(200);
    expect(archived.json().data.room).toMatchObject({ archived: true, live_status: false });
    expect(await liveRoomIds()).not.toContain(roomId);
    expect(await found({ q: word })).not.toContain(roomId);
    expect(await found({ tag: word })).not.toContain(roomId);
    expect((await payer.client.get('/api/live/get_followed_lives')).json().data.lives_info).toEqual([]);
    expect((await anchorRooms(anchor.client)).map((room) => room.archived)).toEqual([true]);

    const goLive = await anchor.client.post(`/api/anchor/rooms/${roomId}/live`, { live_status: 'start' });
    expect(goLive.statusCode).toBe(409);
    expect(goLive.json().error).toBe('room_archived');
    const line = await postMessages(anchor.client, roomId, { name: 'Seraphina', is_user: false, mes: 'Still here?' });
    expect(line.statusCode).toBe(409);
    expect((await anchor.client.post(`/api/anchor/rooms/${roomId}/typing`, { floor: 1, text: 'x' })).statusCode).toBe(409);

    // The payer: the room, its transcript and chat history, its socket; but no new chat.
    const info = await payer.client.get('/api/live/get_live_info', { query: { room_id: roomId } });
    expect(info.statusCode).toBe(200);
    expect(info.json().data.vip_info.vip_status).toBe(true);
    expect((await payer.client.get('/api/live/get_user_chat_history', { query: { room_id: roomId } })).statusCode).toBe(200);
    const chat = await payer.client.post('/api/live/save_user_chat_history', { room_id: roomId, room_name: 'x', username: 'x', user_message: 'hello?' });
    expect(chat.statusCode).toBe(409);
    expect(chat.json().error).toBe('room_archived');

    // Someone who never paid, a guest, and a new buyer: as if the room were gone.
    const stranger = await registerViewer(t.app);
    await grantDiamonds(t.db, stranger.uid, 100);
    for (const client of [stranger.client, new TestClient(t.app)]) {
      expect((await client.get('/api/live/get_live_info', { query: { room_id: roomId } })).statusCode).toBe(404);
      expect((await client.get('/api/live/get_live_chat_history', { query: { room_id: roomId } })).statusCode).toBe(404);
    }
    const buy = await stranger.client.post('/api/live/pay_vip_coin', { anchor_id: anchor.uid, room_id: roomId, room_name: 'x', amount: 30 });
    expect(buy.statusCode).toBe(409);
    expect(buy.json().error).toBe('room_archived');
    expect((await stranger.client.get('/api/wallet/balance')).json().data.coin_num).toBe(100);
    // The payer's own repeat payment charges nothing, as before.
    expect((await payer.client.post('/api/live/pay_vip_coin', { anchor_id: anchor.uid, room_id: roomId, room_name: 'x', amount: 30 })).json().data.charged).toBe(0);

    // Restored: listed again once live.
    expect((await anchor.client.post(`/api/anchor/rooms/${roomId}/archive`, { archived: false })).json().data.room.archived).toBe(false);
    await setLive(anchor.client, roomId);
    expect(await liveRoomIds()).toContain(roomId);
    expect((await stranger.client.get('/api/live/get_live_info', { query: { room_id: roomId } })).statusCode).toBe(200);
  });

  it('stays open in a free room to a viewer who sent a gift there, not to one who only watched', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const gifter = await registerViewer(t.app);
    await grantDiamonds(t.db, gifter.uid, 10);
    expect((await gifter.client.post('/api/live/send_gift', { room_id: roomId, gift_id: 'heart', count: 1, amount: 1 })).statusCode).toBe(200);
    const watcher = await registerViewer(t.app);
    expect((await watcher.client.get('/api/live/get_live_info', { query: { room_id: roomId } })).statusCode).toBe(200);

    expect((await anchor.client.delete(`/api/anchor/rooms/${roomId}`)).json().data.outcome).toBe('archived');
    expect((await gifter.client.get('/api/live/get_live_chat_history', { query: { room_id: roomId } })).statusCode).toBe(200);
    expect((await watcher.client.get('/api/live/get_live_chat_history', { query: { room_id: roomId } })).statusCode).toBe(404);
    const gift = await gifter.client.post('/api/live/send_gift', { room_id: roomId, gift_id: 'heart', count: 1, amount: 1 });
    expect(gift.json().error).toBe('room_archived');
  });

  it('another anchor gets 404, a viewer 403 and a guest 401 on delete and archive', async () => {
    const { anchor, roomId, payer } = await paidRoom();
    const other = await registerAnchor(t.app);
    expect((await other.client.delete(`/api/anchor/rooms/${roomId}`)).statusCode).toBe(404);
    expect((await other.client.post(`/api/anchor/rooms/${roomId}/archive`, { archived: true })).statusCode).toBe(404);
    expect((await payer.client.delete(`/api/anchor/rooms/${roomId}`)).statusCode).toBe(403);
    expect((await payer.client.post(`/api/anchor/rooms/${roomId}/archive`, { archived: true })).statusCode).toBe(403);
    const guest = new TestClient(t.app);
    expect((await guest.delete(`/api/anchor/rooms/${roomId}`)).statusCode).toBe(401);
    expect((await guest.post(`/api/anchor/rooms/${roomId}/archive`, { archived: true })).statusCode).toBe(401);
    expect((await anchorRooms(anchor.client))[0]).toMatchObject({ archived: false, live_status: true });
  });

  it('lists each room with its last activity', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const [before] = await anchorRooms(anchor.client);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await postMessages(anchor.client, roomId, { name: 'Seraphina', is_user: false, mes: 'Hi' });
    const [after] = await anchorRooms(anchor.client);
    expect(Date.parse(after!.last_activity_at)).toBeGreaterThan(Date.parse(before!.last_activity_at));
  });
});
