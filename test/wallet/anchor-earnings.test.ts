import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { earningsCsv } from '../../src/wallet/earnings.js';
import { verifyLedger } from '../../src/wallet/ledger.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { registerAnchor, registerViewer, TestClient } from '../helpers/client.js';
import { createRoom, grantDiamonds } from './fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { platformFeePercent: 10 } });
});
afterEach(async () => {
  expect(await verifyLedger(t.db)).toEqual([]);
});
afterAll(async () => {
  await t.close();
});

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

async function paidBy(anchorUid: string, rooms: Array<{ name: string; price: number }>) {
  const viewer = await registerViewer(t.app);
  await grantDiamonds(t.db, viewer.uid, 1_000);
  const created = [];
  for (const spec of rooms) {
    const room = await createRoom(t.db, { anchorId: anchorUid, price: spec.price, name: spec.name });
    const res = await viewer.client.post('/api/live/pay_vip_coin', { uid: viewer.uid, anchor_id: anchorUid, room_id: room.id, room_name: room.roomName, amount: spec.price });
    expect(res.statusCode).toBe(200);
    created.push(room);
  }
  return { viewer, rooms: created };
}

describe('anchor earnings for the console', () => {
  it('pages through the earnings with room names, newest first', async () => {
    const anchor = await registerAnchor(t.app);
    await paidBy(anchor.uid, [
      { name: 'Glade', price: 50 },
      { name: 'Ball', price: 100 },
      { name: '=HYPERLINK("x")', price: 20 },
    ]);
    const first = (await anchor.client.get('/api/anchor/earnings/entries', { query: { limit: 2 } })).json().data;
    // 10 % platform fee: the anchor earns 18, 90, 45.
    expect(first.entries.map((e: { amount: number; room_name: string }) => [e.room_name, e.amount])).toEqual([
      ['=HYPERLINK("x")', 18],
      ['Ball', 90],
    ]);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = (await anchor.client.get('/api/anchor/earnings/entries', { query: { limit: 2, cursor: first.next_cursor } })).json().data;
    expect(second.entries.map((e: { room_name: string }) => e.room_name)).toEqual(['Glade']);
    expect(second.next_cursor).toBeNull();
  });

  it('totals a period per day (zero days included) and per room, and exports it as CSV', async () => {
    const anchor = await registerAnchor(t.app);
    const { viewer, rooms } = await paidBy(anchor.uid, [
      { name: 'Glade', price: 50 },
      { name: 'Ball', price: 100 },
    ]);
    // A gift in Glade: 2 coffees, 20 diamonds, 18 for the anchor.
    const gift = await viewer.client.post('/api/live/send_gift', { room_id: rooms[0]!.id, gift_id: 'coffee', count: 2, amount: 20 });
    expect(gift.statusCode, gift.body).toBe(200);
    const entries = (await anchor.client.get('/api/anchor/earnings/entries')).json().data.entries;
    expect(entries[0]).toMatchObject({ type: 'gift', amount: 18, from_uid: viewer.uid, from_name: viewer.username, gift_id: 'coffee', count: 2 });
    expect(entries[1]).toMatchObject({ type: 'vip_room', from_name: viewer.username });
    expect(entries[1]).not.toHaveProperty('gift_id');
    expect((await anchor.client.get('/api/anchor/earnings')).json().data).toMatchObject({ vip_total: 135, gift_total: 18, total_earned: 153 });
    const report = await anchor.client.get('/api/anchor/earnings/report', { query: { from: daysAgo(6), to: today() } });
    expect(report.statusCode).toBe(200);
    const data = report.json().data;
    expect(data.total).toBe(153);
    expect(data.days).toHaveLength(7);
    expect(data.days.at(-1)).toEqual({ date: today(), total: 153, vip: 135, subscription: 0, gift: 18 });
    expect(data.days.slice(0, 6).every((d: { total: number }) => d.total === 0)).toBe(true);
    expect(data.rooms.map((r: { room_name: string; total: number }) => [r.room_name, r.total])).toEqual([
      ['Ball', 90],
      ['Glade', 63],
    ]);
    // A period before the payments holds nothing.
    const before = (await anchor.client.get('/api/anchor/earnings/report', { query: { from: daysAgo(10), to: daysAgo(8) } })).json().data;
    expect(before).toMatchObject({ total: 0, rooms: [] });

    const csv = await anchor.client.get('/api/anchor/earnings/export', { query: { from: today(), to: today() } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain(`earnings-${today()}-${today()}.csv`);
    const rows = csv.body.trim().split('\r\n');
    expect(rows[0]).toBe('time_utc,type,amount,balance_after,room_id,room_name,from_uid,transfer_id');
    expect(rows).toHaveLength(4);
    expect(rows.slice(1).map((row) => row.split(',')[2])).toEqual(['45', '90', '18']);
  });

  it('CSV cells never run as spreadsheet formulas and keep commas and quotes', () => {
    const csv = earningsCsv([
      { id: 't1', type: 'vip_room', amount: 5, balance_after: 5, created_at: '2026-12-01T00:00:00.000Z', room_id: 'r', room_name: '=HYPERLINK("x"), "y"' },
    ]);
    expect(csv.split('\r\n')[1]).toBe('2026-12-01T00:00:00.000Z,vip_room,5,5,r,"\'=HYPERLINK(""x""), ""y""",,t1');
  });

  it('refuses bad periods with 400', async () => {
    const anchor = await registerAnchor(t.app);
    for (const query of [
      { from: today(), to: daysAgo(1) },
      { from: daysAgo(400), to: today() },
      { from: '2026-13-45', to: today() },
      { from: 'yesterday', to: today() },
    ]) {
      const res = await anchor.client.get('/api/anchor/earnings/report', { query });
      expect(res.statusCode, JSON.stringify(query)).toBe(400);
      expect(res.json().code).toBe(1);
    }
  });

  it("an anchor sees only their own earnings; viewers get 403 and guests 401 on each endpoint", async () => {
    const owner = await registerAnchor(t.app);
    await paidBy(owner.uid, [{ name: 'Mine', price: 50 }]);
    const other = await registerAnchor(t.app);
    expect((await other.client.get('/api/anchor/earnings/entries')).json().data.entries).toEqual([]);
    expect((await other.client.get('/api/anchor/earnings/report', { query: { from: today(), to: today() } })).json().data.total).toBe(0);
    expect((await other.client.get('/api/anchor/earnings/export', { query: { from: today(), to: today() } })).body.trim().split('\r\n')).toHaveLength(1);

    const { client: viewer } = await registerViewer(t.app);
    const guest = new TestClient(t.app);
    for (const [url, query] of [
      ['/api/anchor/earnings/entries', {}],
      ['/api/anchor/earnings/report', { from: today(), to: today() }],
      ['/api/anchor/earnings/export', { from: today(), to: today() }],
    ] as const) {
      expect((await viewer.get(url, { query })).statusCode).toBe(403);
      expect((await guest.get(url, { query })).statusCode).toBe(401);
    }
  });
});
