/**
 * Legacy client support: what the original site's pages expect beyond the contract. They ask
 * is_google_logged_in on every load, insert live_message_html with innerHTML, and watch a room on
 * /ws/chat/:room_id/:room_name/, where they append every transcript frame, read a viewer message's
 * text as `message`, and echo each message they post over HTTP as a `{message, username}` frame.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { registerAnchor, registerViewer, TestClient } from '../helpers/client.js';
import { keys, openRoom, postMessages } from '../helpers/rooms.js';
import { WsClient } from './ws-client.js';

let t: TestApp;
let base: string;
const sockets: WsClient[] = [];

beforeAll(async () => {
  t = await createTestApp({ config: { chatRateLimitMessages: 50 } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  base = `127.0.0.1:${address.port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.socket.terminate();
  await t.close();
});

function cookieHeader(client: TestClient): string {
  return [...client.cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
}

async function watch(path: string, client?: TestClient): Promise<WsClient> {
  const headers: Record<string, string> = { origin: t.config.publicUrl };
  if (client?.cookies.size) headers.cookie = cookieHeader(client);
  const socket = await WsClient.connect(`ws://${base}${path}`, headers);
  sockets.push(socket);
  await socket.untilCount('hello', 1);
  return socket;
}

const line = (floor: number, mes: string) => ({ name: 'Seraphina', is_user: false, mes, floor });

describe('is_google_logged_in', () => {
  it('answers exactly like is_logged_in, for a guest and for a signed-in viewer', async () => {
    const guest = new TestClient(t.app);
    const asGuest = (await guest.get('/api/users/is_logged_in')).json();
    expect((await guest.get('/api/users/is_google_logged_in')).json()).toEqual(asGuest);
    expect(asGuest.data.user_info.status).toBe(false);

    const { client, uid } = await registerViewer(t.app);
    const google = await client.get('/api/users/is_google_logged_in/');
    expect(google.statusCode).toBe(200);
    expect(google.json()).toEqual((await client.get('/api/users/is_logged_in')).json());
    expect(google.json().data.user_info).toMatchObject({ uid, status: true });
  });
});

describe('live_message_html', () => {
  it('comes with every transcript line over HTTP and WebSocket, escaped with light formatting only', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const text = '*smiles* "Hello" <img src=x onerror=alert(1)>\n<script>alert(2)</script>';
    const html = '<em>smiles</em> <q>Hello</q> &lt;img src=x onerror=alert(1)&gt;<br>&lt;script&gt;alert(2)&lt;/script&gt;';
    await postMessages(anchor.client, roomId, line(0, text));

    for (const query of [{}, { limit: 200 }, { before_floor: 5 }] as Array<Record<string, number>>) {
      const item = (await new TestClient(t.app).get('/api/live/get_live_chat_history', { query: { room_id: roomId, ...query } })).json().data.chat_info[0];
      expect(keys(item)).toEqual(['floor', 'is_user', 'live_message', 'live_message_html', 'original_send_date', 'send_date', 'sender_name']);
      expect(item).toMatchObject({ live_message: text, live_message_html: html });
    }

    const resumed = await watch(`/ws/chat/${roomId}?after_floor=-1`);
    await resumed.untilCount('chat_live_message', 1);
    expect(resumed.of('chat_live_message')[0]).toMatchObject({ op: 'add', live_message_html: html });
    await postMessages(anchor.client, roomId, line(0, '"edited"'));
    await resumed.untilCount('chat_live_message', 2);
    expect(resumed.of('chat_live_message')[1]).toMatchObject({ op: 'replace', live_message_html: '<q>edited</q>' });
  });
});

describe('the original site\'s WebSocket path /ws/chat/:room_id/:room_name/', () => {
  it('serves the same room: additions only, viewer messages with `message`, and {message, username} frames ignored', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    await postMessages(anchor.client, roomId, { messages: [line(0, 'first'), line(1, 'second')] });
    const viewer = await registerViewer(t.app);

    const legacy = await watch(`/ws/chat/${roomId}/${encodeURIComponent('森林 room')}/`, viewer.client);
    const current = await watch(`/ws/chat/${roomId}`, viewer.client);
    expect(legacy.of('hello')[0]).toMatchObject({ room_id: roomId, last_floor: 1 });

    // An addition, an edit and a deletion: legacy pages get the addition alone.
    await postMessages(anchor.client, roomId, line(2, 'third'));
    await postMessages(anchor.client, roomId, line(0, 'first, edited'));
    expect((await anchor.client.delete(`/api/anchor/rooms/${roomId}/messages/1`)).statusCode).toBe(200);
    // What the pages do when their viewer writes: post over HTTP, and echo it on the socket.
    const posted = await viewer.client.post('/api/live/save_user_chat_history', { room_id: roomId, user_message: 'hello from the old page' });
    expect(posted.statusCode).toBe(200);
    legacy.socket.send(JSON.stringify({ message: 'hello from the old page', username: viewer.username }));
    legacy.socket.send(JSON.stringify({ type: 'ping' }));
    await legacy.untilCount('pong', 1);
    await postMessages(anchor.client, roomId, line(3, 'fourth'));

    await current.untilCount('chat_live_message', 4);
    await legacy.untilCount('chat_live_message', 2);
    expect(current.of('chat_live_message').map((item) => item.op)).toEqual(['add', 'replace', 'delete', 'add']);
    expect(legacy.of('chat_live_message').map((item) => [item.op, item.floor, item.live_message])).toEqual([
      ['add', 2, 'third'],
      ['add', 3, 'fourth'],
    ]);

    // Posted once (the echo was not posted again), with `message` on the legacy path only.
    const history = (await viewer.client.get('/api/live/get_user_chat_history', { query: { room_id: roomId } })).json().data.chat_info;
    expect(history.map((item: { user_message: string }) => item.user_message)).toEqual(['hello from the old page']);
    expect(legacy.of('chat_user_message')).toEqual([{ ...current.of('chat_user_message')[0], message: 'hello from the old page' }]);
    expect(current.of('chat_user_message')[0]).not.toHaveProperty('message');
    expect(legacy.of('error')).toEqual([]);

    // The frames the web app sends still work there.
    legacy.socket.send(JSON.stringify({ type: 'chat_user_message', user_message: 'typed in the socket' }));
    await legacy.untilCount('chat_user_message', 2);
    expect(legacy.of('chat_user_message')[1]).toMatchObject({ user_message: 'typed in the socket', message: 'typed in the socket' });
  });

  it('a resume on the legacy path replays additions only, and the room checks still apply', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    await postMessages(anchor.client, roomId, { messages: [line(0, 'a'), line(1, 'b'), line(2, 'c')] });
    await postMessages(anchor.client, roomId, line(0, 'a, edited'));
    const viewer = await registerViewer(t.app);
    await viewer.client.post('/api/live/save_user_chat_history', { room_id: roomId, user_message: 'hi' });

    const resumed = await watch(`/ws/chat/${roomId}/room/?after_floor=0&after_user_message_id=0&changed_since=0`);
    await resumed.untilCount('chat_user_message', 1);
    expect(resumed.of('chat_live_message').map((item) => [item.op, item.floor])).toEqual([
      ['add', 1],
      ['add', 2],
    ]);
    expect(resumed.of('chat_user_message')[0]).toMatchObject({ user_message: 'hi', message: 'hi' });

    await expect(WsClient.connect(`ws://${base}/ws/chat/no-such-room/x/`, { origin: t.config.publicUrl }).then((s) => s.closed)).resolves.toMatchObject({ code: 4404 });
    await expect(WsClient.connect(`ws://${base}/ws/chat/${roomId}/x/`, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
  });
});
