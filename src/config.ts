/**
 * The one place that reads environment variables. Every setting has a documented default
 * (see .env.example) so `npm start` works on a fresh machine with no configuration at all.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { DEFAULT_HASH_COST } from './infra/password.js';
import { normaliseDecimal } from './infra/decimal.js';

export interface Config {
  port: number;
  host: string;
  /**
   * Which peers may set X-Forwarded-For / -Host / -Proto: nobody (false, the default: the client IP is
   * the socket's peer), the nearest N hops, or proxies at these addresses / CIDR ranges.
   */
  trustProxy: TrustProxy;
  /** Public origin of the site (scheme://host[:port]); used for CSRF/Origin checks and payment callbacks. */
  publicUrl: string;
  /** Extra origins allowed to make cookie-authenticated writes and open WebSockets (e.g. the Vite dev server). */
  allowedOrigins: string[];
  /** PostgreSQL connection string; when empty the embedded SQLite file is used. */
  databaseUrl: string;
  /** PostgreSQL: run repeated statements as prepared statements (off behind a pooler that cannot carry them). */
  pgPreparedStatements: boolean;
  sqlitePath: string;
  /** Redis connection string; when empty the event bus, presence and rate limits stay in-process. */
  redisUrl: string;
  /** Prefix of every Redis key and channel, so several deployments (or test runs) can share one Redis. */
  redisPrefix: string;
  cookieSecret: string;
  cookieSecretIsEphemeral: boolean;
  cookieSecure: boolean;
  sessionTtlDays: number;
  /** An operator's console sign-in lasts this long (from sign-in, not renewed by use). */
  operatorSessionTtlMinutes: number;
  /** Sensitive operator actions need the password entered within this many minutes. */
  operatorReauthMinutes: number;
  /** Reports one viewer may file per window (besides once per target and day). */
  reportMaxPerWindow: number;
  reportWindowSeconds: number;
  demoData: boolean;
  logLevel: string;
  /** Bearer token a Prometheus scraper presents at GET /metrics; empty: no /metrics at all. */
  metricsToken: string;
  /** Log one line per request; off by default so hot routes stay cheap. */
  logRequests: boolean;
  /** Login attempts without success allowed per (network origin, username) per window; then 429 for that origin. */
  loginMaxFailures: number;
  loginWindowSeconds: number;
  /** Login attempts allowed per network origin per window, whatever the usernames. */
  loginMaxAttemptsPerOrigin: number;
  /**
   * Longest wait added before checking the password of a username that failed more than
   * loginMaxFailures times across all origins: a targeted account is slowed down, never locked out.
   */
  loginSlowdownMaxMs: number;
  /** Sign-ups allowed per network origin per window. */
  registerMaxPerOrigin: number;
  registerWindowSeconds: number;
  /** log2 of the scrypt cost for new password hashes. */
  passwordHashCost: number;
  /** Password hashes computed at once (each takes a libuv thread for ~0.1 s); further ones wait in line. */
  passwordHashConcurrency: number;
  /** Password checks allowed to wait for a slot; beyond that the request gets 503 server_busy. */
  passwordHashMaxWaiting: number;
  /** A live room without anchor activity for this long is treated as stopped. */
  liveIdleMinutes: number;
  /** Rooms one anchor may own (each chat opens one). */
  maxRoomsPerAnchor: number;
  /** After a room's followers were told it went live, going live again within this sends no new notice. */
  goLiveNotifyCooldownMinutes: number;
  /** Viewer chat limit: at most this many messages per sender per room per window. */
  chatRateLimitMessages: number;
  chatRateLimitWindowSeconds: number;
  /** All guests of one network (IPv4 address or IPv6 /64) together: messages per room per chat window. */
  chatGuestMessagesPerNetwork: number;
  /** Most transcript lines a history request without limit/before_floor returns (the latest ones). */
  transcriptFullCap: number;
  payments: PaymentsConfig;
  /** Share of every VIP payment and subscription (whole percent, rounded down) kept by the platform. */
  platformFeePercent: number;
  /** How long a payment's Idempotency-Key is remembered; older records are pruned hourly. */
  idempotencyRetentionHours: number;
  /** Subscription price in diamonds for anchors who have not set their own. */
  subscriptionPrice: number;
  /** What viewers can send in a room, in the order the gift panel shows them. */
  gifts: GiftDefinition[];
  /** Where a leaderboard's "today" starts: minutes east of UTC (480: midnight in China). */
  leaderboardUtcOffsetMinutes: number;
  realtime: RealtimeConfig;
  /** The built viewer web app (`npm run build`), served at `/`. */
  webDistDir: string;
  /** The SillyTavern extension's folder, served as a git repository for SillyTavern's installer. */
  bridgeExtensionDir: string;
  /** "Sign in with Google" (OpenID Connect); off when the client id and secret are unset. */
  google: GoogleSignInConfig;
}

export interface GoogleSignInConfig {
  clientId: string;
  clientSecret: string;
  /** The OpenID issuer; Google's own unless a test points it at a local provider. */
  issuerUrl: string;
}

export const GOOGLE_ISSUER_URL = 'https://accounts.google.com';

/** Google sign-in needs both halves of the client credentials; one without the other is a mistake. */
function googleConfig(env: Env): GoogleSignInConfig {
  const clientId = str(env, 'GOOGLE_CLIENT_ID', '');
  const clientSecret = str(env, 'GOOGLE_CLIENT_SECRET', '');
  if ((clientId === '') !== (clientSecret === '')) {
    throw new Error('GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET go together: set both to offer Google sign-in, or neither');
  }
  const issuerUrl = str(env, 'GOOGLE_ISSUER_URL', GOOGLE_ISSUER_URL).replace(/\/+$/, '');
  try {
    new URL(issuerUrl);
  } catch {
    throw new Error(`Invalid GOOGLE_ISSUER_URL: "${issuerUrl}"`);
  }
  return { clientId, clientSecret, issuerUrl };
}

/** True when the viewer sign-in dialog offers Google. */
export function googleSignInEnabled(google: GoogleSignInConfig): boolean {
  return google.clientId !== '' && google.clientSecret !== '';
}

export interface RealtimeConfig {
  /** Largest client frame accepted; bigger ones close the socket (1009). */
  maxPayloadBytes: number;
  /** Outgoing bytes a connection may have queued before it is dropped as too slow (close 4008). */
  maxBufferedBytes: number;
  pingIntervalMs: number;
  /** A socket sent nothing for this long gets a `heartbeat` frame (so at least one frame every 2× this). */
  heartbeatMs: number;
  /** Client frames allowed per connection per window; more get an error, twice as many close the socket. */
  inboundMaxMessages: number;
  inboundWindowMs: number;
  maxConnectionsPerIp: number;
  /** Least time between two `live_num` frames for one room. */
  liveNumIntervalMs: number;
  /**
   * Batch-mode sockets: a room's events arriving within this many ms go out as one frame (0: those
   * arriving in the same event-loop turn). Under load a flush takes longer, so more events share it.
   */
  coalesceMs: number;
  /** A Redis presence heartbeat older than this no longer counts (crashed instance). */
  presenceTtlMs: number;
  /** How often the event bus checks its Redis subscription with a round trip on the control channel. */
  busHeartbeatMs: number;
}

/** Crypto recharge settings (see the payments section of .env.example). */
export interface PaymentsConfig {
  /** Recharge packages: USD price (decimal string) -> diamonds. */
  packages: Array<{ cryptoAmount: string; coinNum: number }>;
  payCurrency: string;
  maxOpenOrders: number;
  orderTtlHours: number;
  /** Provider status at which diamonds are credited. */
  creditOn: 'finished' | 'confirmed';
  /** Empty = the simulated provider. */
  nowpaymentsApiKey: string;
  /** Empty only in simulated mode, where a secret derived from COOKIE_SECRET signs the simulated IPNs. */
  ipnSecret: string;
  nowpaymentsBaseUrl: string;
  providerTimeoutMs: number;
  reconcileIntervalSeconds: number;
}

export interface GiftDefinition {
  /** Stable id clients send (lowercase letters, digits, `_`). */
  id: string;
  label_zh: string;
  label_en: string;
  /** Diamonds per gift. */
  price: number;
  /** Short code of an emoji in the web app's own set (web/src/shared/emoji/emoji-set.ts). */
  icon: string;
}

/** From 1 to 1,000 diamonds, each with an icon the web app already ships. */
export const DEFAULT_GIFTS: readonly GiftDefinition[] = [
  { id: 'heart', label_zh: '比心', label_en: 'Heart', price: 1, icon: 'heart' },
  { id: 'rose', label_zh: '玫瑰', label_en: 'Rose', price: 5, icon: 'rose' },
  { id: 'coffee', label_zh: '咖啡', label_en: 'Coffee', price: 10, icon: 'coffee' },
  { id: 'lollipop', label_zh: '棒棒糖', label_en: 'Lollipop', price: 20, icon: 'lollipop' },
  { id: 'star', label_zh: '星星', label_en: 'Star', price: 52, icon: 'star' },
  { id: 'fire', label_zh: '火力全开', label_en: 'On fire', price: 99, icon: 'fire' },
  { id: 'party', label_zh: '庆典', label_en: 'Party', price: 188, icon: 'tada' },
  { id: 'sparkles', label_zh: '星光闪耀', label_en: 'Stardust', price: 520, icon: 'sparkles' },
  { id: 'hundred', label_zh: '满分', label_en: 'Perfect 100', price: 1000, icon: '100' },
];

const MAX_GIFT_PRICE = 1_000_000;
const MAX_GIFTS = 60;

/** GIFTS_FILE: a JSON array of gift definitions replacing the defaults; checked at start-up. */
export function parseGiftCatalogue(json: string, source: string): GiftDefinition[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    throw new Error(`Invalid ${source}: not JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > MAX_GIFTS) {
    throw new Error(`Invalid ${source}: expected an array of 1 to ${MAX_GIFTS} gifts`);
  }
  const ids = new Set<string>();
  return parsed.map((entry: unknown, index) => {
    const gift = (entry ?? {}) as Record<string, unknown>;
    const text = (key: string, max: number) => {
      const value = gift[key];
      if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
        throw new Error(`Invalid ${source}: gift ${index} needs ${key} (1-${max} characters)`);
      }
      return value.trim();
    };
    const id = text('id', 32);
    if (!/^[a-z0-9_]+$/.test(id)) throw new Error(`Invalid ${source}: gift id "${id}" must use a-z, 0-9 and _`);
    if (ids.has(id)) throw new Error(`Invalid ${source}: gift id "${id}" appears twice`);
    ids.add(id);
    const price = gift.price;
    if (typeof price !== 'number' || !Number.isSafeInteger(price) || price < 1 || price > MAX_GIFT_PRICE) {
      throw new Error(`Invalid ${source}: gift "${id}" needs a whole price from 1 to ${MAX_GIFT_PRICE}`);
    }
    return { id, label_zh: text('label_zh', 40), label_en: text('label_en', 40), price, icon: text('icon', 40) };
  });
}

function giftCatalogue(env: Env): GiftDefinition[] {
  const file = str(env, 'GIFTS_FILE', '');
  if (file === '') return DEFAULT_GIFTS.map((gift) => ({ ...gift }));
  let json: string;
  try {
    json = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`Invalid GIFTS_FILE: cannot read "${file}" (${(err as Error).message})`);
  }
  return parseGiftCatalogue(json, `GIFTS_FILE ${file}`);
}

export type TrustProxy = false | { hops: number } | { addresses: string[] };

export const NOWPAYMENTS_BASE_URL = 'https://api.nowpayments.io';
export const NOWPAYMENTS_SANDBOX_BASE_URL = 'https://api-sandbox.nowpayments.io';

type Env = Record<string, string | undefined>;

function str(env: Env, name: string, fallback: string): string {
  const value = env[name];
  return value === undefined || value === '' ? fallback : value;
}

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`Invalid ${name}: expected an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

function percent(env: Env, name: string, fallback: number): number {
  const value = int(env, name, fallback);
  if (value > 100) throw new Error(`Invalid ${name}: expected 0-100, got "${env[name]}"`);
  return value;
}

function utcOffset(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < -720 || value > 840) {
    throw new Error(`Invalid ${name}: expected whole minutes from -720 to 840, got "${raw}"`);
  }
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new Error(`Invalid ${name}: expected true or false, got "${raw}"`);
}

function list(env: Env, name: string): string[] {
  return str(env, name, '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Named ranges understood by Fastify's proxy-addr, besides addresses and CIDRs. */
const TRUST_PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (TRUST_PROXY_RANGES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (family === 4 && isIP(prefix) === 4) return true; // netmask notation, 10.0.0.0/255.0.0.0
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function trustProxy(env: Env): TrustProxy {
  const raw = str(env, 'TRUST_PROXY', '').trim();
  if (raw === '' || /^(false|no|none|0)$/i.test(raw)) return false;
  if (/^\d+$/.test(raw)) return { hops: Number(raw) };
  const entries = raw.split(',').map((entry) => entry.trim()).filter(Boolean);
  const invalid = entries.find((entry) => !isAddressOrRange(entry));
  if (invalid !== undefined) {
    throw new Error(
      `Invalid TRUST_PROXY entry "${invalid}": expected a hop count, or the addresses / CIDR ranges of your ` +
        'proxies (e.g. 127.0.0.1,10.0.0.0/8); trusting every sender is not offered: any client could choose its own IP',
    );
  }
  return { addresses: entries };
}

function rechargePackages(env: Env): PaymentsConfig['packages'] {
  const raw = str(env, 'RECHARGE_PACKAGES', '12:60,20:100,100:550');
  const packages = raw.split(',').map((item) => {
    const match = /^\s*(\d{1,9}(?:\.\d{1,8})?)\s*:\s*(\d{1,9})\s*$/.exec(item);
    if (!match || Number(match[2]) <= 0 || Number(match[1]) <= 0) {
      throw new Error(`Invalid RECHARGE_PACKAGES entry "${item}": expected <usd>:<diamonds>, e.g. 12:60`);
    }
    return { cryptoAmount: normaliseDecimal(match[1]!), coinNum: Number(match[2]) };
  });
  if (new Set(packages.map((p) => p.cryptoAmount)).size !== packages.length) {
    throw new Error('Invalid RECHARGE_PACKAGES: duplicate amounts');
  }
  return packages;
}

function paymentsConfig(env: Env): PaymentsConfig {
  const apiKey = str(env, 'NOWPAYMENTS_API_KEY', '');
  const ipnSecret = str(env, 'NOWPAYMENTS_IPN_SECRET', '');
  if (apiKey && !ipnSecret) {
    throw new Error('NOWPAYMENTS_IPN_SECRET is required with NOWPAYMENTS_API_KEY: unsigned callbacks cannot be trusted');
  }
  const creditOn = str(env, 'CREDIT_ON', 'finished');
  if (creditOn !== 'finished' && creditOn !== 'confirmed') {
    throw new Error(`Invalid CREDIT_ON: expected finished or confirmed, got "${creditOn}"`);
  }
  const sandbox = bool(env, 'NOWPAYMENTS_SANDBOX', false);
  return {
    packages: rechargePackages(env),
    payCurrency: str(env, 'PAY_CURRENCY', 'usdttrc20').toLowerCase(),
    maxOpenOrders: int(env, 'MAX_OPEN_ORDERS', 5, 1),
    orderTtlHours: int(env, 'ORDER_TTL_HOURS', 24, 1),
    creditOn,
    nowpaymentsApiKey: apiKey,
    ipnSecret,
    nowpaymentsBaseUrl: str(env, 'NOWPAYMENTS_BASE_URL', sandbox ? NOWPAYMENTS_SANDBOX_BASE_URL : NOWPAYMENTS_BASE_URL).replace(
      /\/+$/,
      '',
    ),
    providerTimeoutMs: int(env, 'NOWPAYMENTS_TIMEOUT_MS', 10_000, 1),
    reconcileIntervalSeconds: int(env, 'PAYMENT_RECONCILE_INTERVAL_SECONDS', 60, 1),
  };
}

export function loadConfig(env: Env = process.env): Config {
  const port = int(env, 'PORT', 8080);
  const databaseUrl = str(env, 'DATABASE_URL', '');
  const secretFromEnv = str(env, 'COOKIE_SECRET', '');
  const publicUrl = str(env, 'PUBLIC_URL', `http://localhost:${port}`).replace(/\/+$/, '');
  try {
    new URL(publicUrl);
  } catch {
    throw new Error(`Invalid PUBLIC_URL: "${publicUrl}"`);
  }
  return {
    port,
    host: str(env, 'HOST', '0.0.0.0'),
    trustProxy: trustProxy(env),
    publicUrl,
    allowedOrigins: list(env, 'ALLOWED_ORIGINS'),
    databaseUrl,
    pgPreparedStatements: bool(env, 'DATABASE_PREPARED_STATEMENTS', true),
    sqlitePath: str(env, 'SQLITE_PATH', './data/pecktra.db'),
    redisUrl: str(env, 'REDIS_URL', ''),
    redisPrefix: str(env, 'REDIS_PREFIX', 'pecktra:'),
    // Without a configured secret guests get new names after a restart; fine for a laptop, not for a cluster.
    cookieSecret: secretFromEnv || randomBytes(32).toString('base64url'),
    cookieSecretIsEphemeral: secretFromEnv === '',
    cookieSecure: bool(env, 'COOKIE_SECURE', false),
    sessionTtlDays: int(env, 'SESSION_TTL_DAYS', 30, 1),
    operatorSessionTtlMinutes: int(env, 'OPERATOR_SESSION_TTL_MINUTES', 60, 1),
    operatorReauthMinutes: int(env, 'OPERATOR_REAUTH_MINUTES', 5, 1),
    reportMaxPerWindow: int(env, 'REPORT_MAX_PER_WINDOW', 10, 1),
    reportWindowSeconds: int(env, 'REPORT_WINDOW_SECONDS', 60 * 60, 1),
    demoData: bool(env, 'DEMO_DATA', databaseUrl === ''),
    logLevel: str(env, 'LOG_LEVEL', 'info'),
    logRequests: bool(env, 'LOG_REQUESTS', false),
    metricsToken: str(env, 'METRICS_TOKEN', ''),
    loginMaxFailures: int(env, 'LOGIN_MAX_FAILURES', 10, 1),
    loginWindowSeconds: int(env, 'LOGIN_WINDOW_SECONDS', 15 * 60, 1),
    loginMaxAttemptsPerOrigin: int(env, 'LOGIN_MAX_ATTEMPTS_PER_ORIGIN', 100, 1),
    loginSlowdownMaxMs: int(env, 'LOGIN_SLOWDOWN_MAX_MS', 10_000),
    registerMaxPerOrigin: int(env, 'REGISTER_MAX_PER_ORIGIN', 10, 1),
    registerWindowSeconds: int(env, 'REGISTER_WINDOW_SECONDS', 60 * 60, 1),
    passwordHashCost: int(env, 'PASSWORD_HASH_COST', DEFAULT_HASH_COST, 10),
    passwordHashConcurrency: int(env, 'PASSWORD_HASH_CONCURRENCY', 2, 1),
    passwordHashMaxWaiting: int(env, 'PASSWORD_HASH_MAX_WAITING', 100, 0),
    liveIdleMinutes: int(env, 'LIVE_IDLE_MINUTES', 120, 1),
    maxRoomsPerAnchor: int(env, 'MAX_ROOMS_PER_ANCHOR', 1000, 1),
    goLiveNotifyCooldownMinutes: int(env, 'GO_LIVE_NOTIFY_COOLDOWN_MINUTES', 10, 0),
    chatRateLimitMessages: int(env, 'CHAT_RATE_LIMIT_MESSAGES', 5, 1),
    chatRateLimitWindowSeconds: int(env, 'CHAT_RATE_LIMIT_WINDOW_SECONDS', 10, 1),
    chatGuestMessagesPerNetwork: int(env, 'CHAT_GUEST_MESSAGES_PER_NETWORK', 10, 1),
    transcriptFullCap: int(env, 'TRANSCRIPT_FULL_CAP', 10_000, 1),
    payments: paymentsConfig(env),
    platformFeePercent: percent(env, 'PLATFORM_FEE_PERCENT', 0),
    subscriptionPrice: int(env, 'SUBSCRIPTION_PRICE', 100),
    idempotencyRetentionHours: int(env, 'IDEMPOTENCY_RETENTION_HOURS', 24, 1),
    gifts: giftCatalogue(env),
    leaderboardUtcOffsetMinutes: utcOffset(env, 'LEADERBOARD_UTC_OFFSET_MINUTES', 480),
    realtime: {
      maxPayloadBytes: int(env, 'WS_MAX_PAYLOAD_BYTES', 16 * 1024, 1024),
      maxBufferedBytes: int(env, 'WS_MAX_BUFFERED_BYTES', 1024 * 1024, 1024),
      pingIntervalMs: int(env, 'WS_PING_INTERVAL_MS', 25_000, 10),
      heartbeatMs: int(env, 'WS_HEARTBEAT_MS', 2_500, 10),
      inboundMaxMessages: int(env, 'WS_INBOUND_MAX_MESSAGES', 20, 1),
      inboundWindowMs: int(env, 'WS_INBOUND_WINDOW_MS', 10_000, 10),
      maxConnectionsPerIp: int(env, 'WS_MAX_CONNECTIONS_PER_IP', 50, 1),
      liveNumIntervalMs: int(env, 'LIVE_NUM_INTERVAL_MS', 1_000, 10),
      coalesceMs: int(env, 'REALTIME_COALESCE_MS', 5, 0),
      presenceTtlMs: int(env, 'PRESENCE_TTL_MS', 15_000, 300),
      busHeartbeatMs: int(env, 'BUS_HEARTBEAT_MS', 2_000, 50),
    },
    webDistDir: str(env, 'WEB_DIST_DIR', './web/dist'),
    bridgeExtensionDir: str(env, 'BRIDGE_EXTENSION_DIR', './extensions/sillytavern'),
    google: googleConfig(env),
  };
}
