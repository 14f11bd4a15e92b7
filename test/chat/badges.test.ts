/**
 * Viewer messages carry the sender's badges (an extra field): the room's anchor, a subscriber of the
 * anchor, a VIP who unlocked the paid room. They are fixed when the message is written, so history,
 * resume and broadcast agree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/wallet/ledger.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { PASSWORD, TestClient, registerAnchor, registerViewer } from '../helpers/client.js';
import { openRoom, setLive } from '../helpers/rooms.js';
import { grantDiamonds } from '../wallet/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { subscriptionPrice: 100 } });
});
afterAll(async () => {
  expect(await verifyLedger(t.db)).toEqual([]);
  await t.close();
});

const say = (client: TestClient, roomId: string, text: string) => client.post('/api/live/save_user_chat_history', { room_id: roomId, user_message: text });

describe('chat badges', () => {
  it('marks the anchor, a subscriber and a VIP who paid; guests and plain viewers have none', async () => {
    const anchor = await registerAnchor(t.app);
    const vipRoom = await openRoom(anchor.client, { room_type: 1, coin_num: 30 });
    const freeRoom = await openRoom(anchor.client);
    await setLive(anchor.client, vipRoom);
    await setLive(anchor.client, freeRoom);

    // The anchor watching their own room with a viewer session.
    const anchorAsViewer = new TestClient(t.app);
    expect((await anchorAsViewer.post('/api/users/login', { username: anchor.username, password: PASSWORD })).statusCode).toBe(200);
    const payer = await registerViewer(t.app);
    await grantDiamonds(t.db, payer.uid, 30);
    const paid = await payer.client.post('/api/live/pay_vip_coin', { uid: payer.uid, anchor_id: anchor.uid, room_id: vipRoom, amount: 30 });
    expect(paid.statusCode).toBe(200);
    const subscriber = await registerViewer(t.app);
    await grantDiamonds(t.db, subscriber.uid, 100);
    expect((await subscriber.client.post('/api/live/subscribe', { anchor_id: anchor.uid, amount: 100 })).statusCode).toBe(200);
    const plain = await registerViewer(t.app);
    const guest = new TestClient(t.app);

    for (const [client, text] of [
      [anchorAsViewer, 'welcome!'],
      [payer, 'paid to be here'],
      [subscriber, 'subscribed'],
    ] as const) {
      const res = await say('client' in client ? client.client : client, vipRoom, text);
      expect(res.statusCode).toBe(200);
    }
    await say(plain.client, freeRoom, 'plain viewer');
    await say(guest, freeRoom, 'a guest');
    await say(subscriber.client, freeRoom, 'subscriber in a free room');

    const badges = async (roomId: string) =>
      (await guest.get('/api/live/get_user_chat_history', { query: { room_id: roomId } })).json().data.chat_info.map(
        (m: { user_message: string; badges: string[] }) => [m.user_message, m.badges],
      );
    expect(await badges(freeRoom)).toEqual([
      ['plain viewer', []],
      ['a guest', []],
      ['subscriber in a free room', ['subscriber']],
    ]);
    const vipHistory = await anchorAsViewer.get('/api/live/get_user_chat_history', { query: { room_id: vipRoom } });
    expect(vipHistory.json().data.chat_info.map((m: { user_message: string; badges: string[] }) => [m.user_message, m.badges])).toEqual([
      ['welcome!', ['anchor']],
      ['paid to be here', ['vip']],
      ['subscribed', ['subscriber']],
    ]);
  });
});
