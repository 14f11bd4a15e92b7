/**
 * The dashboard's latest payments into one room: the earnings already recorded when the page
 * opened, then each `room_payment` frame as it arrives. Both carry the ledger transfer id, so a
 * payment seen both ways (it landed while the page was loading) is listed once.
 */
import type { components } from '../../../shared/api/schema.gen.ts';

type RoomPaymentFrame = components['schemas']['RoomPayment'];
type EarningsLine = components['schemas']['EarningsLine'];

export interface RoomPaymentItem {
  id: string;
  type: string;
  /** The payer's name; missing for old entries whose payer is unknown. */
  username?: string;
  /** Diamonds the anchor received. */
  earned: number;
  giftId?: string;
  count?: number;
  createdAt: string;
}

export const MAX_PAYMENTS_SHOWN = 30;

export function fromFrame(payment: RoomPaymentFrame): RoomPaymentItem {
  return {
    id: payment.id,
    type: payment.type,
    username: payment.username,
    earned: payment.earned,
    giftId: payment.gift_id,
    count: payment.count,
    createdAt: payment.created_at,
  };
}

/** The room's payments among the anchor's recent earnings. */
export function fromEarnings(lines: readonly EarningsLine[], roomId: string): RoomPaymentItem[] {
  return lines
    .filter((line) => line.room_id === roomId && line.amount > 0)
    .map((line) => ({
      id: line.id,
      type: line.type,
      username: line.from_name,
      earned: line.amount,
      giftId: line.gift_id,
      count: line.count,
      createdAt: line.created_at,
    }));
}

/** Newest first, each transfer once, at most MAX_PAYMENTS_SHOWN. */
export function mergePayments(current: readonly RoomPaymentItem[], incoming: readonly RoomPaymentItem[]): RoomPaymentItem[] {
  const byId = new Map(current.map((item) => [item.id, item]));
  for (const item of incoming) byId.set(item.id, item);
  const newestFirst = (a: RoomPaymentItem, b: RoomPaymentItem) =>
    Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
  return [...byId.values()].sort(newestFirst).slice(0, MAX_PAYMENTS_SHOWN);
}
