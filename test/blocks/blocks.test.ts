/** The per-account block list: kept on the server so it follows the viewer to every device. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TestClient, registerViewer } from '../helpers/client.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('block list', () => {
  it('blocks users by uid and guests by guest name, lists them, and unblocks; idempotent both ways', async () => {
    const me = await registerViewer(t.app);
    const troll = await registerViewer(t.app);
    const list = async () => (await me.client.get('/api/users/blocks')).json().data.blocks;

    expect(await list()).toEqual([]);
    for (let i = 0; i < 2; i++) {
      const res = await me.client.post('/api/users/blocks', { uid: troll.uid, blocked: true });
      expect(res.json()).toEqual({ code: 0, data: { blocked: true } });
    }
    expect((await me.client.post('/api/users/blocks', { guest_name: '游客Ab3xYz', blocked: true })).statusCode).toBe(200);
    expect(await list()).toEqual([
      { uid: troll.uid, guest_name: '', username: troll.username, blocked_at: expect.stringMatching(/Z$/) },
      { uid: '', guest_name: '游客Ab3xYz', username: '游客Ab3xYz', blocked_at: expect.stringMatching(/Z$/) },
    ]);

    // The same account on another device sees the same list.
    const otherDevice = new TestClient(t.app);
    await otherDevice.post('/api/users/login', { username: me.username, password: 'correct horse battery' });
    expect((await otherDevice.get('/api/users/blocks')).json().data.blocks).toHaveLength(2);

    for (let i = 0; i < 2; i++) {
      expect((await me.client.post('/api/users/blocks', { uid: troll.uid, blocked: false })).json().data).toEqual({ blocked: false });
    }
    expect((await list()).map((b: { username: string }) => b.username)).toEqual(['游客Ab3xYz']);
    // Someone else's list is their own.
    expect((await troll.client.get('/api/users/blocks')).json().data.blocks).toEqual([]);
  });

  it('refuses guests, unknown users, oneself and an ambiguous target in words', async () => {
    const me = await registerViewer(t.app);
    const guest = new TestClient(t.app);
    expect((await guest.get('/api/users/blocks')).statusCode).toBe(401);
    expect((await guest.post('/api/users/blocks', { uid: me.uid, blocked: true })).statusCode).toBe(401);

    const unknown = await me.client.post('/api/users/blocks', { uid: 'nobody', blocked: true });
    expect([unknown.statusCode, unknown.json().error]).toEqual([404, 'user_not_found']);
    const self = await me.client.post('/api/users/blocks', { uid: me.uid, blocked: true });
    expect([self.statusCode, self.json().error]).toEqual([400, 'cannot_block_self']);
    const both = await me.client.post('/api/users/blocks', { uid: 'a', guest_name: 'b', blocked: true });
    expect([both.statusCode, both.json().code]).toEqual([400, 1]);
    const neither = await me.client.post('/api/users/blocks', { blocked: true });
    expect(neither.statusCode).toBe(400);
  });
});
