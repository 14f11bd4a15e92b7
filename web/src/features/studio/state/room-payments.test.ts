import { describe, expect, it } from 'vitest';
import { fromEarnings, fromFrame, MAX_PAYMENTS_SHOWN, mergePayments } from './room-payments.ts';

const line = (id: string, at: string, over: Record<string, unknown> = {}) => ({
  id,
  type: 'vip_room',
  amount: 45,
  balance_after: 100,
  created_at: at,
  room_id: 'r1',
  from_name: 'ana',
  ...over,
});

describe('room payments', () => {
  it("keeps only this room's incoming earnings", () => {
    const items = fromEarnings(
      [line('a', '2026-12-02T01:00:00Z'), line('b', '2026-12-02T02:00:00Z', { room_id: 'r2' }), line('c', '2026-12-02T03:00:00Z', { room_id: undefined })],
      'r1',
    );
    expect(items.map((item) => item.id)).toEqual(['a']);
    expect(items[0]).toMatchObject({ username: 'ana', earned: 45 });
  });

  it('lists a payment seen in the history and again live once, newest first', () => {
    const history = fromEarnings([line('t2', '2026-12-02T02:00:00Z'), line('t1', '2026-12-02T01:00:00Z')], 'r1');
    const live = fromFrame({
      id: 't2',
      type: 'vip_room',
      uid: 'u',
      username: 'ana',
      amount: 50,
      earned: 45,
      created_at: '2026-12-02T02:00:00Z',
    });
    const gift = fromFrame({ id: 't3', type: 'gift', uid: 'u', username: 'bo', amount: 15, earned: 13, gift_id: 'rose', count: 3, created_at: '2026-12-02T03:00:00Z' });
    const merged = mergePayments(mergePayments([], history), [live, gift]);
    expect(merged.map((item) => item.id)).toEqual(['t3', 't2', 't1']);
    expect(merged[0]).toMatchObject({ giftId: 'rose', count: 3, earned: 13 });
  });

  it(`keeps the newest ${MAX_PAYMENTS_SHOWN}`, () => {
    const many = Array.from({ length: MAX_PAYMENTS_SHOWN + 5 }, (_, i) => line(`t${String(i).padStart(3, '0')}`, new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString()));
    const merged = mergePayments([], fromEarnings(many, 'r1'));
    expect(merged).toHaveLength(MAX_PAYMENTS_SHOWN);
    expect(merged[0]!.id).toBe(`t${String(MAX_PAYMENTS_SHOWN + 4).padStart(3, '0')}`);
  });
});
