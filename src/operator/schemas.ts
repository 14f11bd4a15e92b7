/** The operator console's wire shapes, defined once. */
import { Type, type Static } from 'typebox';
import { DbInteger, Id, Text } from '../http/schemas.js';
import { WalletTransaction } from '../wallet/index.js';

const Json = Type.Record(Type.String(), Type.Unknown());
const IsoTime = Type.String({ format: 'date-time' });

export const AuditEntry = Type.Object(
  {
    id: Type.String(),
    operator_id: Type.Union([Type.String(), Type.Null()], { description: 'null: not a console operator (operator_name says who, e.g. cli:<OS user>)' }),
    operator_name: Type.String(),
    action: Type.String({ description: 'One of the console actions, e.g. user.ban, room.take_down, or the role CLI\'s user.grant_operator, user.revoke_operator' }),
    target_type: Type.String({ description: 'user, room, live_message or user_message' }),
    target_id: Type.String(),
    reason: Type.String(),
    before: Json,
    after: Json,
    created_at: IsoTime,
  },
  { $id: 'AuditEntry' },
);
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditPage = Type.Object({
  entries: Type.Array(AuditEntry),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

export const AuditQuery = Type.Object({
  q: Type.Optional(Text({ maxLength: 100, description: "Words found in the operator's name, the target id or the reason" })),
  action: Type.Optional(Type.String({ maxLength: 64 })),
  target_id: Type.Optional(Type.String({ maxLength: 200 })),
  cursor: Type.Optional(Id({ description: 'next_cursor of the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});

export const UserSummary = Type.Object(
  {
    uid: Type.String(),
    username: Type.String(),
    is_anchor: Type.Boolean(),
    is_operator: Type.Boolean(),
    ban_reason: Type.Union([Type.String(), Type.Null()], { description: 'null: not banned' }),
    banned_at: Type.Union([IsoTime, Type.Null()]),
    deleted: Type.Boolean(),
    created_at: IsoTime,
  },
  { $id: 'AdminUserSummary' },
);
export type UserSummary = Static<typeof UserSummary>;

export const UserSearchQuery = Type.Object({
  q: Type.Optional(Text({ maxLength: 64, description: 'A name prefix (any case) or an exact uid; empty: the first accounts by name' })),
});
export const UserList = Type.Object({ users: Type.Array(UserSummary) });

export const UserDetail = Type.Object({
  user: UserSummary,
  coin_num: Type.Integer(),
  transactions: Type.Array(WalletTransaction),
  rooms: Type.Array(
    Type.Object({
      room_id: Type.String(),
      room_name: Type.String(),
      live_status: Type.Boolean(),
      taken_down: Type.Boolean(),
    }),
  ),
  sessions: Type.Array(Type.Object({ created_at: IsoTime, expires_at: IsoTime, operator: Type.Boolean() })),
  tokens: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), created_at: IsoTime, last_used_at: Type.Union([IsoTime, Type.Null()]) }),
  ),
});
export type UserDetail = Static<typeof UserDetail>;

export const UserParams = Type.Object({ uid: Id() });
export const RoomParams = Type.Object({ room_id: Id() });
export const LineParams = Type.Object({ room_id: Id(), floor: DbInteger({ minimum: 0 }) });
export const UserMessageParams = Type.Object({ room_id: Id(), id: DbInteger({ minimum: 1 }) });

const Reason = Text({ minLength: 1, maxLength: 500, pattern: '^[^\\u0000]*\\S[^\\u0000]*$', description: 'Why: kept on the audit trail' });
export const ReasonBody = Type.Object({ reason: Reason });
export const AdjustBody = Type.Object({
  amount: Type.Integer({ description: 'Diamonds: positive adds, negative takes back (never below zero)', minimum: -1_000_000_000, maximum: 1_000_000_000 }),
  reason: Reason,
});

export const ActionDone = Type.Object({ audit_id: Type.String({ description: 'The audit entry this action left' }) });
export const AdjustDone = Type.Object({ audit_id: Type.String(), coin_num: Type.Integer(), transfer_id: Type.String() });

export const AdminRoom = Type.Object(
  {
    room_id: Type.String(),
    room_name: Type.String(),
    anchor_id: Type.String(),
    anchor_username: Type.String(),
    room_type: Type.Integer(),
    live_status: Type.Boolean(),
    live_num: Type.Integer(),
    taken_down: Type.Union([Type.Object({ at: IsoTime, reason: Type.String() }), Type.Null()]),
    open_reports: Type.Integer({ description: 'Reports not yet resolved or dismissed, on the room or its messages' }),
    created_at: IsoTime,
  },
  { $id: 'AdminRoom' },
);
export type AdminRoom = Static<typeof AdminRoom>;

/** A keyset position in a newest-first list: the last row's creation time and id, as `<ms>.<id>`. */
const PageCursor = Type.String({ pattern: '^\\d{1,16}\\.[A-Za-z0-9_-]{1,64}$', description: 'next_cursor of the previous page' });
const PageLimit = Type.Integer({ minimum: 1, maximum: 200, description: 'Rows per page (default 100)' });
const NextCursor = Type.Union([PageCursor, Type.Null()], { description: 'null: this was the last page' });

export const RoomListQuery = Type.Object({
  q: Type.Optional(Text({ maxLength: 100, description: "Part of the room's name or its anchor's name, or its exact id" })),
  status: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('live'), Type.Literal('taken_down'), Type.Literal('reported')])),
  cursor: Type.Optional(PageCursor),
  limit: Type.Optional(PageLimit),
});
export const RoomList = Type.Object({ rooms: Type.Array(AdminRoom), next_cursor: NextCursor });

export const RoomReview = Type.Object({
  room: AdminRoom,
  lines: Type.Array(
    Type.Object({
      floor: Type.Integer(),
      sender_name: Type.String(),
      message: Type.String(),
      is_user: Type.Boolean(),
      hidden: Type.Boolean(),
      removed: Type.Boolean(),
      send_date: IsoTime,
    }),
  ),
  user_messages: Type.Array(
    Type.Object({
      id: Type.Integer(),
      uid: Type.String(),
      username: Type.String(),
      message: Type.String(),
      created_at: IsoTime,
      removed: Type.Boolean(),
    }),
  ),
});
export type RoomReview = Static<typeof RoomReview>;

// ---- reports -------------------------------------------------------------------------------------

export const REPORT_REASONS = ['spam', 'harassment', 'sexual_content', 'violence', 'hate', 'illegal', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export const ReportBody = Type.Object({
  room_id: Id(),
  target: Type.Union([Type.Literal('room'), Type.Literal('live_message'), Type.Literal('user_message')], {
    description: 'The room itself, one transcript line (floor) or one viewer message (message_id)',
  }),
  floor: Type.Optional(DbInteger({ minimum: 0 })),
  message_id: Type.Optional(DbInteger({ minimum: 1 })),
  reason: Type.Union(REPORT_REASONS.map((reason) => Type.Literal(reason))),
  details: Type.Optional(Text({ maxLength: 500, description: 'Free text for the operators' })),
});
export const ReportFiled = Type.Object({ report_id: Type.String() });

export const ReportGroup = Type.Object(
  {
    room_id: Type.String(),
    room_name: Type.String(),
    target: Type.String({ description: 'room, live:<floor> or user:<message id>' }),
    excerpt: Type.String({ description: 'What the reported message says (empty for a room)' }),
    count: Type.Integer(),
    reasons: Type.Array(Type.String()),
    details: Type.Array(Type.String(), { description: 'The latest free texts' }),
    first_at: IsoTime,
    last_at: IsoTime,
  },
  { $id: 'ReportGroup' },
);
export type ReportGroup = Static<typeof ReportGroup>;
export const ReportQueue = Type.Object({ groups: Type.Array(ReportGroup) });
export const ReportDecision = Type.Object({
  room_id: Id(),
  target: Type.String({ pattern: '^(room|live:\\d{1,10}|user:\\d{1,10})$' }),
  outcome: Type.Union([Type.Literal('resolved'), Type.Literal('dismissed')]),
  reason: Reason,
});

// ---- money ---------------------------------------------------------------------------------------

const Decimal = Type.Union([Type.String(), Type.Null()], { description: 'An exact decimal as a string' });

export const AdminOrder = Type.Object(
  {
    order_id: Type.String(),
    uid: Type.String(),
    status: Type.String(),
    price_amount: Type.String(),
    price_currency: Type.String(),
    pay_currency: Type.String(),
    pay_amount: Decimal,
    actually_paid: Decimal,
    coin_num: Type.Integer(),
    coins_credited: Type.Integer(),
    payment_id: Type.Union([Type.String(), Type.Null()]),
    failure_reason: Type.Union([Type.String(), Type.Null()]),
    created_at: IsoTime,
    updated_at: IsoTime,
    provider_answer: Type.Union([
      Type.Object({
        status: Type.Union([Type.String(), Type.Null()]),
        source: Type.String({ description: 'ipn or a status check' }),
        outcome: Type.String(),
        received_at: IsoTime,
        payload: Type.String({ description: "The provider's answer as received (JSON text)" }),
      }),
      Type.Null(),
    ]),
  },
  { $id: 'AdminOrder' },
);
export type AdminOrder = Static<typeof AdminOrder>;
export const OrderQuery = Type.Object({
  status: Type.Optional(Type.String({ maxLength: 32, pattern: '^[a-z_]*$' })),
  uid: Type.Optional(Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9_-]*$' })),
  cursor: Type.Optional(PageCursor),
  limit: Type.Optional(PageLimit),
});
export const OrderList = Type.Object({ orders: Type.Array(AdminOrder), next_cursor: NextCursor });
export const OrderParams = Type.Object({ order_id: Id() });

export const PaymentsAttention = Type.Object({
  unmatched: Type.Array(
    Type.Object({
      payment_id: Type.String(),
      order_id: Type.Union([Type.String(), Type.Null()]),
      reason: Type.String(),
      status: Type.Union([Type.String(), Type.Null()]),
      actually_paid: Decimal,
      pay_currency: Type.Union([Type.String(), Type.Null()]),
      last_seen_at: IsoTime,
    }),
  ),
  partial: Type.Array(AdminOrder),
});
export const CreditPartialDone = Type.Object({ audit_id: Type.String(), coins: Type.Integer() });

export const MoneyQuery = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })) });
export const MoneySummary = Type.Object({
  days: Type.Array(
    Type.Object({
      day: Type.String({ description: 'UTC day, YYYY-MM-DD' }),
      recharged: Type.Integer(),
      spent: Type.Object({ vip_room: Type.Integer(), subscription: Type.Integer(), gift: Type.Integer() }),
      platform_fee: Type.Integer(),
      anchor_earnings: Type.Integer(),
      adjustments: Type.Integer(),
    }),
  ),
});

export const LedgerStatus = Type.Object({
  last_run: Type.Union([
    Type.Object({
      at: IsoTime,
      operator_name: Type.String(),
      ok: Type.Boolean(),
      problems: Type.Array(Type.Object({ kind: Type.String(), id: Type.String(), detail: Type.String() })),
    }),
    Type.Null(),
  ]),
});
