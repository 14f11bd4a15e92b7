/**
 * A viewer manages their own account: a new password (other sessions signed out), a new name, and
 * deleting the account, which keeps what accounting and other viewers rely on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walletBalance } from '../../src/wallet/index.js';
import { verifyLedger } from '../../src/wallet/ledger.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { PASSWORD, TestClient, registerAnchor, registerViewer, uniqueName } from '../helpers/client.js';
import { openRoom } from '../helpers/rooms.js';
import { grantDiamonds } from '../wallet/fixtures.js';

let t: TestApp;
let now = Date.now();
beforeAll(async () => {
  t = await createTestApp({ deps: { clock: () => now } });
});
afterAll(async () => {
  expect(await verifyLedger(t.db)).toEqual([]);
  await t.close();
});

async function login(username: string, password: string) {
  const client = new TestClient(t.app);
  const res = await client.post('/api/users/login', { username, password });
  return { client, res };
}
const whoAmI = async (client: TestClient) => (await client.get('/api/users/is_logged_in')).json().data.user_info;

describe('change password', () => {
  it('needs the current password, and signs every other session out', async () => {
    const viewer = await registerViewer(t.app);
    const elsewhere = (await login(viewer.username, PASSWORD)).client;
    expect((await whoAmI(elsewhere)).status).toBe(true);

    const wrong = await viewer.client.post('/api/users/change_password', { current_password: 'not my password', new_password: 'a new password' });
    expect([wrong.statusCode, wrong.json().error]).toEqual([403, 'wrong_password']);
    const weak = await viewer.client.post('/api/users/change_password', { current_password: PASSWORD, new_password: 'short' });
    expect([weak.statusCode, weak.json().error]).toEqual([400, 'weak_password']);
    expect((await whoAmI(elsewhere)).status).toBe(true);

    const changed = await viewer.client.post('/api/users/change_password', { current_password: PASSWORD, new_password: 'a new password' });
    expect(changed.json()).toEqual({ code: 0 });
    expect((await whoAmI(viewer.client)).status).toBe(true);
    expect((await whoAmI(elsewhere)).status).toBe(false);
    expect((await login(viewer.username, PASSWORD)).res.statusCode).toBe(401);
    expect((await login(viewer.username, 'a new password')).res.statusCode).toBe(200);
    expect((await new TestClient(t.app).post('/api/users/change_password', { current_password: PASSWORD, new_password: 'x'.repeat(9) })).statusCode).toBe(401);
  });
});

describe('change name', () => {
  it('shows at once and signs in under the new name; taken or reserved names are refused', async () => {
    const viewer = await registerViewer(t.app);
    const other = await registerViewer(t.app);
    const taken = await viewer.client.post('/api/users/change_username', { username: other.username.toUpperCase() });
    expect([taken.statusCode, taken.json().error]).toEqual([409, 'username_taken']);
    for (const username of ['ab', '已注销用户', '游客Abcdef', 'with space']) {
      expect((await viewer.client.post('/api/users/change_username', { username })).json().error).toBe('invalid_username');
    }
    const name = uniqueName('renamed');
    const renamed = await viewer.client.post('/api/users/change_username', { username: name });
    expect(renamed.json().data.user_info).toMatchObject({ uid: viewer.uid, uname: name, status: true });
    expect((await whoAmI(viewer.client)).uname).toBe(name);
    expect((await login(name, PASSWORD)).res.statusCode).toBe(200);
    expect((await login(viewer.username, PASSWORD)).res.statusCode).toBe(401);
  });
});

describe('delete account', () => {
  it('keeps the ledger and balance, anonymises chat messages, signs out everywhere and never frees the username', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    const viewer = await registerViewer(t.app);
    const watcher = await registerViewer(t.app);
    await grantDiamonds(t.db, viewer.uid, 70);
    const elsewhere = (await login(viewer.username, PASSWORD)).client;
    await viewer.client.post('/api/live/save_user_chat_history', { room_id: roomId, user_message: 'I was here' });
    await watcher.client.post('/api/users/blocks', { uid: viewer.uid, blocked: true });
    await viewer.client.post('/api/users/blocks', { uid: watcher.uid, blocked: true });

    const wrong = await viewer.client.post('/api/users/delete_account', { password: 'not my password' });
    expect([wrong.statusCode, wrong.json().error]).toEqual([403, 'wrong_password']);
    const deleted = await viewer.client.post('/api/users/delete_account', { password: PASSWORD });
    expect(deleted.json()).toEqual({ code: 0 });
    // Past the read caches' safety age: what any viewer sees from now on.
    now += 2_000;

    expect((await whoAmI(viewer.client)).status).toBe(false);
    expect((await whoAmI(elsewhere)).status).toBe(false);
    expect((await login(viewer.username, PASSWORD)).res.json().error).toBe('invalid_credentials');
    const again = await new TestClient(t.app).post('/api/users/register', { username: viewer.username, password: PASSWORD });
    expect([again.statusCode, again.json().error]).toEqual([409, 'username_taken']);

    const messages = (await new TestClient(t.app).get('/api/live/get_user_chat_history', { query: { room_id: roomId } })).json().data.chat_info;
    expect(messages).toMatchObject([{ username: '已注销用户', user_message: 'I was here' }]);
    expect(JSON.stringify(messages)).not.toContain(viewer.username);
    const blocks = (await watcher.client.get('/api/users/blocks')).json().data.blocks;
    expect(blocks).toMatchObject([{ uid: viewer.uid, username: '已注销用户' }]);

    expect(await walletBalance(t.db, viewer.uid)).toBe(70);
    const row = await t.db.selectFrom('users').select(['deleted_at', 'username']).where('id', '=', viewer.uid).executeTakeFirstOrThrow();
    expect(row.deleted_at).not.toBeNull();
    expect(row.username).toBe(viewer.username);
    expect(await t.db.selectFrom('viewer_blocks').selectAll().where('user_id', '=', viewer.uid).execute()).toEqual([]);
  });

  it('refuses anchor accounts and guests', async () => {
    const anchor = await registerAnchor(t.app);
    const session = (await login(anchor.username, PASSWORD)).client;
    const refused = await session.post('/api/users/delete_account', { password: PASSWORD });
    expect([refused.statusCode, refused.json().error]).toEqual([409, 'anchor_account']);
    expect((await new TestClient(t.app).post('/api/users/delete_account', { password: PASSWORD })).statusCode).toBe(401);
  });
});
