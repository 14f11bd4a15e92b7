/**
 * The operator console's domain: what operators look at, and the actions they take. Every action
 * runs through `act`, which checks the password was entered recently when the action is sensitive,
 * does the work of the feature that owns the data inside one transaction, and appends the audit
 * entry (who, when, what, why, before and after) in that same transaction: an action cannot
 * commit without its entry. Events and cache drops go out after the commit.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AccountsService, SessionUser } from '../accounts/index.js';
import type { ChatService } from '../chat/index.js';
import { newSortableId } from '../db/ids.js';
import type { Database } from '../db/schema.js';
import { transactional, type Executor, type TransactionRunner } from '../db/transaction.js';
import { badRequest, conflict, notFound, tooManyRequests } from '../http/errors.js';
import { consume, type RateLimiter } from '../infra/rate-limiter.js';
import type { RoomsService } from '../rooms/index.js';
import type { PaymentOrder, PaymentsService } from '../payments/index.js';
import { adjustDiamondsWithin, dailyMoneySummary, verifyLedger, walletBalance, type WalletService } from '../wallet/index.js';
import { OperatorRepository, type AuditRow } from './repository.js';
import type { AdminOrder, AdminRoom, AuditEntry, ReportGroup, RoomReview, UserDetail, UserSummary } from './schemas.js';

/** Every action the console can take. Each leaves an audit entry under this name. */
export const OPERATOR_ACTIONS = [
  'user.ban',
  'user.unban',
  'user.adjust_balance',
  'room.take_down',
  'room.restore',
  'room.remove_line',
  'room.remove_user_message',
  'report.resolve',
  'report.dismiss',
  'payment.credit_partial',
  'ledger.verify',
] as const;
export type OperatorAction = (typeof OPERATOR_ACTIONS)[number];

/** Actions that need the password entered within OPERATOR_REAUTH_MINUTES. */
export const SENSITIVE_ACTIONS: ReadonlySet<OperatorAction> = new Set([
  'user.ban',
  'user.unban',
  'user.adjust_balance',
  'room.take_down',
  'room.restore',
  'payment.credit_partial',
]);

/** An anchor's rooms on the person page; anchors have a handful. */
const USER_ROOMS_LIMIT = 200;
const PAGE_LIMIT = 100;
const USER_SEARCH_LIMIT = 50;
const REVIEW_LIMIT = 100;
const REPORT_QUEUE_LIMIT = 200;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface OperatorServiceDeps {
  rateLimiter: RateLimiter;
  /** Reports one viewer may file per window, besides once per target and day. */
  reportLimit: { max: number; windowSeconds: number };
  accounts: AccountsService;
  payments: PaymentsService;
  rooms: RoomsService;
  chat: ChatService;
  wallet: WalletService;
  clock?: () => number;
}

/** What an action's work reports: the values it changed, and what to do once committed. */
interface ActionOutcome<T> {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  result?: T;
  afterCommit?: () => void | Promise<void>;
}

const repositories = (executor: Executor) => ({ operator: new OperatorRepository(executor) });

export class OperatorService {
  private readonly repo: OperatorRepository;
  private readonly inTransaction: TransactionRunner<ReturnType<typeof repositories>>;
  private readonly clock: () => number;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly deps: OperatorServiceDeps,
  ) {
    this.repo = new OperatorRepository(db);
    this.inTransaction = transactional(db, repositories);
    this.clock = deps.clock ?? Date.now;
  }

  private async act<T>(
    operator: SessionUser,
    action: OperatorAction,
    target: { type: string; id: string },
    reason: string,
    work: (trx: Transaction<Database>, now: number) => Promise<ActionOutcome<T>>,
  ): Promise<{ auditId: string; result: T | undefined }> {
    if (SENSITIVE_ACTIONS.has(action)) await this.deps.accounts.assertRecentReauth(operator);
    const why = reason.trim();
    if (!why) throw badRequest('reason_required', 'Every operator action needs a reason');
    const now = this.clock();
    const auditId = newSortableId(now);
    const outcome = await this.inTransaction(async ({ operator: audit, trx }) => {
      const done = await work(trx, now);
      await audit.appendAudit({
        id: auditId,
        operator_id: operator.id,
        operator_name: operator.username,
        action,
        target_type: target.type,
        target_id: target.id,
        reason: why,
        before: JSON.stringify(done.before),
        after: JSON.stringify(done.after),
        created_at: now,
      });
      return done;
    });
    await outcome.afterCommit?.();
    return { auditId, result: outcome.result };
  }

  // ---- people --------------------------------------------------------------------------------

  async searchUsers(query: string): Promise<UserSummary[]> {
    return (await this.deps.accounts.searchUsers(query, USER_SEARCH_LIMIT)).map(mapUserSummary);
  }

  async userDetail(userId: string): Promise<UserDetail> {
    const { row, sessions, tokens } = await this.deps.accounts.accountDetail(userId);
    const [coins, history, rooms] = await Promise.all([
      walletBalance(this.db, userId),
      this.deps.wallet.transactions(userId, undefined, 50),
      this.repo.listRooms({ status: 'all', limit: USER_ROOMS_LIMIT, anchorId: userId }),
    ]);
    const now = this.clock();
    return {
      user: mapUserSummary(row),
      coin_num: coins,
      transactions: history.transactions,
      rooms: rooms.map((room) => ({
        room_id: room.id,
        room_name: room.room_name,
        live_status: room.taken_down_at === null && this.deps.rooms.isLive(room, now),
        taken_down: room.taken_down_at !== null,
      })),
      sessions: sessions.map((session) => ({
        created_at: iso(session.created_at),
        expires_at: iso(session.expires_at),
        operator: session.operator === 1,
      })),
      tokens: tokens.map((token) => ({
        id: token.id,
        name: token.name,
        created_at: iso(token.created_at),
        last_used_at: token.last_used_at === null ? null : iso(token.last_used_at),
      })),
    };
  }

  async ban(operator: SessionUser, userId: string, reason: string) {
    if (userId === operator.id) throw badRequest('cannot_ban_self', 'Operators cannot ban themselves');
    return this.act(operator, 'user.ban', { type: 'user', id: userId }, reason, (trx, now) =>
      this.deps.accounts.banWithin(trx, userId, reason.trim(), now),
    );
  }

  async unban(operator: SessionUser, userId: string, reason: string) {
    return this.act(operator, 'user.unban', { type: 'user', id: userId }, reason, (trx) => this.deps.accounts.unbanWithin(trx, userId));
  }

  async adjustBalance(operator: SessionUser, userId: string, amount: number, reason: string) {
    const adjusted = await this.act(operator, 'user.adjust_balance', { type: 'user', id: userId }, reason, async (trx, now) => {
      const done = await adjustDiamondsWithin(trx, { userId, amount, reason, now, operatorId: operator.id });
      return {
        before: { coin_num: done.balance_before },
        after: { coin_num: done.coin_num, amount, transfer_id: done.transfer_id },
        result: { coin_num: done.coin_num, transfer_id: done.transfer_id },
      };
    });
    await this.deps.wallet.balanceChanged(userId);
    return adjusted;
  }

  // ---- rooms ---------------------------------------------------------------------------------

  async listRooms(filter: { q?: string; status?: 'all' | 'live' | 'taken_down' | 'reported'; cursor?: string; limit?: number }) {
    const limit = filter.limit ?? PAGE_LIMIT;
    const rows = await this.repo.listRooms({ q: filter.q, status: filter.status ?? 'all', before: parseCursor(filter.cursor), limit: limit + 1 });
    return { rooms: rows.slice(0, limit).map((row) => this.mapRoom(row)), next_cursor: nextCursor(rows, limit, (row) => [row.created_at, row.id]) };
  }

  async reviewRoom(roomId: string): Promise<RoomReview> {
    const [row] = await this.repo.listRooms({ status: 'all', roomId, limit: 1 });
    if (!row) throw notFound('room_not_found', 'Room not found');
    return { room: this.mapRoom(row), ...(await this.deps.chat.reviewRoom(roomId, REVIEW_LIMIT)) };
  }

  async takeDown(operator: SessionUser, roomId: string, reason: string) {
    return this.act(operator, 'room.take_down', { type: 'room', id: roomId }, reason, (trx, now) =>
      this.deps.rooms.takeDownWithin(trx, roomId, reason.trim(), now),
    );
  }

  async restore(operator: SessionUser, roomId: string, reason: string) {
    return this.act(operator, 'room.restore', { type: 'room', id: roomId }, reason, (trx) => this.deps.rooms.restoreWithin(trx, roomId));
  }

  async removeLine(operator: SessionUser, roomId: string, floor: number, reason: string) {
    return this.act(operator, 'room.remove_line', { type: 'live_message', id: `${roomId}:${floor}` }, reason, (trx, now) =>
      this.deps.chat.removeLiveLineWithin(trx, roomId, floor, now),
    );
  }

  async removeUserMessage(operator: SessionUser, roomId: string, id: number, reason: string) {
    return this.act(operator, 'room.remove_user_message', { type: 'user_message', id: `${roomId}:${id}` }, reason, (trx, now) =>
      this.deps.chat.removeUserMessageWithin(trx, roomId, id, now),
    );
  }

  // ---- reports -------------------------------------------------------------------------------

  /**
   * A viewer reports a room, a transcript line or a viewer message: once per target and day, and
   * at most REPORT_MAX_PER_WINDOW reports per window whatever the targets.
   */
  async fileReport(user: SessionUser, report: ReportInput): Promise<string> {
    const target = reportTarget(report);
    const limit = await consume(this.deps.rateLimiter, `report:${user.id}`, this.deps.reportLimit.max, this.deps.reportLimit.windowSeconds);
    if (!limit.allowed) throw tooManyRequests('Too many reports, try again later', limit.retryAfterSeconds);
    await this.deps.rooms.getRoom(report.room_id);
    if (report.target === 'live_message' && !(await this.repo.lineText(report.room_id, report.floor ?? -1))) {
      throw notFound('message_not_found', 'No such transcript line in this room');
    }
    if (report.target === 'user_message' && !(await this.repo.userMessageText(report.room_id, report.message_id ?? -1))) {
      throw notFound('message_not_found', 'No such viewer message in this room');
    }
    const now = this.clock();
    const id = newSortableId(now);
    const filed = await this.repo.insertReport({
      id,
      reporter_id: user.id,
      room_id: report.room_id,
      target,
      reason: report.reason,
      details: report.details?.trim() ?? '',
      day: Math.floor(now / DAY_MS),
      created_at: now,
    });
    if (!filed) throw conflict('already_reported', 'You already reported this today; the operators have it');
    return id;
  }

  /** Open reports grouped by target, the most reported first, with what the target says. */
  async reportQueue(): Promise<ReportGroup[]> {
    const groups = await this.repo.openReportGroups(REPORT_QUEUE_LIMIT);
    return Promise.all(
      groups.map(async (group) => {
        const reports = await this.repo.openReportsOf(group.room_id, group.target);
        return {
          room_id: group.room_id,
          room_name: group.room_name,
          target: group.target,
          excerpt: await this.excerpt(group.room_id, group.target),
          count: Number(group.count),
          reasons: [...new Set(reports.map((r) => r.reason))],
          details: reports.map((r) => r.details).filter((text) => text !== '').slice(0, 5),
          first_at: iso(group.first_at),
          last_at: iso(group.last_at),
        };
      }),
    );
  }

  async decideReports(operator: SessionUser, roomId: string, target: string, outcome: 'resolved' | 'dismissed', reason: string) {
    const action = outcome === 'resolved' ? 'report.resolve' : 'report.dismiss';
    return this.act(operator, action, { type: 'report', id: `${roomId}:${target}` }, reason, async (trx, now) => {
      const closed = await new OperatorRepository(trx).closeReports(roomId, target, outcome, now);
      if (closed === 0) throw notFound('reports_not_found', 'No open reports on this target');
      return { before: { status: 'open', open_reports: closed }, after: { status: outcome } };
    });
  }

  private async excerpt(roomId: string, target: string): Promise<string> {
    const [kind, id] = target.split(':');
    if (kind === 'live') {
      const line = await this.repo.lineText(roomId, Number(id));
      return line ? `${line.sender_name}: ${line.message}`.slice(0, 300) : '';
    }
    if (kind === 'user') {
      const message = await this.repo.userMessageText(roomId, Number(id));
      return message ? `${message.username}: ${message.message}`.slice(0, 300) : '';
    }
    return '';
  }

  // ---- money ---------------------------------------------------------------------------------

  async orders(filter: { status?: string; uid?: string; cursor?: string; limit?: number }) {
    const limit = filter.limit ?? PAGE_LIMIT;
    const rows = await this.deps.payments.ordersForOperator({
      status: filter.status || undefined,
      userId: filter.uid || undefined,
      before: parseCursor(filter.cursor),
      limit: limit + 1,
    });
    return {
      orders: rows.slice(0, limit).map(({ order, answer }) => mapOrder(order, answer)),
      next_cursor: nextCursor(rows, limit, ({ order }) => [order.createdAt, order.id]),
    };
  }

  /** Payments no order explains, and partially paid orders waiting for a credit-partial decision. */
  async paymentsAttention() {
    const [unmatched, partial] = await Promise.all([this.deps.payments.unmatchedPayments(), this.deps.payments.partiallyPaidAwaitingDecision()]);
    return {
      unmatched: unmatched.map((p) => ({
        payment_id: p.paymentId,
        order_id: p.orderId,
        reason: p.reason,
        status: p.status,
        actually_paid: p.actuallyPaid,
        pay_currency: p.payCurrency,
        last_seen_at: iso(p.lastSeenAt),
      })),
      partial: partial.map((order) => mapOrder(order, null)),
    };
  }

  /** The `payments credit-partial` decision from the console: diamonds pro rata to what arrived, once. */
  async creditPartial(operator: SessionUser, orderId: string, reason: string) {
    let creditedUser = '';
    const credited = await this.act(operator, 'payment.credit_partial', { type: 'order', id: orderId }, reason, async (trx) => {
      const result = await this.deps.payments.creditPartialWithin(trx, orderId);
      if (!result.applied) throw conflict('already_credited', `Order ${orderId} was already credited ${result.coins} diamonds`);
      creditedUser = result.userId;
      return { before: { coins_credited: 0 }, after: { coins_credited: result.coins }, result: { coins: result.coins } };
    });
    await this.deps.wallet.balanceChanged(creditedUser);
    return credited;
  }

  moneySummary(days: number) {
    return dailyMoneySummary(this.db, days, this.clock());
  }

  /** Runs ledger:verify; the result is kept as the action's audit entry, so its last run is known. */
  async verifyLedger(operator: SessionUser) {
    return this.act(operator, 'ledger.verify', { type: 'ledger', id: 'ledger' }, 'ledger check from the console', async (trx) => {
      const problems = await verifyLedger(trx);
      return { before: {}, after: { ok: problems.length === 0, problem_count: problems.length, problems: problems.slice(0, 50) } };
    });
  }

  async ledgerStatus() {
    const [last] = await this.repo.searchAudit({ action: 'ledger.verify', limit: 1 });
    if (!last) return { last_run: null };
    const after = JSON.parse(last.after) as { ok: boolean; problems: Array<{ kind: string; id: string; detail: string }> };
    return { last_run: { at: iso(last.created_at), operator_name: last.operator_name, ok: after.ok, problems: after.problems } };
  }

  // ---- audit trail ---------------------------------------------------------------------------

  async audit(filter: { q?: string; action?: string; targetId?: string; cursor?: string; limit?: number }) {
    const limit = filter.limit ?? 50;
    const rows = await this.repo.searchAudit({ ...filter, limit: limit + 1 });
    const page = rows.slice(0, limit);
    return { entries: page.map(mapAudit), next_cursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
  }

  private mapRoom(row: Awaited<ReturnType<OperatorRepository['listRooms']>>[number]): AdminRoom {
    return {
      room_id: row.id,
      room_name: row.room_name,
      anchor_id: row.anchor_id,
      anchor_username: row.anchor_username,
      room_type: row.room_type,
      live_status: row.taken_down_at === null && this.deps.rooms.isLive(row),
      live_num: this.deps.rooms.viewerCount(row.id),
      taken_down: row.taken_down_at === null ? null : { at: iso(row.taken_down_at), reason: row.takedown_reason ?? '' },
      open_reports: Number(row.open_reports ?? 0),
      created_at: iso(row.created_at),
    };
  }
}

/**
 * A grant or revoke of the operator role from the server's shell (`npm run operator`), on the
 * audit trail like a console action. Its actor is no account: `actor` names it, e.g. `cli:alice`.
 */
export async function recordOperatorRoleChange(
  executor: Executor,
  change: { actor: string; userId: string; granted: boolean; wasOperator: boolean; sessionsEnded: number; reason: string; now: number },
): Promise<string> {
  const id = newSortableId(change.now);
  await new OperatorRepository(executor).appendAudit({
    id,
    operator_id: null,
    operator_name: change.actor,
    action: change.granted ? 'user.grant_operator' : 'user.revoke_operator',
    target_type: 'user',
    target_id: change.userId,
    reason: change.reason,
    before: JSON.stringify({ is_operator: change.wasOperator }),
    after: JSON.stringify(change.granted ? { is_operator: true } : { is_operator: false, console_sessions_ended: change.sessionsEnded }),
    created_at: change.now,
  });
  return id;
}

export interface ReportInput {
  room_id: string;
  target: 'room' | 'live_message' | 'user_message';
  floor?: number;
  message_id?: number;
  reason: string;
  details?: string;
}

/** How a report names what it is about: `room`, `live:<floor>` or `user:<message id>`. */
function reportTarget(report: ReportInput): string {
  if (report.target === 'room') return 'room';
  if (report.target === 'live_message') {
    if (report.floor === undefined) throw badRequest('invalid_request', 'A report on a transcript line needs its floor');
    return `live:${report.floor}`;
  }
  if (report.message_id === undefined) throw badRequest('invalid_request', 'A report on a viewer message needs its message_id');
  return `user:${report.message_id}`;
}

function mapOrder(
  order: PaymentOrder,
  answer: { status: string | null; source: string; outcome: string; payload: string; receivedAt: number } | null,
): AdminOrder {
  return {
    order_id: order.id,
    uid: order.userId,
    status: order.status,
    price_amount: order.priceAmount,
    price_currency: order.priceCurrency,
    pay_currency: order.payCurrency,
    pay_amount: order.payAmount,
    actually_paid: order.actuallyPaid,
    coin_num: order.coinNum,
    coins_credited: order.coinsCredited,
    payment_id: order.paymentId,
    failure_reason: order.failureReason,
    created_at: iso(order.createdAt),
    updated_at: iso(order.updatedAt),
    provider_answer: answer && {
      status: answer.status,
      source: answer.source,
      outcome: answer.outcome,
      received_at: iso(answer.receivedAt),
      payload: answer.payload,
    },
  };
}

/** `<created_at ms>.<id>` of a page's last row, when a row was read beyond the page. */
function nextCursor<T>(rows: T[], limit: number, key: (row: T) => [number | string, string]): string | null {
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  if (last === undefined) return null;
  const [createdAt, id] = key(last);
  return `${Number(createdAt)}.${id}`;
}

function parseCursor(cursor: string | undefined): { createdAt: number; id: string } | undefined {
  if (!cursor) return undefined;
  const dot = cursor.indexOf('.');
  return { createdAt: Number(cursor.slice(0, dot)), id: cursor.slice(dot + 1) };
}

function iso(ms: number | string): string {
  return new Date(Number(ms)).toISOString();
}

function mapUserSummary(row: {
  id: string;
  username: string;
  is_anchor: number;
  is_operator: number;
  banned_at: number | null;
  ban_reason: string | null;
  deleted_at: number | null;
  created_at: number;
}): UserSummary {
  return {
    uid: row.id,
    username: row.username,
    is_anchor: row.is_anchor === 1,
    is_operator: row.is_operator === 1,
    ban_reason: row.banned_at === null ? null : (row.ban_reason ?? ''),
    banned_at: row.banned_at === null ? null : iso(row.banned_at),
    deleted: row.deleted_at !== null,
    created_at: iso(row.created_at),
  };
}

function mapAudit(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    operator_id: row.operator_id,
    operator_name: row.operator_name,
    action: row.action,
    target_type: row.target_type,
    target_id: row.target_id,
    reason: row.reason,
    before: JSON.parse(row.before) as Record<string, unknown>,
    after: JSON.parse(row.after) as Record<string, unknown>,
    created_at: iso(row.created_at),
  };
}
