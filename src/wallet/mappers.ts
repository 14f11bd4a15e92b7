/** Ledger entries to the wallet history and the anchor's earnings, as the wire shows them. */
import type { AccountEntry } from './repository.js';
import type { EarningsEntry, WalletTransaction } from './schemas.js';

export function mapTransaction(entry: AccountEntry): WalletTransaction {
  return {
    id: entry.transferId,
    type: entry.type,
    amount: entry.amount,
    balance_after: entry.balanceAfter,
    created_at: new Date(entry.createdAt).toISOString(),
    ...pickStrings(entry.metadata, ['room_id', 'anchor_id', 'order_id', 'reason']),
  };
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
