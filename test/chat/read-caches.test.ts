/**
 * The viewer read paths are served from caches (room rows, latest history pages, sessions, follow
 * and mute state). The clock here stands still, so nothing expires by age: every change below must
 * reach the next read through its event or its own invalidation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TestClient, registerAnchor, registerViewer } from '../helpers/client.js';
import { openRoom, postMessages, setLive } from '../helpers/rooms.js';

let t: TestApp;
let now = Date.now();
beforeAll(async () => {
  t = await createTestApp({ deps: { clock: () => now } });
});
afterAll(() => t.close());

function liveHistory(client: TestClient, roomId: string) {
  return client.get('/api/live/get_live_chat_history', { query: { room_id: roomId } });
}
function userHistory(client: TestClient, roomId: string) {
  return client.get('/api/live/get_user_chat_history', { query: { room_id: roomId } });
}
function say(client: TestClient, roomId: string, text: string) {
  return client.post('/api/live/save_user_chat_history', { room_id: roomId, user_message: text });
}
const message = (floor: number, mes: string) => ({ name: 'Seraphina', is_user: false, mes, floor });

describe('cached viewer reads follow every change at once', () => {
  it('live history: a new, replaced or deleted message shows in the next read', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const viewer = new TestClient(t.app);
    await postMessages(anchor.client, roomId, { messages: [message(0, 'first'), message(1, 'second')] });
    const texts = async () => (await liveHistory(viewer, roomId)).json().data.chat_info.map((m: { live_message: string }) => m.live_message);

    expect(await texts()).toEqual(['first', 'second']);
    expect(await texts()).toEqual(['first', 'second']);
    await postMessages(anchor.client, roomId, { name: 'Seraphina', is_user: false, mes: 'third' });
    expect(await texts()).toEqual(['first', 'second', 'third']);
    await postMessages(anchor.client, roomId, message(1, 'second, swiped'));
    expect(await texts()).toEqual(['first', 'second, swiped', 'third']);
    expect((await anchor.client.delete(`/api/anchor/rooms/${roomId}/messages/0`)).statusCode).toBe(200);
    expect(await texts()).toEqual(['second, swiped', 'third']);
  });

  it('user history: a new or removed viewer message shows in the next read', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const { client } = await registerViewer(t.app);
    const texts = async () => (await userHistory(client, roomId)).json().data.chat_info.map((m: { user_message: string }) => m.user_message);

    expect(await texts()).toEqual([]);
    const id = (await say(client, roomId, 'hello')).json().data.id;
    expect(await texts()).toEqual(['hello']);
    await say(client, roomId, 'again');
    expect(await texts()).toEqual(['hello', 'again']);
    await anchor.client.delete(`/api/anchor/rooms/${roomId}/user_messages/${id}`);
    expect(await texts()).toEqual(['again']);
  });

  it('a room turned VIP is locked for the very next read, post and live info; a rename shows at once', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const viewer = await registerViewer(t.app);
    const info = async () => (await viewer.client.get('/api/live/get_live_info', { query: { room_id: roomId } })).json().data;
    expect((await liveHistory(viewer.client, roomId)).statusCode).toBe(200);
    expect((await userHistory(viewer.client, roomId)).statusCode).toBe(200);
    expect((await info()).vip_info).toEqual({ room_type: 0, vip_status: true, amount: 0 });

    await anchor.client.patch(`/api/anchor/rooms/${roomId}`, { room_type: 1, coin_num: 30, room_name: 'Locked den' });
    for (const res of [await liveHistory(viewer.client, roomId), await userHistory(viewer.client, roomId), await say(viewer.client, roomId, 'hi')]) {
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toBe('vip_required');
    }
    expect((await info()).vip_info).toEqual({ room_type: 1, vip_status: false, amount: 30 });
    expect((await info()).live_info.room_name).toBe('Locked den');

    await anchor.client.patch(`/api/anchor/rooms/${roomId}`, { room_type: 0 });
    // The pages cached before the rename are gone too.
    expect((await liveHistory(viewer.client, roomId)).json().data.room_name).toBe('Locked den');
    expect((await userHistory(viewer.client, roomId)).json().data.room_name).toBe('Locked den');
  });

  it('live status, follow state and mutes change in the next read', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const viewer = await registerViewer(t.app);
    const info = async () => (await viewer.client.get('/api/live/get_live_info', { query: { room_id: roomId } })).json().data;

    expect((await info()).live_info.live_status).toBe(false);
    await setLive(anchor.client, roomId);
    expect((await info()).live_info.live_status).toBe(true);

    expect((await info()).follow_info.follow_status).toBe(false);
    await viewer.client.post('/api/live/follow', { room_id: roomId, follow_status: true });
    expect((await info()).follow_info.follow_status).toBe(true);
    await viewer.client.post('/api/live/follow', { room_id: roomId, follow_status: false });
    expect((await info()).follow_info.follow_status).toBe(false);

    expect((await say(viewer.client, roomId, 'before')).statusCode).toBe(200);
    await anchor.client.post(`/api/anchor/rooms/${roomId}/mute`, { uid: viewer.uid, minutes: 5 });
    expect((await say(viewer.client, roomId, 'during')).json().error).toBe('muted');
    await anchor.client.post(`/api/anchor/rooms/${roomId}/mute`, { uid: viewer.uid, minutes: 0 });
    expect((await say(viewer.client, roomId, 'after')).statusCode).toBe(200);
  });

  it('logging out ends the session for the next request', async () => {
    const viewer = await registerViewer(t.app);
    const copiedCookies = new Map(viewer.client.cookies);
    const whoAmI = async (client: TestClient) => (await client.get('/api/users/is_logged_in')).json().data.user_info.status;
    expect(await whoAmI(viewer.client)).toBe(true);
    await viewer.client.post('/api/users/login_out', {});
    // The same cookie replayed by another client is no longer a session either.
    const replay = new TestClient(t.app);
    for (const [name, value] of copiedCookies) replay.cookies.set(name, value);
    expect(await whoAmI(replay)).toBe(false);
  });

  it('a change that announced nothing still shows within a second', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client, { room_name: 'Before' });
    const viewer = new TestClient(t.app);
    const roomName = async () => (await liveHistory(viewer, roomId)).json().data.room_name;
    expect(await roomName()).toBe('Before');
    await t.db.updateTable('rooms').set({ room_name: 'After' }).where('id', '=', roomId).execute();
    expect(await roomName()).toBe('Before');
    now += 1000;
    expect(await roomName()).toBe('After');
  });
});
