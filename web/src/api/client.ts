/**
 * The one place that knows the server's URLs and envelopes. Paths, parameters, bodies and answers
 * are typed by the generated `paths` of the server's OpenAPI document, so a call that does not match
 * a route's schema does not compile. Every call resolves to the typed payload or throws an ApiError
 * carrying the server's machine code (`error`) and words (`message`).
 */
import type { paths } from '../shared/api/schema.gen.ts';

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

type Method = 'get' | 'post';
type Path = keyof paths;
/** The paths that answer `method`. */
type PathWith<M extends Method> = { [P in Path]: paths[P][M] extends { responses: unknown } ? P : never }[Path];
type Operation<P extends Path, M extends Method> = paths[P][M];

/** The success (200) body of an operation. */
export type Ok<P extends Path, M extends Method> =
  Operation<P, M> extends { responses: { 200: { content: { 'application/json': infer Body } } } } ? Body : never;
/** The `data` of an operation answering the contract's `{"code":0,"data":...}`. */
export type OkData<P extends Path, M extends Method> = Ok<P, M> extends { data: infer Data } ? Data : never;
/** The error envelope, as the server declares it for a refused request. */
type ErrorBody = paths['/api/users/login']['post']['responses'][400]['content']['application/json'];

type PathParams<P extends Path, M extends Method> = Operation<P, M> extends { parameters: { path: infer Params } } ? Params : never;
type QueryParams<P extends Path, M extends Method> = Operation<P, M> extends { parameters: { query?: infer Query } } ? Query : never;
type JsonBody<P extends Path, M extends Method> =
  Operation<P, M> extends { requestBody: { content: { 'application/json': infer Body } } } ? Body : never;

interface RequestOptions<P extends Path, M extends Method> {
  params?: PathParams<P, M> & Record<string, unknown>;
  query?: QueryParams<P, M> & Record<string, unknown>;
  body?: JsonBody<P, M>;
}

function resolveUrl(path: string, params?: Record<string, unknown>, query?: Record<string, unknown>): string {
  const filled = params ? path.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(String(params[name]))) : path;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${filled}?${text}` : filled;
}

async function call<P extends PathWith<M>, M extends Method>(method: M, path: P, options: RequestOptions<P, M> = {}): Promise<Ok<P, M>> {
  const { body } = options;
  let response: Response;
  try {
    response = await fetch(resolveUrl(path, options.params, options.query), {
      method: method.toUpperCase(),
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Network error');
  }
  let answer: { code?: unknown } | undefined;
  try {
    answer = await response.json();
  } catch {
    answer = undefined;
  }
  if (!answer || !response.ok || answer.code !== 0) {
    // A refusal follows the error envelope; anything else (a proxy's page, no body) leaves it empty.
    const { code: _code, message, error, ...details } = (answer ?? {}) as Partial<ErrorBody>;
    throw new ApiError(response.status, error ?? (response.ok ? 'unexpected_response' : `http_${response.status}`), message ?? response.statusText, details);
  }
  // A success answer is serialised through the route's response schema, which typed it.
  return answer as Ok<P, M>;
}

/** The `data` of a `{"code":0,"data":...}` answer. */
async function data<P extends PathWith<M>, M extends Method>(method: M, path: P, options?: RequestOptions<P, M>): Promise<OkData<P, M>> {
  const answer = (await call(method, path, options)) as { data: OkData<P, M> };
  return answer.data;
}

/** A `{"code":0,...fields}` answer without its envelope code. */
async function fields<P extends PathWith<M>, M extends Method>(method: M, path: P, options?: RequestOptions<P, M>): Promise<Omit<Ok<P, M>, 'code'>> {
  const { code: _code, ...rest } = (await call(method, path, options)) as Ok<P, M> & { code: 0 };
  return rest;
}

export const api = {
  // Accounts (contract 1–2)
  isLoggedIn: async () => (await data('get', '/api/users/is_logged_in')).user_info,
  login: async (username: string, password: string) => (await data('post', '/api/users/login', { body: { username, password } })).user_info,
  register: async (username: string, password: string) => (await data('post', '/api/users/register', { body: { username, password } })).user_info,
  logout: async () => {
    await call('get', '/api/users/login_out');
  },

  // Rooms and chat (contract 3–7)
  allLives: async () => (await data('get', '/api/live/get_all_lives')).lives_info,
  liveInfo: (roomId: string) => data('get', '/api/live/get_live_info', { query: { room_id: roomId } }),
  liveChatHistory: (roomId: string, page: { beforeFloor?: number; limit?: number } = {}) =>
    data('get', '/api/live/get_live_chat_history', { query: { room_id: roomId, before_floor: page.beforeFloor, limit: page.limit } }),
  userChatHistory: (roomId: string) => data('get', '/api/live/get_user_chat_history', { query: { room_id: roomId } }),
  /** The body's `username` is informational; the server posts as the session user or guest. */
  sendUserMessage: (room: { room_id: string; room_name: string }, username: string, userMessage: string) =>
    data('post', '/api/live/save_user_chat_history', {
      body: { room_id: room.room_id, room_name: room.room_name, username, user_message: userMessage },
    }),
  follow: async (roomId: string, follow: boolean) =>
    (await data('post', '/api/live/follow', { body: { room_id: roomId, follow_status: follow } })).follow_status,
  followedLives: async () => (await data('get', '/api/live/get_followed_lives')).lives_info,

  // Wallet (contract 8)
  payVip: (payment: { uid: string; anchor_id: string; room_id: string; room_name: string; amount: number }) =>
    data('post', '/api/live/pay_vip_coin', { body: payment }),
  /** `amount` is the price the viewer was shown; a different current price is refused (price_changed). */
  subscribe: (anchorId: string, amount: number) => data('post', '/api/live/subscribe', { body: { anchor_id: anchorId, amount } }),
  balance: async () => (await data('get', '/api/wallet/balance')).coin_num,
  transactions: (cursor?: string) => data('get', '/api/wallet/transactions', { query: { cursor } }),

  // Recharge (contract payment endpoints)
  /** `provider` is `simulated` when the server runs offline with simulated payments. */
  packages: () => data('get', '/api/payment/packages'),
  createRecharge: (userId: string, cryptoAmount: number) =>
    fields('post', '/api/payment/process_recharge', { body: { user_id: userId, crypto_amount: cryptoAmount } }),
  paymentStatus: (orderId: string) => fields('get', '/api/payment/check_payment_status/{order_id}', { params: { order_id: orderId } }),
  orders: async () => (await data('get', '/api/payment/orders')).orders,
  /** Only exists with the simulated provider (offline demo); 404 otherwise. */
  simulatePayment: async (orderId: string, status: JsonBody<'/api/payment/simulate/{order_id}', 'post'>['status']) => {
    await call('post', '/api/payment/simulate/{order_id}', { params: { order_id: orderId }, body: { status } });
  },
};

/** WebSocket URL of a room on this origin, with the resume cursor when reconnecting. */
export function roomSocketUrl(
  roomId: string,
  resume: { afterFloor?: number | null; afterUserMessageId?: number | null; changedSince?: number | null },
): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = resolveUrl('/ws/chat/{room_id}', { room_id: roomId }, {
    after_floor: resume.afterFloor,
    after_user_message_id: resume.afterUserMessageId,
    changed_since: resume.changedSince,
  });
  return `${scheme}//${location.host}${url}`;
}
