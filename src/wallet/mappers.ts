/** Ledger entries to the wallet history and the anchor's earnings, as the wire shows them. */
import type { AccountEntry, EntryDetails, SubscriptionRow } from './repository.js';
import type { ActiveSubscription, EarningsEntry, WalletTransaction } from './schemas.js';

/** The rooms, anchors and recharge orders a page of history entries refers to, each once. */
export function entryReferences(entries: readonly AccountEntry[]): { roomIds: string[]; anchorIds: string[]; orderIds: string[] } {
  const distinct = (key: string) => [...new Set(entries.flatMap((entry) => pickStrings(entry.metadata, [key])[key] ?? []))];
  return { roomIds: distinct('room_id'), anchorIds: distinct('anchor_id'), orderIds: distinct('order_id') };
}

/** A history entry, with what it was for in words when `details` knows it (see entryReferences). */
export function mapTransaction(entry: AccountEntry, details: EntryDetails): WalletTransaction {
  // room_name: as it was when paid, unless the room is still there to say its current name.
  const tx: WalletTransaction = {
    id: entry.transferId,
    type: entry.type,
    amount: entry.amount,
    balance_after: entry.balanceAfter,
    created_at: new Date(entry.createdAt).toISOString(),
    ...pickStrings(entry.metadata, ['room_id', 'anchor_id', 'order_id', 'reason', 'room_name']),
  };
  const room = tx.room_id === undefined ? undefined : details.rooms.get(tx.room_id);
  const anchorName = tx.anchor_id === undefined ? undefined : details.userNames.get(tx.anchor_id);
  const order = tx.order_id === undefined ? undefined : details.orders.get(tx.order_id);
  return {
    ...tx,
    ...(room && { room_name: room.name }),
    ...(room?.title && { room_title: room.title }),
    ...(anchorName !== undefined && { anchor_name: anchorName }),
    ...(order && { price_amount: order.priceAmount, price_currency: order.priceCurrency, pay_currency: order.payCurrency }),
    ...(order?.payAmount && { pay_amount: order.payAmount }),
  };
}

export function mapActiveSubscription(row: SubscriptionRow): ActiveSubscription {
  return { anchor_id: row.anchorId, anchor_name: row.anchorName, expires_at: new Date(row.expiresAt).toISOString() };
}

export function mapEarningsEntry(entry: AccountEntry): EarningsEntry {
  return {
    id: entry.transferId,
    type: entry.type,
    amount: entry.amount,
    created_at: new Date(entry.createdAt).toISOString(),
    ...pickStrings(entry.metadata, ['room_id']),
    ...(typeof entry.metadata.payer_id === 'string' ? { from_uid: entry.metadata.payer_id } : {}),
  };
}

/** The transfer's metadata fields that are shown, when they are strings. */
function pickStrings(source: Record<string, unknown>, keys: string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const key of keys) {
    const value = source[key];
    if (typeof value === 'string') picked[key] = value;
  }
  return picked;
}
