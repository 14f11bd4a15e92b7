/**
 * The gifts a room's chat shows. A viewer sending the same gift again within a few seconds extends
 * their last line into a combo (×N) instead of adding lines, so a burst of gifts cannot push the
 * conversation out of view. Bounded like the chat itself.
 */
import type { components } from '../../../shared/api/schema.gen.ts';

export type GiftEvent = components['schemas']['GiftEvent'];

/** Sends of one gift by one viewer this close together make one combo. */
export const COMBO_WINDOW_MS = 5_000;
export const GIFT_FEED_LIMIT = 50;

export interface GiftLine {
  /** Stable across combo updates, for list keys. */
  key: string;
  uid: string;
  username: string;
  gift_id: string;
  /** Gifts in this line, all sends together. */
  count: number;
  /** How many sends this line combines (the ×N a viewer sees counts gifts, this counts sends). */
  sends: number;
  diamonds: number;
  /** When the line started (its place in the chat) and when it last grew (server times, ISO). */
  started_at: string;
  updated_at: string;
}

export interface GiftFeedState {
  readonly lines: readonly GiftLine[];
}

export const emptyGiftFeed: GiftFeedState = { lines: [] };

export function addGift(state: GiftFeedState, gift: GiftEvent): GiftFeedState {
  const at = Date.parse(gift.send_date);
  const lines = state.lines;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (at - Date.parse(line.updated_at) > COMBO_WINDOW_MS) break;
    if (line.uid === gift.uid && line.gift_id === gift.gift_id) {
      const grown: GiftLine = {
        ...line,
        count: line.count + gift.count,
        sends: line.sends + 1,
        diamonds: line.diamonds + gift.diamonds,
        updated_at: gift.send_date,
      };
      const next = lines.slice();
      next[i] = grown;
      return { lines: next };
    }
  }
  const line: GiftLine = {
    key: `${gift.uid}:${gift.gift_id}:${gift.send_date}:${lines.length}`,
    uid: gift.uid,
    username: gift.username,
    gift_id: gift.gift_id,
    count: gift.count,
    sends: 1,
    diamonds: gift.diamonds,
    started_at: gift.send_date,
    updated_at: gift.send_date,
  };
  const next = [...lines, line];
  return { lines: next.length > GIFT_FEED_LIMIT ? next.slice(next.length - GIFT_FEED_LIMIT) : next };
}
