/** The operator console's HTTP surface, all under /api/admin; every route but the sign-in is `operator`. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { OperatorLoginBody, OperatorMe, ReauthBody, type AccountsService, type RequestAuthLike } from '../accounts/index.js';
import { okData, responses } from '../http/schemas.js';
import {
  ActionDone,
  AdjustBody,
  AdjustDone,
  AuditPage,
  AuditQuery,
  LineParams,
  CreditPartialDone,
  LedgerStatus,
  MoneyQuery,
  MoneySummary,
  OrderList,
  OrderParams,
  OrderQuery,
  PaymentsAttention,
  ReasonBody,
  ReportBody,
  ReportDecision,
  ReportFiled,
  ReportQueue,
  RoomList,
  RoomListQuery,
  RoomParams,
  RoomReview,
  UserDetail,
  UserList,
  UserMessageParams,
  UserParams,
  UserSearchQuery,
} from './schemas.js';
import type { OperatorService } from './service.js';

export interface OperatorRoutesOptions {
  operators: OperatorService;
  accounts: AccountsService;
  auth: RequestAuthLike;
}

const TAGS = ['operator'];

export const operatorRoutes: FastifyPluginAsyncTypebox<OperatorRoutesOptions> = async (app, { operators, accounts, auth }) => {
  const operatorRoute = { config: { auth: 'operator' as const } };
  const done = (result: { auditId: string }) => ({ code: 0 as const, data: { audit_id: result.auditId } });

  app.post(
    '/api/admin/login',
    {
      config: { auth: 'public' },
      schema: {
        tags: TAGS,
        summary: 'Operator sign-in with the account password: a short session (OPERATOR_SESSION_TTL_MINUTES) that opens the console',
        body: OperatorLoginBody,
        response: responses(okData(OperatorMe), 401, 403, 429, 503),
      },
    },
    async (request, reply) => {
      const user = await accounts.authenticateOperator(request.body.username, request.body.password, request.ip);
      const session = await accounts.createOperatorSession(user.id);
      auth.setSessionCookie(reply, session.token, session.expiresAt);
      return {
        code: 0 as const,
        data: { uid: user.id, username: user.username, session_expires_at: session.expiresAt, reauth_until: session.reauthUntil },
      };
    },
  );

  app.get(
    '/api/admin/me',
    { ...operatorRoute, schema: { tags: TAGS, summary: 'The signed-in operator, when the sign-in ends, until when sensitive actions need no password', response: responses(okData(OperatorMe), 401, 403) } },
    async (request) => {
      const user = request.user;
      return {
        code: 0 as const,
        data: {
          uid: user.id,
          username: user.username,
          session_expires_at: user.operatorSession?.expiresAt ?? 0,
          reauth_until: await accounts.reauthUntil(user),
        },
      };
    },
  );

  app.post(
    '/api/admin/reauth',
    {
      ...operatorRoute,
      schema: {
        tags: TAGS,
        summary: 'Enter the password again: sensitive actions (ban, balance, take-down) are open for OPERATOR_REAUTH_MINUTES',
        body: ReauthBody,
        response: responses(okData(OperatorMe), 401, 403, 429, 503),
      },
    },
    async (request) => {
      const user = request.user;
      const reauthUntil = await accounts.reauthenticate(user, request.body.password);
      return {
        code: 0 as const,
        data: { uid: user.id, username: user.username, session_expires_at: user.operatorSession?.expiresAt ?? 0, reauth_until: reauthUntil },
      };
    },
  );

  // ---- audit trail ---------------------------------------------------------------------------

  app.get(
    '/api/admin/audit',
    { ...operatorRoute, schema: { tags: TAGS, summary: 'The audit trail, newest first, searchable', querystring: AuditQuery, response: responses(okData(AuditPage), 401, 403) } },
    async (request) => {
      const { q, action, target_id: targetId, cursor, limit } = request.query;
      return { code: 0 as const, data: await operators.audit({ q, action, targetId, cursor, limit }) };
    },
  );

  // ---- people --------------------------------------------------------------------------------

  app.get(
    '/api/admin/users',
    { ...operatorRoute, schema: { tags: TAGS, summary: 'Accounts by name prefix or exact uid', querystring: UserSearchQuery, response: responses(okData(UserList), 401, 403) } },
    async (request) => ({ code: 0 as const, data: { users: await operators.searchUsers(request.query.q ?? '') } }),
  );

  app.get(
    '/api/admin/users/:uid',
    {
      ...operatorRoute,
      schema: {
        tags: TAGS,
        summary: 'One account: balance, latest transactions, rooms, sessions and anchor tokens (never their secrets)',
        params: UserParams,
        response: responses(okData(UserDetail), 401, 403, 404),
      },
    },
    async (request) => ({ code: 0 as const, data: await operators.userDetail(request.params.uid) }),
  );

  app.post(
    '/api/admin/users/:uid/ban',
    {
      ...operatorRoute,
      schema: {
        tags: TAGS,
        summary: 'Ban (sensitive): sessions and tokens end; the account can read but not chat, pay, recharge or stream, and is told why',
        params: UserParams,
        body: ReasonBody,
        response: responses(okData(ActionDone), 401, 403, 404, 409),
      },
    },
    async (request) => done(await operators.ban(request.user, request.params.uid, request.body.reason)),
  );

  app.post(
    '/api/admin/users/:uid/unban',
    {
      ...operatorRoute,
      schema: { tags: TAGS, summary: 'Lift a ban (sensitive)', params: UserParams, body: ReasonBody, response: responses(okData(ActionDone), 401, 403, 404, 409) },
    },
    async (request) => done(await operators.unban(request.user, request.params.uid, request.body.reason)),
  );

  app.post(
    '/api/admin/users/:uid/adjust',
    {
      ...operatorRoute,
      schema: {
        tags: TAGS,
        summary: 'Add or take back diamonds (sensitive): a ledger transfer of type operator_adjustment with the reason; never below zero',
        params: UserParams,
        body: AdjustBody,
        response: responses(okData(AdjustDone), 401, 402, 403, 404),
      },
    },
    async (request) => {
      const { auditId, result } = await operators.adjustBalance(request.user, request.params.uid, request.body.amount, request.body.reason);
      return { code: 0 as const, data: { audit_id: auditId, coin_num: result?.coin_num ?? 0, transfer_id: result?.transfer_id ?? '' } };
    },
  );

  // ---- reports -------------------------------------------------------------------------------

  app.post(
    '/api/live/report',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['rooms'],
        summary: 'Report a room, a transcript line or a viewer message to the operators: once per target and day, rate-limited',
        body: ReportBody,
        response: responses(okData(ReportFiled), 401, 404, 409, 429),
      },
    },
    async (request) => ({ code: 0 as const, data: { report_id: await operators.fileReport(request.user, request.body) } }),
  );

  app.get(
    '/api/admin/reports',
    { ...operatorRoute, schema: { tags: TAGS, summary: 'Open reports grouped by target, the most reported first', response: responses(okData(ReportQueue), 401, 403) } },
    async () => ({ code: 0 as const, data: { groups: await operators.reportQueue() } }),
  );

  app.post(
    '/api/admin/reports/decide',
    {
      ...operatorRoute,
      schema: {
        tags: TAGS,
        summary: "Resolve or dismiss every open report on one target (the action itself, e.g. a take-down, is separate)",
        body: ReportDecision,
        response: responses(okData(ActionDone), 401, 403, 404),
      },
    },
    async (request) => {
      const { room_id: roomId, target, outcome, reason } = request.body;
      return done(await operators.decideReports(request.user, roomId, target, outcome, reason));
    },
  );

  // ---- money ---------------------------------------------------------------------------------

  app.get(
    '/api/admin/payments/orders',
    {
      ...operatorRoute,
      schema: { tags: TAGS, summary: "Recharge orders in every status, newest first, each with the provider's latest answer; a page at a time (next_cursor)", querystring: OrderQuery, response: responses(okData(OrderList), 401, 403) },
    },
    async (request) => ({ code: 0 as const, data: await operators.orders(request.query) }),
  );

  app.get(
    '/api/admin/payments/attention',
    {
      ...operatorRoute,
      schema: { tags: TAGS, summary: 'Payments no order explains, and partially paid orders awaiting credit-partial', response: responses(okData(PaymentsAttention), 401, 403) },
    },
    async () => ({ code: 0 as const, data: await operators.paymentsAttention() }),
  );

  app.post(
    '/api/admin/payments/orders/:order_id/credit_partial',
    {
      ...operatorRoute,
      schema: {
        tags: TAGS,
        summary: 'Credit a partially paid order pro rata to what arrived, once (sensitive; as `npm run payments -- credit-partial`)',
        params: OrderParams,
        body: ReasonBody,
        response: responses(okData(CreditPartialDone), 401, 403, 404, 409),
      },
    },
    async (request) => {
      const { auditId, result } = await operators.creditPartial(request.user, request.params.order_id, request.body.reason);
      return { code: 0 as const, data: { audit_id: auditId, coins: result?.coins ?? 0 } };
    },
  );

  app.get(
    '/api/admin/money/summary',
    {
      ...operatorRoute,
      schema: {
        tags: TAGS,
        summary: 'Per UTC day, from the ledger: diamonds recharged, spent per type, platform fee, anchor earnings, adjustments',
        querystring: MoneyQuery,
        response: responses(okData(MoneySummary), 401, 403),
      },
    },
    async (request) => ({ code: 0 as const, data: { days: await operators.moneySummary(request.query.days ?? 30) } }),
  );

  app.get(
    '/api/admin/ledger',
    { ...operatorRoute, schema: { tags: TAGS, summary: 'The last ledger check from the console: when, by whom, its problems', response: responses(okData(LedgerStatus), 401, 403) } },
    async () => ({ code: 0 as const, data: await operators.ledgerStatus() }),
  );

  app.post(
    '/api/admin/ledger/verify',
    {
      ...operatorRoute,
      schema: {
        tags: TAGS,
        summary: 'Run ledger:verify now (every balance recomputed from its entries); the result is kept on the audit trail',
        response: responses(okData(LedgerStatus), 401, 403),
      },
    },
    async (request) => {
      await operators.verifyLedger(request.user);
      return { code: 0 as const, data: await operators.ledgerStatus() };
    },
  );

  // ---- rooms ---------------------------------------------------------------------------------

  app.get(
    '/api/admin/rooms',
    {
      ...operatorRoute,
      schema: { tags: TAGS, summary: 'All rooms, newest first, with live status, viewers and open reports; a page at a time (next_cursor)', querystring: RoomListQuery, response: responses(okData(RoomList), 401, 403) },
    },
    async (request) => ({ code: 0 as const, data: await operators.listRooms(request.query) }),
  );

  app.get(
    '/api/admin/rooms/:room_id',
    {
      ...operatorRoute,
      schema: {
        tags: TAGS,
        summary: "A room with its latest transcript lines and viewer messages, removed ones included (marked)",
        params: RoomParams,
        response: responses(okData(RoomReview), 401, 403, 404),
      },
    },
    async (request) => ({ code: 0 as const, data: await operators.reviewRoom(request.params.room_id) }),
  );

  app.post(
    '/api/admin/rooms/:room_id/take_down',
    {
      ...operatorRoute,
      schema: {
        tags: TAGS,
        summary: 'Take a room down (sensitive): off the listings, viewers see a notice, the anchor sees the reason and cannot go live',
        params: RoomParams,
        body: ReasonBody,
        response: responses(okData(ActionDone), 401, 403, 404, 409),
      },
    },
    async (request) => done(await operators.takeDown(request.user, request.params.room_id, request.body.reason)),
  );

  app.post(
    '/api/admin/rooms/:room_id/restore',
    {
      ...operatorRoute,
      schema: { tags: TAGS, summary: 'Restore a taken-down room (sensitive); it stays off until its anchor goes live', params: RoomParams, body: ReasonBody, response: responses(okData(ActionDone), 401, 403, 404, 409) },
    },
    async (request) => done(await operators.restore(request.user, request.params.room_id, request.body.reason)),
  );

  app.post(
    '/api/admin/rooms/:room_id/lines/:floor/remove',
    {
      ...operatorRoute,
      schema: {
        tags: TAGS,
        summary: "Remove a transcript line (kept, hidden for good; viewers drop it live)",
        params: LineParams,
        body: ReasonBody,
        response: responses(okData(ActionDone), 401, 403, 404, 409),
      },
    },
    async (request) => done(await operators.removeLine(request.user, request.params.room_id, request.params.floor, request.body.reason)),
  );

  app.post(
    '/api/admin/rooms/:room_id/user_messages/:id/remove',
    {
      ...operatorRoute,
      schema: {
        tags: TAGS,
        summary: 'Remove a viewer message (soft delete; viewers drop it live)',
        params: UserMessageParams,
        body: ReasonBody,
        response: responses(okData(ActionDone), 401, 403, 404, 409),
      },
    },
    async (request) => done(await operators.removeUserMessage(request.user, request.params.room_id, request.params.id, request.body.reason)),
  );
};
