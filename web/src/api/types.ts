/**
 * Shapes of the server's answers, as the contract (`user-api.txt`) and issues 3–6 define them.
 * Field names are the contract's; optional fields are extras the server may add.
 */

export interface UserInfo {
  uid: string;
  status: boolean;
  uname: string;
  coin_num: number;
  guest_name?: string;
}

export interface RoomInfo {
  title: string;
  coin_num: number;
  room_type: RoomType;
  describe?: string;
}

/** 0 free, 1 VIP (one-off payment), 2 private (gated like VIP). */
export type RoomType = 0 | 1 | 2;

export interface LiveSummary {
  room_id: string;
  room_name: string;
  uid: string;
  username: string;
  live_num: number;
  character_name: string;
  character_date: string;
  room_info: RoomInfo;
  /** Present in `get_followed_lives`, where stopped rooms are listed too. */
  live_status?: boolean;
}

export interface LiveInfo {
  live_info: {
    room_id: string;
    room_name: string;
    uid: string;
    username: string;
    live_num: number;
    character_name: string;
    live_status: boolean;
    title: string;
    describe: string;
  };
  vip_info: { room_type: RoomType; vip_status: boolean; amount: number };
  follow_info: { follow_status: boolean };
  subscription_info: { subscription_status: boolean; amount: number; expires_at?: string | null };
}

/** One anchor (`is_user:true`) or AI message of the transcript. */
export interface LiveMessage {
  floor: number;
  is_user: boolean;
  live_message: string;
  sender_name: string;
  send_date: string;
}

export interface LiveChatHistory {
  uid: string;
  username: string;
  room_id: string;
  room_name: string;
  chat_info: LiveMessage[];
  /** Older messages exist before this page. */
  has_more: boolean;
  /** Server time (ms) just before the page was read. */
  server_time?: number;
}

/** A viewer's chat message; `id` is the server's (absent in very old histories). */
export interface UserMessage {
  id?: number;
  uid: string;
  username: string;
  user_message: string;
  send_date: string;
}

export interface UserChatHistory {
  room_id: string;
  room_name: string;
  uid: string;
  username: string;
  chat_info: UserMessage[];
  /** Server time (ms) just before the page was read. */
  server_time?: number;
}

export interface PayVipResult {
  vip_status: boolean;
  charged: number;
  coin_num: number;
}

export interface SubscribeResult {
  subscription_status: boolean;
  charged: number;
  amount: number;
  expires_at: string;
  coin_num: number;
}

export interface RechargePackage {
  crypto_amount: number;
  coin_num: number;
}

export interface RechargeOrder {
  order_id: string;
  payment_id: string;
  pay_address: string;
  pay_amount: number;
  /** Base64 PNG without the `data:` prefix. */
  qr_code: string;
  pay_currency?: string;
  coin_num?: number;
  expires_at?: string;
  message?: string;
}

export type PaymentStatus =
  | 'waiting'
  | 'confirming'
  | 'confirmed'
  | 'sending'
  | 'partially_paid'
  | 'finished'
  | 'failed'
  | 'refunded'
  | 'expired';

export interface PaymentStatusResult {
  status: PaymentStatus | (string & {});
  message: string;
  coin_num_credited?: number;
  coin_num?: number;
}

/** A recharge order as `/api/payment/orders` lists it (no QR code: the address is shown instead). */
export interface OrderSummary {
  order_id: string;
  /** `creating`, a provider status, or `expired`. */
  status: string;
  crypto_amount: number;
  coin_num: number;
  coin_num_credited: number;
  pay_currency: string;
  pay_amount: number | null;
  pay_address: string | null;
  payment_id: string | null;
  created_at: string;
  expires_at: string;
}

export interface WalletTransaction {
  id: string;
  /** `vip_room`, `subscription`, `recharge` or `adjustment`. */
  type: string;
  /** Signed change of the balance. */
  amount: number;
  balance_after: number;
  created_at: string;
  room_id?: string;
  anchor_id?: string;
  order_id?: string;
  reason?: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** Frames the server sends on `/ws/chat/:room_id` (issue 4). */
export type ServerFrame =
  | {
      type: 'hello';
      data: {
        room_id: string;
        live_status: boolean;
        live_num: number;
        last_floor: number | null;
        last_user_message_id: number | null;
        /** false: more was missed than the resume carried; reload the histories. */
        resume_complete?: boolean;
        /** The server's clock (ms), for `changed_since` on the next resume. */
        server_time?: number;
      };
    }
  | { type: 'chat_live_message'; data: LiveMessage & { op: 'add' | 'replace' | 'delete' } }
  | { type: 'chat_user_message'; data: UserMessage & { id: number } }
  | { type: 'chat_user_message_deleted'; data: { id: number } }
  | { type: 'live_num'; data: { live_num: number } }
  | { type: 'live_status'; data: { live_status: boolean } }
  | { type: 'error'; data: { error: string; message: string } }
  | { type: 'pong'; data?: unknown };
