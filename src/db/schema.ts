/**
 * Row types of every table, as Kysely sees them. Each feature adds its tables here next to its
 * migration. Flags are integers 0/1 and times are epoch milliseconds on both engines.
 */
import type { Generated } from 'kysely';

export interface UsersTable {
  id: string;
  username: string;
  username_key: string;
  password_hash: string;
  is_anchor: number;
  created_at: number;
  /** Set when the viewer deleted the account (the row is kept; see the accounts service). */
  deleted_at: number | null;
  /** Granted and revoked by `npm run operator`, never from the web. */
  is_operator: Generated<number>;
  /** Set while an operator's ban holds: the account may read but not chat, pay or stream. */
  banned_at: number | null;
  ban_reason: string | null;
}

/** An OpenID identity (Google's issuer and subject) that signs in to an account. */
export interface LinkedIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: string;
  /** Shown on the account page only; never used to find an account. */
  email: string | null;
  created_at: number;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  /** 1: an operator sign-in (shorter, and the only kind that opens the console). */
  operator: Generated<number>;
  /** When the password was last entered on this session (operator sessions: sensitive actions need it recent). */
  reauth_at: number | null;
}

export interface AnchorTokensTable {
  token_hash: string;
  /** Public handle for listing and revoking; the hash is never shown. */
  id: string;
  user_id: string;
  /** What the anchor called it ("SillyTavern on my laptop"); logins name theirs. */
  name: string;
  created_at: number;
  /** Updated at most once a minute, so using a token costs no write per request. */
  last_used_at: number | null;
}

export interface LedgerAccountsTable {
  id: string;
  kind: string;
  owner_id: string | null;
  balance: Generated<number>;
  allow_negative: Generated<number>;
  created_at: number;
}

export interface LedgerTransfersTable {
  id: string;
  idempotency_key: string;
  type: string;
  metadata: Generated<string>;
  created_at: number;
}

export interface LedgerEntriesTable {
  transfer_id: string;
  account_id: string;
  amount: number;
  balance_after: number;
  created_at: number;
}

export interface RoomsTable {
  id: string;
  anchor_id: string;
  character_name: string;
  character_date: string;
  room_name: string;
  title: Generated<string>;
  description: Generated<string>;
  room_type: Generated<number>;
  coin_num: Generated<number>;
  live_status: Generated<number>;
  last_activity_at: number;
  last_ai_message_at: number | null;
  created_at: number;
  updated_at: number;
  /** Set while the room is archived: out of every listing, read-only, open only to its payers. */
  archived_at: number | null;
  /** Key of the uploaded cover / character avatar in `images`, or null for the generated look. */
  cover_image: string | null;
  avatar_image: string | null;
  /** Normalised tags, comma-joined ('' for none); room_tags indexes them. */
  tags: Generated<string>;
  /** When followers were last told the room went live (see migration 0014). */
  live_announced_at: number | null;
  /** Set while an operator has taken the room down: hidden from listings, closed to viewers. */
  taken_down_at: number | null;
  takedown_reason: string | null;
}

/** One encoded size of an uploaded image; `image_key` is a hash of the upload, so URLs never change meaning. */
export interface ImagesTable {
  image_key: string;
  variant: string;
  content_type: string;
  width: number;
  height: number;
  bytes: Buffer;
  created_at: number;
}

export interface LiveMessagesTable {
  room_id: string;
  floor: number;
  is_user: number;
  is_system: Generated<number>;
  visible: Generated<number>;
  sender_name: string;
  message: string;
  send_date: number;
  original_send_date: string | null;
  extra: string | null;
  updated_at: number;
  /** Set when an operator removed the line: it stays hidden whatever the anchor's tool sends again. */
  removed_at: Generated<number | null>;
}

/** A transcript line that was deleted, kept for the resume window (see migration 0007). */
export interface LiveMessageDeletionsTable {
  room_id: string;
  floor: number;
  deleted_at: number;
}

export interface UserMessagesTable {
  id: Generated<number>;
  room_id: string;
  user_id: string | null;
  guest_name: string | null;
  username: string;
  message: string;
  created_at: number;
  deleted_at: number | null;
  /** The sender's badges when they wrote, comma-separated (`anchor`, `subscriber`, `vip`); '' for none. */
  badges: Generated<string>;
  /** Guests only: the network the message came from (see clientNetwork), for network-wide guest mutes. */
  guest_network: string | null;
}

export interface ViewerBlocksTable {
  user_id: string;
  /** `user:<uid>` or `guest:<guest name>`. */
  subject: string;
  /** The blocked viewer's name, to list it. */
  username: string;
  created_at: number;
}

export interface RoomFollowsTable {
  user_id: string;
  room_id: string;
  created_at: number;
}

export interface RoomMutesTable {
  room_id: string;
  subject: string;
  until: number;
}

export interface RoomAccessTable {
  user_id: string;
  room_id: string;
  transfer_id: string;
  amount: number;
  created_at: number;
}

export interface SubscriptionsTable {
  user_id: string;
  anchor_id: string;
  expires_at: number;
  created_at: number;
  updated_at: number;
}

export interface SubscriptionPlansTable {
  anchor_id: string;
  price: number;
  updated_at: number;
}

export interface IdempotencyRecordsTable {
  user_id: string;
  idempotency_key: string;
  request: string;
  response: string | null;
  created_at: number;
}

export interface PaymentOrdersTable {
  id: string;
  user_id: string;
  provider: string;
  price_amount: string;
  price_currency: string;
  pay_currency: string;
  coin_num: number;
  status: string;
  payment_id: string | null;
  pay_address: string | null;
  pay_amount: string | null;
  actually_paid: string | null;
  coins_credited: Generated<number>;
  credited_at: number | null;
  local_expired_at: number | null;
  failure_reason: string | null;
  check_attempts: Generated<number>;
  next_check_at: number;
  expires_at: number;
  created_at: number;
  updated_at: number;
}

export interface PaymentEventsTable {
  id: Generated<number>;
  order_id: string | null;
  payment_id: string | null;
  status: string | null;
  source: string;
  outcome: string;
  payload: string;
  received_at: number;
}

export interface PaymentUnmatchedTable {
  id: Generated<number>;
  payment_id: string;
  order_id: string | null;
  parent_payment_id: string | null;
  reason: string;
  status: string | null;
  pay_currency: string | null;
  actually_paid: string | null;
  payload: string;
  first_seen_at: number;
  last_seen_at: number;
}

export interface RoomSupportTable {
  room_id: string;
  user_id: string;
  /** Days since the epoch, in the leaderboard's time zone. */
  day: number;
  diamonds: number;
}

export interface RoomTagsTable {
  tag: string;
  room_id: string;
}

/** A room's search document (search-terms.ts); the engine's full-text index covers it. */
export interface RoomSearchTable {
  room_id: string;
  document: string;
}

/** One operator action, append-only (the database refuses UPDATE and DELETE). */
export interface OperatorAuditTable {
  id: string;
  /** null: not a console operator, e.g. the role CLI (operator_name says who: `cli:<OS user>`). */
  operator_id: string | null;
  operator_name: string;
  action: string;
  target_type: string;
  target_id: string;
  reason: string;
  /** JSON of the values the action changed, before and after it. */
  before: string;
  after: string;
  created_at: number;
}

export interface ReportsTable {
  id: string;
  reporter_id: string;
  room_id: string;
  target: string;
  reason: string;
  details: Generated<string>;
  day: number;
  status: Generated<string>;
  created_at: number;
  closed_at: number | null;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  linked_identities: LinkedIdentitiesTable;
  anchor_tokens: AnchorTokensTable;
  ledger_accounts: LedgerAccountsTable;
  ledger_transfers: LedgerTransfersTable;
  ledger_entries: LedgerEntriesTable;
  rooms: RoomsTable;
  images: ImagesTable;
  live_messages: LiveMessagesTable;
  live_message_deletions: LiveMessageDeletionsTable;
  user_messages: UserMessagesTable;
  room_follows: RoomFollowsTable;
  room_mutes: RoomMutesTable;
  room_access: RoomAccessTable;
  subscriptions: SubscriptionsTable;
  subscription_plans: SubscriptionPlansTable;
  idempotency_records: IdempotencyRecordsTable;
  payment_orders: PaymentOrdersTable;
  payment_events: PaymentEventsTable;
  payment_unmatched: PaymentUnmatchedTable;
  viewer_blocks: ViewerBlocksTable;
  room_support: RoomSupportTable;
  room_tags: RoomTagsTable;
  room_search: RoomSearchTable;
  operator_audit: OperatorAuditTable;
  reports: ReportsTable;
}
