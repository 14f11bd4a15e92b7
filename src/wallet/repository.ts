/**
 * SQL for what diamonds buy (room unlocks, subscriptions, prices), idempotency records and the
 * wallet/earnings history. Balances themselves change only through ledger.ts.
 */
import { sql } from 'kysely';
import type { Executor } from '../db/transaction.js';

export interface PricedRoom {
  id: string;
  anchorId: string;
  roomName: string;
  roomType: number;
  price: number;
  /** Archived rooms take no new payments. */
  archived: boolean;
}

export interface AccountEntry {
  transferId: string;
  type: string;
  amount: number;
  balanceAfter: number;
  createdAt: number;
  metadata: Record<string, unknown>;
}

/** What a history entry was for, in words: names of rooms and anchors, the money of recharges. */
export interface EntryDetails {
  rooms: Map<string, { name: string; title: string }>;
  userNames: Map<string, string>;
  orders: Map<string, { priceAmount: string; priceCurrency: string; payAmount: string | null; payCurrency: string }>;
}

export interface SubscriptionRow {
  anchorId: string;
  anchorName: string;
  expiresAt: number;
}

export interface SupporterRow {
  userId: string;
  username: string;
  diamonds: number;
}

export interface StoredIdempotencyRecord {
  request: string;
  response: string | null;
}

export class WalletRepository {
  constructor(private readonly db: Executor) {}

  async findRoom(roomId: string): Promise<PricedRoom | undefined> {
    const row = await this.db
      .selectFrom('rooms')
      .select(['id', 'anchor_id', 'room_name', 'room_type', 'coin_num', 'archived_at'])
      .where('id', '=', roomId)
      .executeTakeFirst();
    return row ? mapPricedRoom(row) : undefined;
  }

  /** The room, and whether `userId` already unlocked it: one read for the payment's first step. */
  async findRoomForBuyer(roomId: string, userId: string): Promise<(PricedRoom & { unlocked: boolean }) | undefined> {
    const row = await this.db
      .selectFrom('rooms as r')
      .leftJoin('room_access as a', (join) => join.onRef('a.room_id', '=', 'r.id').on('a.user_id', '=', userId))
      .select(['r.id', 'r.anchor_id', 'r.room_name', 'r.room_type', 'r.coin_num', 'r.archived_at', 'a.room_id as unlocked_room_id'])
      .where('r.id', '=', roomId)
      .executeTakeFirst();
    return row ? { ...mapPricedRoom(row), unlocked: row.unlocked_room_id !== null } : undefined;
  }

  async isAnchor(userId: string): Promise<boolean> {
    const row = await this.db.selectFrom('users').select('is_anchor').where('id', '=', userId).executeTakeFirst();
    return row?.is_anchor === 1;
  }

  async userExists(userId: string): Promise<boolean> {
    const row = await this.db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
    return row !== undefined;
  }

  async hasRoomAccess(userId: string, roomId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('room_access')
      .select('room_id')
      .where('user_id', '=', userId)
      .where('room_id', '=', roomId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** An unlock of the room, or any payment counted for it (gifts, subscriptions bought there). */
  async hasPaidInto(userId: string, roomId: string): Promise<boolean> {
    if (await this.hasRoomAccess(userId, roomId)) return true;
    const row = await this.db
      .selectFrom('room_support')
      .select('room_id')
      .where('room_id', '=', roomId)
      .where('user_id', '=', userId)
      .where('diamonds', '>', 0)
      .executeTakeFirst();
    return row !== undefined;
  }

  async insertRoomAccess(row: { userId: string; roomId: string; transferId: string; amount: number; now: number }): Promise<void> {
    await this.db
      .insertInto('room_access')
      .values({ user_id: row.userId, room_id: row.roomId, transfer_id: row.transferId, amount: row.amount, created_at: row.now })
      .onConflict((oc) => oc.columns(['user_id', 'room_id']).doNothing())
      .execute();
  }

  async subscriptionExpiry(userId: string, anchorId: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('subscriptions')
      .select('expires_at')
      .where('user_id', '=', userId)
      .where('anchor_id', '=', anchorId)
      .executeTakeFirst();
    return row ? Number(row.expires_at) : undefined;
  }

  /**
   * Adds one period: from the current expiry while it is still running, else from now. Computed in
   * the UPDATE itself so two concurrent renewals both count (no read-modify-write race).
   */
  async extendSubscription(userId: string, anchorId: string, periodMs: number, now: number): Promise<number> {
    const row = await this.db
      .insertInto('subscriptions')
      .values({ user_id: userId, anchor_id: anchorId, expires_at: now + periodMs, created_at: now, updated_at: now })
      .onConflict((oc) =>
        oc.columns(['user_id', 'anchor_id']).doUpdateSet({
          expires_at: sql<number>`case when subscriptions.expires_at > ${now} then subscriptions.expires_at + ${periodMs} else ${now + periodMs} end`,
          updated_at: now,
        }),
      )
      .returning('expires_at')
      .executeTakeFirstOrThrow();
    return Number(row.expires_at);
  }

  async countActiveSubscribers(anchorId: string, now: number): Promise<number> {
    const row = await this.db
      .selectFrom('subscriptions')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('anchor_id', '=', anchorId)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  async subscriptionPrice(anchorId: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('subscription_plans').select('price').where('anchor_id', '=', anchorId).executeTakeFirst();
    return row ? Number(row.price) : undefined;
  }

  async setSubscriptionPrice(anchorId: string, price: number, now: number): Promise<void> {
    await this.db
      .insertInto('subscription_plans')
      .values({ anchor_id: anchorId, price, updated_at: now })
      .onConflict((oc) => oc.column('anchor_id').doUpdateSet({ price, updated_at: now }))
      .execute();
  }

  /**
   * Claims a client idempotency key. On PostgreSQL a concurrent claim of the same key waits here
   * until the first transaction ends, so the loser sees the winner's stored answer.
   */
  /** Adds to what the viewer spent in the room on `day`; concurrent payments of one viewer both count. */
  async addRoomSupport(roomId: string, userId: string, day: number, diamonds: number): Promise<void> {
    await this.db
      .insertInto('room_support')
      .values({ room_id: roomId, user_id: userId, day, diamonds })
      .onConflict((oc) => oc.columns(['room_id', 'day', 'user_id']).doUpdateSet({ diamonds: sql<number>`room_support.diamonds + ${diamonds}` }))
      .execute();
  }

  /** The room's biggest supporters from `fromDay` on (all time when null), most diamonds first. */
  async topSupporters(roomId: string, fromDay: number | null, limit: number): Promise<SupporterRow[]> {
    let query = this.db
      .selectFrom('room_support as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['s.user_id', 'u.username', (eb) => eb.fn.sum<number>('s.diamonds').as('total')])
      .where('s.room_id', '=', roomId);
    if (fromDay !== null) query = query.where('s.day', '>=', fromDay);
    const rows = await query
      .groupBy(['s.user_id', 'u.username'])
      .orderBy('total', 'desc')
      .orderBy('s.user_id')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ userId: row.user_id, username: row.username, diamonds: Number(row.total) }));
  }

  async claimIdempotencyKey(userId: string, key: string, request: string, now: number): Promise<boolean> {
    const inserted = await this.db
      .insertInto('idempotency_records')
      .values({ user_id: userId, idempotency_key: key, request, response: null, created_at: now })
      .onConflict((oc) => oc.columns(['user_id', 'idempotency_key']).doNothing())
      .returning('idempotency_key')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  async findIdempotencyRecord(userId: string, key: string): Promise<StoredIdempotencyRecord | undefined> {
    return this.db
      .selectFrom('idempotency_records')
      .select(['request', 'response'])
      .where('user_id', '=', userId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
  }

  async storeIdempotentResponse(userId: string, key: string, response: string): Promise<void> {
    await this.db
      .updateTable('idempotency_records')
      .set({ response })
      .where('user_id', '=', userId)
      .where('idempotency_key', '=', key)
      .execute();
  }

  /** Forgets idempotency keys claimed before `cutoff`; returns how many. */
  async deleteIdempotencyRecordsBefore(cutoff: number): Promise<number> {
    const result = await this.db.deleteFrom('idempotency_records').where('created_at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Entries of one ledger account, newest first, paging by transfer id (ids sort by time). */
  async accountEntries(account: string, options: { before?: string; limit: number }): Promise<AccountEntry[]> {
    let query = this.db
      .selectFrom('ledger_entries as e')
      .innerJoin('ledger_transfers as t', 't.id', 'e.transfer_id')
      .select(['e.transfer_id', 't.type', 't.metadata', 'e.amount', 'e.balance_after', 'e.created_at'])
      .where('e.account_id', '=', account)
      .orderBy('e.transfer_id', 'desc')
      .limit(options.limit);
    if (options.before) query = query.where('e.transfer_id', '<', options.before);
    const rows = await query.execute();
    return rows.map((row) => ({
      transferId: row.transfer_id,
      type: row.type,
      amount: Number(row.amount),
      balanceAfter: Number(row.balance_after),
      createdAt: Number(row.created_at),
      metadata: parseMetadata(row.metadata),
    }));
  }

  /** An account's entries created in [from, to), oldest first, at most `limit` of them. */
  async accountEntriesBetween(account: string, from: number, to: number, limit: number): Promise<AccountEntry[]> {
    const rows = await this.db
      .selectFrom('ledger_entries as e')
      .innerJoin('ledger_transfers as t', 't.id', 'e.transfer_id')
      .select(['e.transfer_id', 't.type', 't.metadata', 'e.amount', 'e.balance_after', 'e.created_at'])
      .where('e.account_id', '=', account)
      .where('e.created_at', '>=', from)
      .where('e.created_at', '<', to)
      .orderBy('e.transfer_id')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      transferId: row.transfer_id,
      type: row.type,
      amount: Number(row.amount),
      balanceAfter: Number(row.balance_after),
      createdAt: Number(row.created_at),
      metadata: parseMetadata(row.metadata),
    }));
  }

  /** Names and amounts for a page of history entries, in three lookups whatever the page size. */
  async entryDetails(roomIds: string[], userIds: string[], orderIds: string[]): Promise<EntryDetails> {
    const [rooms, users, orders] = await Promise.all([
      roomIds.length ? this.db.selectFrom('rooms').select(['id', 'room_name', 'title']).where('id', 'in', roomIds).execute() : [],
      userIds.length ? this.db.selectFrom('users').select(['id', 'username']).where('id', 'in', userIds).execute() : [],
      orderIds.length
        ? this.db
            .selectFrom('payment_orders')
            .select(['id', 'price_amount', 'price_currency', 'pay_amount', 'pay_currency'])
            .where('id', 'in', orderIds)
            .execute()
        : [],
    ]);
    return {
      rooms: new Map(rooms.map((row) => [row.id, { name: row.room_name, title: row.title }])),
      userNames: new Map(users.map((row) => [row.id, row.username])),
      orders: new Map(
        orders.map((row) => [
          row.id,
          { priceAmount: row.price_amount, priceCurrency: row.price_currency, payAmount: row.pay_amount, payCurrency: row.pay_currency },
        ]),
      ),
    };
  }

  /** The user's subscriptions that have not run out, soonest expiry first. */
  async activeSubscriptions(userId: string, now: number): Promise<SubscriptionRow[]> {
    const rows = await this.db
      .selectFrom('subscriptions as s')
      .innerJoin('users as u', 'u.id', 's.anchor_id')
      .select(['s.anchor_id', 'u.username', 's.expires_at'])
      .where('s.user_id', '=', userId)
      .where('s.expires_at', '>', now)
      .orderBy('s.expires_at')
      .execute();
    return rows.map((row) => ({ anchorId: row.anchor_id, anchorName: row.username, expiresAt: Number(row.expires_at) }));
  }

  /** Sum of an account's entries per transfer type, e.g. earnings by vip_room / subscription. */
  async totalsByType(account: string): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('ledger_entries as e')
      .innerJoin('ledger_transfers as t', 't.id', 'e.transfer_id')
      .select(['t.type', (eb) => eb.fn.sum<number>('e.amount').as('total')])
      .where('e.account_id', '=', account)
      .groupBy('t.type')
      .execute();
    return new Map(rows.map((row) => [row.type, Number(row.total)]));
  }
}

function parseMetadata(raw: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function mapPricedRoom(row: {
  id: string;
  anchor_id: string;
  room_name: string;
  room_type: number;
  coin_num: number;
  archived_at: number | null;
}): PricedRoom {
  return {
    id: row.id,
    anchorId: row.anchor_id,
    roomName: row.room_name,
    roomType: Number(row.room_type),
    price: Number(row.coin_num),
    archived: row.archived_at !== null,
  };
}
