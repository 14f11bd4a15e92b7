import { describe, expect, it } from 'vitest';
import { addGift, COMBO_WINDOW_MS, emptyGiftFeed, GIFT_FEED_LIMIT, type GiftEvent } from './gift-feed.ts';

const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);
function gift(over: Partial<GiftEvent> & { at: number }): GiftEvent {
  const { at, ...rest } = over;
  return { uid: 'u1', username: 'amy', gift_id: 'rose', count: 1, diamonds: 5, send_date: new Date(T0 + at).toISOString(), ...rest };
}

describe('gift feed', () => {
  it('combines rapid repeats of one gift by one viewer into one line counting every gift', () => {
    let state = emptyGiftFeed;
    for (let i = 0; i < 30; i++) state = addGift(state, gift({ at: i * 1000, count: 2, diamonds: 10 }));
    expect(state.lines).toHaveLength(1);
    expect(state.lines[0]).toMatchObject({ count: 60, sends: 30, diamonds: 300, started_at: new Date(T0).toISOString() });
  });

  it('starts a new line after a pause, for another gift, or for another viewer; others in between do not break a combo', () => {
    let state = addGift(emptyGiftFeed, gift({ at: 0 }));
    state = addGift(state, gift({ at: 100, uid: 'u2', username: 'bo' }));
    state = addGift(state, gift({ at: 200 }));
    state = addGift(state, gift({ at: 300, gift_id: 'heart' }));
    state = addGift(state, gift({ at: 300 + COMBO_WINDOW_MS + 1 }));
    expect(state.lines.map((line) => [line.username, line.gift_id, line.count])).toEqual([
      ['amy', 'rose', 2],
      ['bo', 'rose', 1],
      ['amy', 'heart', 1],
      ['amy', 'rose', 1],
    ]);
    expect(new Set(state.lines.map((line) => line.key)).size).toBe(4);
  });

  it('keeps the newest lines when it outgrows its bound', () => {
    let state = emptyGiftFeed;
    for (let i = 0; i < GIFT_FEED_LIMIT + 10; i++) state = addGift(state, gift({ at: i * (COMBO_WINDOW_MS + 1) }));
    expect(state.lines).toHaveLength(GIFT_FEED_LIMIT);
    expect(state.lines.at(-1)!.started_at).toBe(new Date(T0 + (GIFT_FEED_LIMIT + 9) * (COMBO_WINDOW_MS + 1)).toISOString());
  });
});
