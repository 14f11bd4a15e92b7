/**
 * The operator console's actions, their effects as users notice them, and the audit entry each
 * leaves: every action in OPERATOR_ACTIONS is exercised, so a new action without a case (and an
 * entry) fails here.
 */
import { sql } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR_ACTIONS, type OperatorAction } from '../../src/operator/service.js';
import type { DomainEvent } from '../../src/realtime/index.js';
import { verifyLedger } from '../../src/wallet/ledger.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { PASSWORD, registerAnchor, registerViewer, TestClient } from '../helpers/client.js';
import { openRoom, postMessages, setLive } from '../helpers/rooms.js';
import { grantDiamonds } from '../wallet/fixtures.js';
import { signInOperator } from './helpers.js';

let t: TestApp;
let operator: Awaited<ReturnType<typeof signInOperator>>;
const events: DomainEvent[] = [];
beforeAll(async () => {
  t = await createTestApp();
  t.deps.eventBus.subscribe((event) => events.push(event));
  operator = await signInOperator(t.app, t.db);
});
afterAll(async () => {
  // Money is sacred: whatever the actions did, the ledger still balances.
  expect(await verifyLedger(t.db)).toEqual([]);
  await t.close();
});

async function auditFor(targetId: string) {
  const res = await operator.client.get('/api/admin/audit', { query: { target_id: targetId } });
  expect(res.statusCode).toBe(200);
  return res.json().data.entries as Array<{ action: string; reason: string; operator_name: string; before: Record<string, unknown>; after: Record<string, unknown> }>;
}

/**
 * Reads an operator list two rows a page, running `meanwhile` (which adds a newer row) after the
 * first page: the ids of every page in order, and the first page's rows.
 */
async function pageThrough<K extends string, I extends string>(path: string, filter: Record<string, string>, listKey: K, idKey: I, meanwhile: () => Promise<unknown>) {
  const page = async (cursor?: string) => {
    const res = await operator.client.get(path, { query: { ...filter, limit: 2, ...(cursor ? { cursor } : {}) } });
    expect(res.statusCode).toBe(200);
    return res.json().data as Record<K, Array<Record<I, string>>> & { next_cursor: string | null };
  };
  const first = await page();
  await meanwhile();
  const ids = first[listKey].map((row) => row[idKey]);
  for (let cursor = first.next_cursor; cursor !== null; ) {
    const next = await page(cursor);
    ids.push(...next[listKey].map((row) => row[idKey]));
    cursor = next.next_cursor;
  }
  return { firstPage: first[listKey], ids };
}

async function roomWithLines() {
  const anchor = await registerAnchor(t.app);
  const roomId = await openRoom(anchor.client);
  await setLive(anchor.client, roomId);
  await postMessages(anchor.client, roomId, { messages: [{ name: 'Seraphina', is_user: false, mes: 'something unacceptable' }] });
  return { anchor, roomId };
}

async function viewerMessage(roomId: string, text = 'a rude message') {
  const viewer = await registerViewer(t.app);
  const res = await viewer.client.post('/api/live/save_user_chat_history', { room_id: roomId, user_message: text });
  expect(res.statusCode).toBe(200);
  return { viewer, id: res.json().data.id as number };
}

const liveLines = async (roomId: string) =>
  ((await new TestClient(t.app).get('/api/live/get_live_chat_history', { query: { room_id: roomId } })).json().data.chat_info as Array<{ live_message: string }>).map(
    (line) => line.live_message,
  );
const viewerLines = async (roomId: string) =>
  ((await new TestClient(t.app).get('/api/live/get_user_chat_history', { query: { room_id: roomId } })).json().data.chat_info as Array<{ user_message: string }>).map(
    (line) => line.user_message,
  );
const liveRoomIds = async () =>
  ((await new TestClient(t.app).get('/api/live/get_all_lives')).json().data.lives_info as Array<{ room_id: string }>).map((room) => room.room_id);

/** Each action, done once through its route: the target's id (for the audit search) and the answer. */
const ACTION_CASES: Record<OperatorAction, () => Promise<{ target: string; res: LightMyRequestResponse }>> = {
  'user.ban': async () => {
    const viewer = await registerViewer(t.app);
    return { target: viewer.uid, res: await operator.client.post(`/api/admin/users/${viewer.uid}/ban`, { reason: 'spam' }) };
  },
  'user.unban': async () => {
    const viewer = await registerViewer(t.app);
    await operator.client.post(`/api/admin/users/${viewer.uid}/ban`, { reason: 'spam' });
    return { target: viewer.uid, res: await operator.client.post(`/api/admin/users/${viewer.uid}/unban`, { reason: 'appeal accepted' }) };
  },
  'user.adjust_balance': async () => {
    const viewer = await registerViewer(t.app);
    return { target: viewer.uid, res: await operator.client.post(`/api/admin/users/${viewer.uid}/adjust`, { amount: 7, reason: 'refund' }) };
  },
  'room.take_down': async () => {
    const { roomId } = await roomWithLines();
    return { target: roomId, res: await operator.client.post(`/api/admin/rooms/${roomId}/take_down`, { reason: 'rules' }) };
  },
  'room.restore': async () => {
    const { roomId } = await roomWithLines();
    await operator.client.post(`/api/admin/rooms/${roomId}/take_down`, { reason: 'rules' });
    return { target: roomId, res: await operator.client.post(`/api/admin/rooms/${roomId}/restore`, { reason: 'fixed' }) };
  },
  'room.remove_line': async () => {
    const { roomId } = await roomWithLines();
    return { target: `${roomId}:0`, res: await operator.client.post(`/api/admin/rooms/${roomId}/lines/0/remove`, { reason: 'abuse' }) };
  },
  'room.remove_user_message': async () => {
    const { roomId } = await roomWithLines();
    const { id } = await viewerMessage(roomId);
    return { target: `${roomId}:${id}`, res: await operator.client.post(`/api/admin/rooms/${roomId}/user_messages/${id}/remove`, { reason: 'abuse' }) };
  },
  'report.resolve': async () => {
    const { roomId } = await roomWithLines();
    const viewer = await registerViewer(t.app);
    await viewer.client.post('/api/live/report', { room_id: roomId, target: 'room', reason: 'violence' });
    return { target: `${roomId}:room`, res: await operator.client.post('/api/admin/reports/decide', { room_id: roomId, target: 'room', outcome: 'resolved', reason: 'taken down' }) };
  },
  'report.dismiss': async () => {
    const { roomId } = await roomWithLines();
    const viewer = await registerViewer(t.app);
    await viewer.client.post('/api/live/report', { room_id: roomId, target: 'live_message', floor: 0, reason: 'spam' });
    return { target: `${roomId}:live:0`, res: await operator.client.post('/api/admin/reports/decide', { room_id: roomId, target: 'live:0', outcome: 'dismissed', reason: 'fine' }) };
  },
  'payment.credit_partial': async () => {
    const { orderId } = await partiallyPaidOrder();
    return { target: orderId, res: await operator.client.post(`/api/admin/payments/orders/${orderId}/credit_partial`, { reason: 'customer sent the rest by mistake elsewhere' }) };
  },
  'ledger.verify': async () => ({ target: 'ledger', res: await operator.client.post('/api/admin/ledger/verify') }),
};

/** A viewer's recharge of which about half arrived (the simulated provider). */
async function partiallyPaidOrder() {
  const viewer = await registerViewer(t.app);
  const started = await viewer.client.post('/api/payment/process_recharge', { crypto_amount: 20 });
  expect(started.statusCode, started.body).toBe(200);
  const { order_id: orderId, pay_amount: payAmount } = started.json() as { order_id: string; pay_amount: number };
  const paid = await viewer.client.post(`/api/payment/simulate/${orderId}`, { status: 'partially_paid', actually_paid: payAmount / 2 });
  expect(paid.statusCode, paid.body).toBe(200);
  return { viewer, orderId };
}

describe('the audit trail', () => {
  it.each(OPERATOR_ACTIONS.map((action) => [action]))('has an entry for %s, with who, why, before and after', async (action) => {
    const { target, res } = await ACTION_CASES[action]();
    expect(res.statusCode, res.body).toBe(200);
    const entries = await auditFor(target);
    const entry = entries.find((e) => e.action === action);
    expect(entry).toMatchObject({ operator_name: operator.username });
    expect(entry?.reason).toBeTruthy();
    if (action !== 'ledger.verify') expect(res.json().data.audit_id).toBeTruthy();
    expect(Object.keys(entry?.before ?? {}).length + Object.keys(entry?.after ?? {}).length).toBeGreaterThan(0);
  });

  it('is searchable by words and by action, newest first', async () => {
    const viewer = await registerViewer(t.app);
    await operator.client.post(`/api/admin/users/${viewer.uid}/adjust`, { amount: 3, reason: 'Compensation for outage 4711' });
    const found = await operator.client.get('/api/admin/audit', { query: { q: 'outage 4711' } });
    expect(found.json().data.entries.map((e: { target_id: string }) => e.target_id)).toEqual([viewer.uid]);
    const first = (await operator.client.get('/api/admin/audit', { query: { action: 'user.adjust_balance', limit: 1 } })).json().data;
    expect(first.entries).toEqual([expect.objectContaining({ action: 'user.adjust_balance', target_id: viewer.uid })]);
    expect(first.next_cursor).toBe(first.entries[0].id);
    const next = (await operator.client.get('/api/admin/audit', { query: { action: 'user.adjust_balance', limit: 1, cursor: first.next_cursor } })).json().data;
    expect(next.entries).toEqual([expect.objectContaining({ action: 'user.adjust_balance' })]);
    expect(next.entries[0].id < first.entries[0].id).toBe(true);
  });

  it('is append-only: the database refuses to change or delete an entry', async () => {
    await expect(sql`update operator_audit set reason = 'rewritten'`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from operator_audit`.execute(t.db)).rejects.toThrow(/append-only/);
  });

  it('gets nothing from a refused action: no entry without the action, no action without a reason', async () => {
    const viewer = await registerViewer(t.app);
    const refused = await operator.client.post(`/api/admin/users/${viewer.uid}/adjust`, { amount: -5, reason: 'take back' });
    expect(refused.statusCode).toBe(402);
    const blank = await operator.client.post(`/api/admin/users/${viewer.uid}/ban`, { reason: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(await auditFor(viewer.uid)).toEqual([]);
  });
});

describe('people', () => {
  it('finds accounts by name prefix (any case) or uid, and shows balance, transactions, rooms, sessions and tokens', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client);
    await grantDiamonds(t.db, anchor.uid, 40);
    const byName = await operator.client.get('/api/admin/users', { query: { q: anchor.username.slice(0, 10).toUpperCase() } });
    expect(byName.json().data.users.map((u: { uid: string }) => u.uid)).toContain(anchor.uid);
    const byUid = await operator.client.get('/api/admin/users', { query: { q: anchor.uid } });
    expect(byUid.json().data.users).toEqual([expect.objectContaining({ uid: anchor.uid, is_anchor: true, ban_reason: null })]);
    const detail = (await operator.client.get(`/api/admin/users/${anchor.uid}`)).json().data;
    expect(detail.coin_num).toBe(40);
    expect(detail.transactions).toEqual([expect.objectContaining({ type: 'adjustment', amount: 40 })]);
    expect(detail.rooms).toEqual([expect.objectContaining({ room_id: roomId, taken_down: false })]);
    expect(detail.tokens).toHaveLength(1);
    expect(JSON.stringify(detail)).not.toContain(anchor.token);
  });

  it('a ban ends sessions and tokens; signed in again, the user reads but cannot chat, pay, recharge or stream, and is told why', async () => {
    const { anchor, roomId } = await roomWithLines();
    const viewer = await registerViewer(t.app);
    await grantDiamonds(t.db, viewer.uid, 100);
    for (const user of [viewer, anchor]) {
      expect((await operator.client.post(`/api/admin/users/${user.uid}/ban`, { reason: 'repeated harassment' })).statusCode).toBe(200);
    }
    expect((await viewer.client.get('/api/users/is_logged_in')).json().data.user_info.status).toBe(false);
    expect((await anchor.client.get('/api/anchor/rooms')).statusCode).toBe(401);

    const again = new TestClient(t.app);
    const login = await again.post('/api/users/login', { username: viewer.username, password: PASSWORD });
    expect(login.json().data.user_info).toMatchObject({ status: true, ban_reason: 'repeated harassment' });
    expect((await again.get('/api/live/get_live_chat_history', { query: { room_id: roomId } })).statusCode).toBe(200);
    const refusals = [
      await again.post('/api/live/save_user_chat_history', { room_id: roomId, user_message: 'hello' }),
      await again.post('/api/live/send_gift', { room_id: roomId, gift_id: 'rose', count: 1, amount: 5 }),
      await again.post('/api/live/subscribe', { anchor_id: anchor.uid }),
      await again.post('/api/payment/process_recharge', { crypto_amount: 12 }),
    ];
    for (const res of refusals) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json()).toMatchObject({ error: 'banned', reason: 'repeated harassment' });
    }
    const anchorAgain = new TestClient(t.app);
    const anchorLogin = await anchorAgain.post('/api/anchor/login', { username: anchor.username, password: PASSWORD });
    anchorAgain.bearer = anchorLogin.json().data.token;
    const live = await anchorAgain.post(`/api/anchor/rooms/${roomId}/live`, { live_status: 'start' });
    expect(live.statusCode).toBe(403);
    expect(live.json().error).toBe('banned');
    expect((await postMessages(anchorAgain, roomId, { name: 'Seraphina', is_user: false, mes: 'more' })).statusCode).toBe(403);

    expect((await operator.client.post(`/api/admin/users/${viewer.uid}/unban`, { reason: 'appeal' })).statusCode).toBe(200);
    const afterUnban = new TestClient(t.app);
    await afterUnban.post('/api/users/login', { username: viewer.username, password: PASSWORD });
    expect((await afterUnban.post('/api/live/save_user_chat_history', { room_id: roomId, user_message: 'sorry' })).statusCode).toBe(200);
  });

  it('a ban stops posts from a session resolved before it (as an open WebSocket has)', async () => {
    const { roomId } = await roomWithLines();
    const viewer = await registerViewer(t.app);
    const user = { id: viewer.uid, username: viewer.username, isAnchor: false };
    await t.app.chat.postViewerMessage({ kind: 'user', user }, roomId, 'before the ban', '127.0.0.1');
    await operator.client.post(`/api/admin/users/${viewer.uid}/ban`, { reason: 'spam' });
    await expect(t.app.chat.postViewerMessage({ kind: 'user', user }, roomId, 'after the ban', '127.0.0.1')).rejects.toMatchObject({ error: 'banned' });
  });

  it('a balance adjustment is a ledger transfer of its own type, with the reason, shown in the wallet', async () => {
    const viewer = await registerViewer(t.app);
    const res = await operator.client.post(`/api/admin/users/${viewer.uid}/adjust`, { amount: 25, reason: 'stream outage refund' });
    expect(res.json().data).toMatchObject({ coin_num: 25 });
    expect((await viewer.client.get('/api/wallet/balance')).json().data.coin_num).toBe(25);
    const history = (await viewer.client.get('/api/wallet/transactions')).json().data.transactions;
    expect(history).toEqual([expect.objectContaining({ type: 'operator_adjustment', amount: 25, reason: 'stream outage refund' })]);
    const back = await operator.client.post(`/api/admin/users/${viewer.uid}/adjust`, { amount: -10, reason: 'duplicate refund' });
    expect(back.json().data.coin_num).toBe(15);
    const [entry] = (await auditFor(viewer.uid)).filter((e) => e.action === 'user.adjust_balance');
    expect(entry).toMatchObject({ before: { coin_num: 25 }, after: { coin_num: 15, amount: -10 } });
    expect(await verifyLedger(t.db)).toEqual([]);
  });
});

describe('rooms', () => {
  it('lists every room with live status and filters', async () => {
    const { roomId } = await roomWithLines();
    const all = (await operator.client.get('/api/admin/rooms', { query: { q: roomId } })).json().data.rooms;
    expect(all).toEqual([expect.objectContaining({ room_id: roomId, live_status: true, taken_down: null, open_reports: 0 })]);
    const live = (await operator.client.get('/api/admin/rooms', { query: { status: 'live' } })).json().data.rooms;
    expect(live.map((r: { room_id: string }) => r.room_id)).toContain(roomId);
  });

  it('pages through every room newest first; a room opened meanwhile neither repeats nor skips a row', async () => {
    const anchor = await registerAnchor(t.app);
    const opened: string[] = [];
    for (let i = 0; i < 5; i++) opened.unshift(await openRoom(anchor.client));
    const { firstPage, ids } = await pageThrough('/api/admin/rooms', { q: anchor.username }, 'rooms', 'room_id', () => openRoom(anchor.client));
    expect(firstPage).toHaveLength(2);
    expect(ids).toEqual(opened);
    expect((await operator.client.get('/api/admin/rooms', { query: { cursor: 'not a cursor' } })).statusCode).toBe(400);
  });

  it('a take-down hides the room, closes it to viewers with a notice, tells the anchor why, and is undone by restore', async () => {
    const { anchor, roomId } = await roomWithLines();
    expect(await liveRoomIds()).toContain(roomId);
    events.length = 0;
    expect((await operator.client.post(`/api/admin/rooms/${roomId}/take_down`, { reason: 'violent content' })).statusCode).toBe(200);
    expect(events).toContainEqual({ type: 'room_taken_down', room_id: roomId, data: { taken_down: true } });
    expect(await liveRoomIds()).not.toContain(roomId);
    const info = (await new TestClient(t.app).get('/api/live/get_live_info', { query: { room_id: roomId } })).json().data;
    expect(info.live_info).toMatchObject({ taken_down: true, live_status: false });
    const history = await new TestClient(t.app).get('/api/live/get_live_chat_history', { query: { room_id: roomId } });
    expect(history.statusCode).toBe(403);
    expect(history.json().error).toBe('room_taken_down');
    const anchorRooms = (await anchor.client.get('/api/anchor/rooms')).json().data.rooms;
    expect(anchorRooms[0]).toMatchObject({ room_id: roomId, taken_down: { reason: 'violent content' } });
    const goLive = await anchor.client.post(`/api/anchor/rooms/${roomId}/live`, { live_status: 'start' });
    expect(goLive.statusCode).toBe(403);
    expect(goLive.json().message).toContain('violent content');

    expect((await operator.client.post(`/api/admin/rooms/${roomId}/restore`, { reason: 'reviewed' })).statusCode).toBe(200);
    expect(events).toContainEqual({ type: 'room_taken_down', room_id: roomId, data: { taken_down: false } });
    await setLive(anchor.client, roomId);
    expect(await liveRoomIds()).toContain(roomId);
    expect((await new TestClient(t.app).get('/api/live/get_live_chat_history', { query: { room_id: roomId } })).statusCode).toBe(200);
  });

  it('removes a transcript line for good (the anchor sending it again does not bring it back) and viewers drop it live', async () => {
    const { anchor, roomId } = await roomWithLines();
    expect(await liveLines(roomId)).toEqual(['something unacceptable']);
    events.length = 0;
    expect((await operator.client.post(`/api/admin/rooms/${roomId}/lines/0/remove`, { reason: 'abuse' })).statusCode).toBe(200);
    expect(events).toContainEqual(expect.objectContaining({ type: 'chat_live_message', room_id: roomId, data: expect.objectContaining({ op: 'delete', floor: 0 }) }));
    expect(await liveLines(roomId)).toEqual([]);
    const resend = [
      { name: 'Seraphina', is_user: false, mes: 'something unacceptable', floor: 0 },
      { name: 'Seraphina', is_user: false, mes: 'fine', floor: 1 },
    ];
    expect((await postMessages(anchor.client, roomId, { messages: resend })).statusCode).toBe(200);
    expect(await liveLines(roomId)).toEqual(['fine']);
    const [entry] = await auditFor(`${roomId}:0`);
    expect(entry).toMatchObject({ action: 'room.remove_line', before: { message: 'something unacceptable' } });
    const review = (await operator.client.get(`/api/admin/rooms/${roomId}`)).json().data;
    expect(review.lines).toContainEqual(expect.objectContaining({ floor: 0, removed: true }));
    expect((await operator.client.post(`/api/admin/rooms/${roomId}/lines/0/remove`, { reason: 'again' })).statusCode).toBe(409);
  });

  it('soft-deletes a viewer message, which viewers stop seeing live', async () => {
    const { roomId } = await roomWithLines();
    const { id } = await viewerMessage(roomId, 'nasty words');
    events.length = 0;
    expect((await operator.client.post(`/api/admin/rooms/${roomId}/user_messages/${id}/remove`, { reason: 'abuse' })).statusCode).toBe(200);
    expect(events).toContainEqual({ type: 'chat_user_message_deleted', room_id: roomId, data: { id } });
    expect(await viewerLines(roomId)).toEqual([]);
    const review = (await operator.client.get(`/api/admin/rooms/${roomId}`)).json().data;
    expect(review.user_messages).toEqual([expect.objectContaining({ id, message: 'nasty words', removed: true })]);
  });
});

describe('reports', () => {
  it('viewers report a room or a message once per target and day; the queue groups them by target, most reported first', async () => {
    const { roomId } = await roomWithLines();
    const { id } = await viewerMessage(roomId, 'buy followers at example.com');
    const reporters = await Promise.all([1, 2, 3].map(() => registerViewer(t.app)));
    for (const reporter of reporters) {
      const res = await reporter.client.post('/api/live/report', { room_id: roomId, target: 'user_message', message_id: id, reason: 'spam', details: 'an ad' });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect((await reporters[0]!.client.post('/api/live/report', { room_id: roomId, target: 'room', reason: 'other', details: 'odd room' })).statusCode).toBe(200);
    const again = await reporters[0]!.client.post('/api/live/report', { room_id: roomId, target: 'user_message', message_id: id, reason: 'harassment' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toBe('already_reported');
    expect((await new TestClient(t.app).post('/api/live/report', { room_id: roomId, target: 'room', reason: 'spam' })).statusCode).toBe(401);
    expect((await reporters[1]!.client.post('/api/live/report', { room_id: roomId, target: 'live_message', floor: 99, reason: 'spam' })).statusCode).toBe(404);
    expect((await reporters[1]!.client.post('/api/live/report', { room_id: roomId, target: 'room', reason: 'not-a-reason' })).statusCode).toBe(400);

    const groups = ((await operator.client.get('/api/admin/reports')).json().data.groups as Array<{ room_id: string; target: string; count: number; excerpt: string; reasons: string[]; details: string[] }>).filter(
      (group) => group.room_id === roomId,
    );
    expect(groups.map((g) => [g.target, g.count])).toEqual([
      [`user:${id}`, 3],
      ['room', 1],
    ]);
    expect(groups[0]).toMatchObject({ excerpt: expect.stringContaining('buy followers'), reasons: ['spam'], details: ['an ad', 'an ad', 'an ad'] });
    const rooms = (await operator.client.get('/api/admin/rooms', { query: { status: 'reported' } })).json().data.rooms;
    expect(rooms).toContainEqual(expect.objectContaining({ room_id: roomId, open_reports: 4 }));

    await operator.client.post('/api/admin/reports/decide', { room_id: roomId, target: `user:${id}`, outcome: 'resolved', reason: 'message removed' });
    const left = ((await operator.client.get('/api/admin/reports')).json().data.groups as Array<{ room_id: string; target: string }>).filter((g) => g.room_id === roomId);
    expect(left.map((g) => g.target)).toEqual(['room']);
  });

  it('is rate-limited per viewer', async () => {
    const limited = await createTestApp({ config: { reportMaxPerWindow: 2 } });
    try {
      const anchor = await registerAnchor(limited.app);
      const rooms = [await openRoom(anchor.client), await openRoom(anchor.client), await openRoom(anchor.client)];
      const viewer = await registerViewer(limited.app);
      const answers = [];
      for (const roomId of rooms) answers.push((await viewer.client.post('/api/live/report', { room_id: roomId, target: 'room', reason: 'spam' })).statusCode);
      expect(answers).toEqual([200, 200, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('money', () => {
  it('lists orders in every status with the provider answer; credit-partial from the console credits once', async () => {
    const { viewer, orderId } = await partiallyPaidOrder();
    const orders = (await operator.client.get('/api/admin/payments/orders', { query: { uid: viewer.uid } })).json().data.orders;
    expect(orders).toEqual([expect.objectContaining({ order_id: orderId, status: 'partially_paid', coins_credited: 0 })]);
    expect(orders[0].provider_answer).toMatchObject({ status: 'partially_paid' });
    expect((await operator.client.get('/api/admin/payments/orders', { query: { status: 'finished', uid: viewer.uid } })).json().data.orders).toEqual([]);
    const attention = (await operator.client.get('/api/admin/payments/attention')).json().data;
    expect(attention.partial.map((o: { order_id: string }) => o.order_id)).toContain(orderId);

    const credited = await operator.client.post(`/api/admin/payments/orders/${orderId}/credit_partial`, { reason: 'half arrived' });
    expect(credited.json().data.coins).toBe(50);
    expect((await viewer.client.get('/api/wallet/balance')).json().data.coin_num).toBe(50);
    const again = await operator.client.post(`/api/admin/payments/orders/${orderId}/credit_partial`, { reason: 'twice' });
    expect(again.statusCode).toBe(409);
    expect((await viewer.client.get('/api/wallet/balance')).json().data.coin_num).toBe(50);
    expect((await auditFor(orderId)).map((e) => e.action)).toEqual(['payment.credit_partial']);
  });

  it('pages through the orders newest first; an order placed meanwhile neither repeats nor skips a row', async () => {
    const viewer = await registerViewer(t.app);
    const placed: string[] = [];
    const placeOrder = async () => {
      const res = await viewer.client.post('/api/payment/process_recharge', { crypto_amount: 12 });
      expect(res.statusCode, res.body).toBe(200);
      const orderId = res.json().order_id as string;
      // Closed at once: a viewer may only hold a few unfinished orders.
      expect((await viewer.client.post(`/api/payment/simulate/${orderId}`, { status: 'expired' })).statusCode).toBe(200);
      return orderId;
    };
    for (let i = 0; i < 5; i++) placed.unshift(await placeOrder());
    const { ids } = await pageThrough('/api/admin/payments/orders', { uid: viewer.uid }, 'orders', 'order_id', placeOrder);
    expect(ids).toEqual(placed);
  });

  it('sums each day from the ledger: recharged, spent per type, platform fee, anchor earnings', async () => {
    const before = (await operator.client.get('/api/admin/money/summary', { query: { days: 2 } })).json().data.days;
    expect(before).toHaveLength(2);
    const today = before[1];
    const viewer = await registerViewer(t.app);
    const started = (await viewer.client.post('/api/payment/process_recharge', { crypto_amount: 20 })).json() as { order_id: string };
    await viewer.client.post(`/api/payment/simulate/${started.order_id}`, { status: 'finished' });
    const { roomId } = await roomWithLines();
    expect((await viewer.client.post('/api/live/send_gift', { room_id: roomId, gift_id: 'rose', count: 2, amount: 10 })).statusCode).toBe(200);
    const after = (await operator.client.get('/api/admin/money/summary', { query: { days: 2 } })).json().data.days[1];
    expect(after.day).toBe(new Date().toISOString().slice(0, 10));
    expect(after.recharged - today.recharged).toBe(100);
    expect(after.spent.gift - today.spent.gift).toBe(10);
    expect(after.anchor_earnings + after.platform_fee - (today.anchor_earnings + today.platform_fee)).toBe(10);
  });

  it('runs ledger:verify from the console and shows its last run', async () => {
    const run = await operator.client.post('/api/admin/ledger/verify');
    expect(run.json().data.last_run).toMatchObject({ ok: true, problems: [], operator_name: operator.username });
    expect((await operator.client.get('/api/admin/ledger')).json().data.last_run.at).toBe(run.json().data.last_run.at);
  });
});
