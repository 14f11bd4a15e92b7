/** The only SQL of the payments feature. Rows are mapped to camelCase domain objects here. */
import { sql, type Kysely, type Selectable } from 'kysely';
import { isPostgres } from '../db/dialect.js';
import type { PaymentOrdersTable, PaymentUnmatchedTable } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { ACTIVE_STATUSES, CREATING } from './status.js';

export interface PaymentOrder {
  id: string;
  userId: string;
  provider: string;
  priceAmount: string;
  priceCurrency: string;
  payCurrency: string;
  coinNum: number;
  status: string;
  paymentId: string | null;
  payAddress: string | null;
  payAmount: string | null;
  actuallyPaid: string | null;
  coinsCredited: number;
  creditedAt: number | null;
  localExpiredAt: number | null;
  failureReason: string | null;
  checkAttempts: number;
  nextCheckAt: number;
  expiresAt: number;
  createdAt: number;
  updatedAt: number;
}

export interface UnmatchedPayment {
  id: number;
  paymentId: string;
  orderId: string | null;
  parentPaymentId: string | null;
  reason: string;
  status: string | null;
  payCurrency: string | null;
  actuallyPaid: string | null;
  firstSeenAt: number;
  lastSeenAt: number;
}

export type NewOrder = Pick<PaymentOrder, 'id' | 'userId' | 'provider' | 'priceAmount' | 'priceCurrency' | 'payCurrency' | 'coinNum' | 'expiresAt'> & {
  now: number;
};

export interface OrderUpdate {
  status?: string;
  actuallyPaid?: string | null;
  coinsCredited?: number;
  creditedAt?: number;
  localExpiredAt?: number | null;
}

export interface PaymentEvent {
  orderId: string | null;
  paymentId: string | null;
  status: string | null;
  source: 'ipn' | 'reconcile';
  outcome: string;
  payload: string;
  receivedAt: number;
}

export interface UnmatchedRecord {
  paymentId: string;
  orderId: string | null;
  parentPaymentId: string | null;
  reason: string;
  status: string;
  payCurrency: string | null;
  actuallyPaid: string | null;
  payload: string;
  now: number;
}

function toOrder(row: Selectable<PaymentOrdersTable>): PaymentOrder {
  return {
    id: row.id,
    userId: row.user_id,
    provider: row.provider,
    priceAmount: row.price_amount,
    priceCurrency: row.price_currency,
    payCurrency: row.pay_currency,
    coinNum: Number(row.coin_num),
    status: row.status,
    paymentId: row.payment_id,
    payAddress: row.pay_address,
    payAmount: row.pay_amount,
    actuallyPaid: row.actually_paid,
    coinsCredited: Number(row.coins_credited),
    creditedAt: row.credited_at === null ? null : Number(row.credited_at),
    localExpiredAt: row.local_expired_at === null ? null : Number(row.local_expired_at),
    failureReason: row.failure_reason,
    checkAttempts: Number(row.check_attempts),
    nextCheckAt: Number(row.next_check_at),
    expiresAt: Number(row.expires_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toUnmatched(row: Selectable<PaymentUnmatchedTable>): UnmatchedPayment {
  return {
    id: Number(row.id),
    paymentId: row.payment_id,
    orderId: row.order_id,
    parentPaymentId: row.parent_payment_id,
    reason: row.reason,
    status: row.status,
    payCurrency: row.pay_currency,
    actuallyPaid: row.actually_paid,
    firstSeenAt: Number(row.first_seen_at),
    lastSeenAt: Number(row.last_seen_at),
  };
}

export class PaymentsRepository {
  constructor(private readonly db: Executor) {}

  async insertOrder(order: NewOrder): Promise<void> {
    await this.db
      .insertInto('payment_orders')
      .values({
        id: order.id,
        user_id: order.userId,
        provider: order.provider,
        price_amount: order.priceAmount,
        price_currency: order.priceCurrency,
        pay_currency: order.payCurrency,
        coin_num: order.coinNum,
        status: CREATING,
        next_check_at: order.now,
        expires_at: order.expiresAt,
        created_at: order.now,
        updated_at: order.now,
      })
      .execute();
  }

  /**
   * Inside a transaction: makes this user's concurrent order creations take turns until commit, so
   * counting their open orders and inserting one is atomic. PostgreSQL gets a transaction-scoped
   * advisory lock keyed by the user; SQLite runs one write transaction at a time already.
   */
  async lockUserOrders(userId: string): Promise<void> {
    if (!isPostgres(this.db as unknown as Kysely<unknown>)) return;
    await sql`select pg_advisory_xact_lock(hashtextextended(${`payment_orders:${userId}`}, 0))`.execute(this.db);
  }

  async countOpenOrders(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('payment_orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('status', 'in', ACTIVE_STATUSES)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async recordCreatedPayment(
    orderId: string,
    payment: { paymentId: string; status: string; payAddress: string; payAmount: string; payCurrency: string },
    nextCheckAt: number,
    now: number,
  ): Promise<void> {
    await this.db
      .updateTable('payment_orders')
      .set({
        payment_id: payment.paymentId,
        status: payment.status,
        pay_address: payment.payAddress,
        pay_amount: payment.payAmount,
        pay_currency: payment.payCurrency,
        next_check_at: nextCheckAt,
        updated_at: now,
      })
      .where('id', '=', orderId)
      .where('status', '=', CREATING)
      .execute();
  }

  async markFailed(orderId: string, reason: string, now: number): Promise<void> {
    await this.db
      .updateTable('payment_orders')
      .set({ status: 'failed', failure_reason: reason, updated_at: now })
      .where('id', '=', orderId)
      .execute();
  }

  async findOrder(orderId: string): Promise<PaymentOrder | undefined> {
    const row = await this.db.selectFrom('payment_orders').selectAll().where('id', '=', orderId).executeTakeFirst();
    return row && toOrder(row);
  }

  /** Reads the order inside a transaction, row-locked on PostgreSQL so concurrent callbacks queue up. */
  async lockOrder(where: { orderId: string } | { paymentId: string }): Promise<PaymentOrder | undefined> {
    let query = this.db.selectFrom('payment_orders').selectAll();
    query = 'orderId' in where ? query.where('id', '=', where.orderId) : query.where('payment_id', '=', where.paymentId);
    // SQLite has no FOR UPDATE; its writers are serialised by the single connection anyway.
    if (isPostgres(this.db as unknown as Kysely<unknown>)) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row && toOrder(row);
  }

  async updateOrder(orderId: string, update: OrderUpdate, now: number): Promise<void> {
    await this.db
      .updateTable('payment_orders')
      .set({
        ...(update.status !== undefined ? { status: update.status } : {}),
        ...(update.actuallyPaid !== undefined ? { actually_paid: update.actuallyPaid } : {}),
        ...(update.coinsCredited !== undefined ? { coins_credited: update.coinsCredited } : {}),
        ...(update.creditedAt !== undefined ? { credited_at: update.creditedAt } : {}),
        ...(update.localExpiredAt !== undefined ? { local_expired_at: update.localExpiredAt } : {}),
        updated_at: now,
      })
      .where('id', '=', orderId)
      .execute();
  }

  async insertEvent(event: PaymentEvent): Promise<number> {
    const row = await this.db
      .insertInto('payment_events')
      .values({
        order_id: event.orderId,
        payment_id: event.paymentId,
        status: event.status,
        source: event.source,
        outcome: event.outcome,
        payload: event.payload,
        received_at: event.receivedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async setEventOutcome(eventId: number, orderId: string | null, outcome: string): Promise<void> {
    await this.db.updateTable('payment_events').set({ order_id: orderId, outcome }).where('id', '=', eventId).execute();
  }

  async deleteEvent(eventId: number): Promise<void> {
    await this.db.deleteFrom('payment_events').where('id', '=', eventId).execute();
  }

  /** One row per provider payment; repeated callbacks refresh its latest status. */
  async upsertUnmatched(record: UnmatchedRecord): Promise<void> {
    await this.db
      .insertInto('payment_unmatched')
      .values({
        payment_id: record.paymentId,
        order_id: record.orderId,
        parent_payment_id: record.parentPaymentId,
        reason: record.reason,
        status: record.status,
        pay_currency: record.payCurrency,
        actually_paid: record.actuallyPaid,
        payload: record.payload,
        first_seen_at: record.now,
        last_seen_at: record.now,
      })
      .onConflict((oc) =>
        oc.column('payment_id').doUpdateSet({
          status: record.status,
          actually_paid: record.actuallyPaid,
          payload: record.payload,
          last_seen_at: record.now,
        }),
      )
      .execute();
  }

  async listOrdersForUser(userId: string, limit: number): Promise<PaymentOrder[]> {
    const rows = await this.db
      .selectFrom('payment_orders')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toOrder);
  }

  /**
   * Every order for the operator console, newest first, filtered by status and user; `before` pages
   * on (created_at, id), so orders arriving meanwhile neither repeat nor skip a row.
   */
  async listOrdersForOperator(filter: { status?: string; userId?: string; before?: { createdAt: number; id: string }; limit: number }): Promise<PaymentOrder[]> {
    let query = this.db.selectFrom('payment_orders').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit);
    if (filter.before) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(filter.before!.createdAt, filter.before!.id)));
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.userId) query = query.where('user_id', '=', filter.userId);
    return (await query.execute()).map(toOrder);
  }

  /** The newest provider event (IPN or status check) of each order. */
  async latestEvents(orderIds: string[]): Promise<Map<string, { status: string | null; source: string; outcome: string; payload: string; receivedAt: number }>> {
    const latest = new Map<string, { status: string | null; source: string; outcome: string; payload: string; receivedAt: number }>();
    if (orderIds.length === 0) return latest;
    const rows = await this.db
      .selectFrom('payment_events')
      .select(['order_id', 'status', 'source', 'outcome', 'payload', 'received_at'])
      .where('order_id', 'in', orderIds)
      .orderBy('id', 'desc')
      .execute();
    for (const row of rows) {
      if (row.order_id !== null && !latest.has(row.order_id)) {
        latest.set(row.order_id, { status: row.status, source: row.source, outcome: row.outcome, payload: row.payload, receivedAt: Number(row.received_at) });
      }
    }
    return latest;
  }

  async listUnmatched(): Promise<UnmatchedPayment[]> {
    const rows = await this.db.selectFrom('payment_unmatched').selectAll().orderBy('id', 'asc').execute();
    return rows.map(toUnmatched);
  }

  async listUncreditedPartialOrders(): Promise<PaymentOrder[]> {
    const rows = await this.db
      .selectFrom('payment_orders')
      .selectAll()
      .where('status', '=', 'partially_paid')
      .where('coins_credited', '=', 0)
      .orderBy('created_at', 'asc')
      .execute();
    return rows.map(toOrder);
  }

  /** Orders whose create call never finished (the process died meanwhile): the user never saw an address. */
  async failInterruptedCreates(createdBefore: number, now: number): Promise<number> {
    const result = await this.db
      .updateTable('payment_orders')
      .set({ status: 'failed', failure_reason: 'interrupted', updated_at: now })
      .where('status', '=', CREATING)
      .where('created_at', '<=', createdBefore)
      .execute();
    return result.reduce((sum, r) => sum + Number(r.numUpdatedRows), 0);
  }

  /** Orders whose payment never started within the TTL: expired locally (a later payment still counts). */
  async expireUnpaid(now: number): Promise<number> {
    const result = await this.db
      .updateTable('payment_orders')
      .set({ status: 'expired', local_expired_at: now, updated_at: now })
      .where('status', '=', 'waiting')
      .where('expires_at', '<=', now)
      .execute();
    return result.reduce((sum, r) => sum + Number(r.numUpdatedRows), 0);
  }

  /**
   * Orders to ask the provider about: not final, older than `createdBefore`, due by their backoff;
   * locally expired ones too while the provider may still accept money for them.
   */
  async dueForCheck(now: number, createdBefore: number, pollExpiredSince: number, limit: number): Promise<PaymentOrder[]> {
    const rows = await this.db
      .selectFrom('payment_orders')
      .selectAll()
      .where('payment_id', 'is not', null)
      .where('created_at', '<=', createdBefore)
      .where('next_check_at', '<=', now)
      .where((eb) =>
        eb.or([
          eb('status', 'in', ACTIVE_STATUSES),
          eb.and([eb('local_expired_at', 'is not', null), eb('created_at', '>=', pollExpiredSince)]),
        ]),
      )
      .orderBy('next_check_at', 'asc')
      .limit(limit)
      .execute();
    return rows.map(toOrder);
  }

  async scheduleCheck(orderId: string, attempts: number, nextCheckAt: number): Promise<void> {
    await this.db
      .updateTable('payment_orders')
      .set({ check_attempts: attempts, next_check_at: nextCheckAt })
      .where('id', '=', orderId)
      .execute();
  }
}
