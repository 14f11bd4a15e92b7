/**
 * The one place that knows the server's URLs and envelopes. Every call resolves to the typed
 * payload or throws an ApiError carrying the server's machine code (`error`) and words (`message`).
 */
import type {
  LiveChatHistory,
  LiveInfo,
  LiveSummary,
  OrderSummary,
  Page,
  PaymentStatusResult,
  PayVipResult,
  RechargeOrder,
  RechargePackage,
  SubscribeResult,
  UserChatHistory,
  UserInfo,
  UserMessage,
  WalletTransaction,
} from './types.ts';

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the request never reached the server. */
    readonly status: number,
    /** Machine code such as `rate_limited`, `muted`, `insufficient_balance`, or `network_error`. */
    readonly error: string,
    message: string,
    /** Extra fields of the error body (e.g. `retry_after`, the current price). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Query = Record<string, string | number | undefined>;

interface Envelope {
  code: number;
  message?: string;
  error?: string;
  data?: unknown;
  [key: string]: unknown;
}

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function call(method: 'GET' | 'POST', path: string, options: { query?: Query; body?: unknown } = {}): Promise<Envelope> {
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      credentials: 'same-origin',
      headers: options.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Network error');
  }
  let body: Envelope | undefined;
  try {
    body = (await response.json()) as Envelope;
  } catch {
    body = undefined;
  }
  if (!body || !response.ok || body.code !== 0) {
    const { code: _code, message, error, ...details } = body ?? { code: 1 };
    throw new ApiError(response.status, error ?? (response.ok ? 'unexpected_response' : `http_${response.status}`), message ?? response.statusText, details);
  }
  return body;
}

async function data<T>(method: 'GET' | 'POST', path: string, options?: { query?: Query; body?: unknown }): Promise<T> {
  return (await call(method, path, options)).data as T;
}

export const api = {
  // Accounts (contract 1–2)
  isLoggedIn: async () => (await data<{ user_info: UserInfo }>('GET', '/api/users/is_logged_in')).user_info,
  login: async (username: string, password: string) =>
    (await data<{ user_info: UserInfo }>('POST', '/api/users/login', { body: { username, password } })).user_info,
  register: async (username: string, password: string) =>
    (await data<{ user_info: UserInfo }>('POST', '/api/users/register', { body: { username, password } })).user_info,
  logout: async () => {
    await call('GET', '/api/users/login_out');
  },

  // Rooms and chat (contract 3–7)
  allLives: async () => (await data<{ lives_info: LiveSummary[] }>('GET', '/api/live/get_all_lives')).lives_info,
  liveInfo: (roomId: string) => data<LiveInfo>('GET', '/api/live/get_live_info', { query: { room_id: roomId } }),
  liveChatHistory: (roomId: string, page: { beforeFloor?: number; limit?: number } = {}) =>
    data<LiveChatHistory>('GET', '/api/live/get_live_chat_history', {
      query: { room_id: roomId, before_floor: page.beforeFloor, limit: page.limit },
    }),
  userChatHistory: (roomId: string) => data<UserChatHistory>('GET', '/api/live/get_user_chat_history', { query: { room_id: roomId } }),
  /** The body's `username` is informational; the server posts as the session user or guest. */
  sendUserMessage: (room: { room_id: string; room_name: string }, username: string, userMessage: string) =>
    data<Pick<UserMessage, 'send_date'> & { id: number }>('POST', '/api/live/save_user_chat_history', {
      body: { room_id: room.room_id, room_name: room.room_name, username, user_message: userMessage },
    }),
  follow: async (roomId: string, follow: boolean) =>
    (await data<{ follow_status: boolean }>('POST', '/api/live/follow', { body: { room_id: roomId, follow_status: follow } })).follow_status,
  followedLives: async () => (await data<{ lives_info: LiveSummary[] }>('GET', '/api/live/get_followed_lives')).lives_info,

  // Wallet (contract 8)
  payVip: (payment: { uid: string; anchor_id: string; room_id: string; room_name: string; amount: number }) =>
    data<PayVipResult>('POST', '/api/live/pay_vip_coin', { body: payment }),
  /** `amount` is the price the viewer was shown; a different current price is refused (price_changed). */
  subscribe: (anchorId: string, amount: number) =>
    data<SubscribeResult>('POST', '/api/live/subscribe', { body: { anchor_id: anchorId, amount } }),
  balance: async () => (await data<{ coin_num: number }>('GET', '/api/wallet/balance')).coin_num,
  transactions: async (cursor?: string): Promise<Page<WalletTransaction>> => {
    const page = await data<{ transactions: WalletTransaction[]; next_cursor?: string | null }>('GET', '/api/wallet/transactions', {
      query: { cursor },
    });
    return { items: page.transactions, next_cursor: page.next_cursor ?? null };
  },

  // Recharge (contract payment endpoints)
  /** `provider` is `simulated` when the server runs offline with simulated payments. */
  packages: () => data<{ packages: RechargePackage[]; provider?: string }>('GET', '/api/payment/packages'),
  createRecharge: async (userId: string, cryptoAmount: number): Promise<RechargeOrder> => {
    const { code: _code, ...order } = await call('POST', '/api/payment/process_recharge/', {
      body: { user_id: userId, crypto_amount: cryptoAmount },
    });
    return order as unknown as RechargeOrder;
  },
  paymentStatus: async (orderId: string): Promise<PaymentStatusResult> => {
    const { code: _code, ...status } = await call('GET', `/api/payment/check_payment_status/${encodeURIComponent(orderId)}`);
    return status as unknown as PaymentStatusResult;
  },
  orders: async () => (await data<{ orders: OrderSummary[] }>('GET', '/api/payment/orders')).orders,
  /** Only exists with the simulated provider (offline demo); 404 otherwise. */
  simulatePayment: async (orderId: string, status: string) => {
    await call('POST', `/api/payment/simulate/${encodeURIComponent(orderId)}`, { body: { status } });
  },
};

/** WebSocket URL of a room on this origin, with the resume cursor when reconnecting. */
export function roomSocketUrl(
  roomId: string,
  resume: { afterFloor?: number | null; afterUserMessageId?: number | null; changedSince?: number | null },
): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query: Query = {
    after_floor: resume.afterFloor ?? undefined,
    after_user_message_id: resume.afterUserMessageId ?? undefined,
    changed_since: resume.changedSince ?? undefined,
  };
  return `${scheme}//${location.host}${withQuery(`/ws/chat/${encodeURIComponent(roomId)}`, query)}`;
}
