/**
 * Viewer and anchor accounts: registration, password login with brute-force limits, cookie sessions
 * and anchor bearer tokens. No HTTP here; routes.ts translates.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { hashToken, newId, newSecretToken } from '../db/ids.js';
import { isUniqueViolation } from '../db/errors.js';
import { badRequest, conflict, tooManyRequests, unauthorized } from '../http/errors.js';
import type { RateLimiter } from '../infra/rate-limiter.js';
import { ReadThroughCache } from '../infra/read-through-cache.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../infra/password.js';
import { walletBalance } from '../wallet/index.js';
import { GUEST_UNAME } from './guests.js';
import { mapSessionUser, mapUserInfo } from './mappers.js';
import { AnchorTokens, LOGIN_TOKEN_NAME, type AnchorTokenUser } from './anchor-tokens.js';
import { AccountsRepository } from './repository.js';
import type { UserInfo } from './schemas.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const USERNAME_PATTERN = /^[\p{L}\p{N}_]{3,32}$/u;
/**
 * A page load sends several requests with the same cookie at once (user info, room, both histories);
 * they share one session lookup. Logging out drops the entry on this instance at once; another
 * instance may still accept the session for up to this long.
 */
const SESSION_CACHE_MAX_AGE_MS = 1000;
const SESSION_CACHE_ENTRIES = 10_000;

export interface SessionUser {
  id: string;
  username: string;
  isAnchor: boolean;
}

/** Who is making a request: a logged-in user or a guest known only by a per-browser name. */
export type Viewer = { kind: 'user'; user: SessionUser } | { kind: 'guest'; guestName: string };

export interface AccountsOptions {
  sessionTtlDays: number;
  loginMaxFailures: number;
  loginWindowSeconds: number;
  passwordHashCost: number;
  clock?: () => number;
}

export interface ResolvedSession {
  user: SessionUser;
  /** Set when the sliding expiry moved and the cookie should be re-sent. */
  renewedExpiresAt?: number;
}

type SessionRow = NonNullable<Awaited<ReturnType<AccountsRepository['findSessionUser']>>>;

export class AccountsService {
  private readonly repo: AccountsRepository;
  private readonly clock: () => number;
  private readonly sessions: ReadThroughCache<SessionRow>;
  /** The anchor's API tokens (devices): issued here at login, managed through the tokens routes. */
  readonly tokens: AnchorTokens;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly rateLimiter: RateLimiter,
    private readonly options: AccountsOptions,
  ) {
    this.repo = new AccountsRepository(db);
    this.clock = options.clock ?? Date.now;
    this.tokens = new AnchorTokens(this.repo, this.clock);
    this.sessions = new ReadThroughCache({ clock: this.clock, maxAgeMs: SESSION_CACHE_MAX_AGE_MS, maxEntries: SESSION_CACHE_ENTRIES });
  }

  get sessionTtlMs(): number {
    return this.options.sessionTtlDays * DAY_MS;
  }

  async register(username: string, password: string, asAnchor = false): Promise<SessionUser> {
    const name = normaliseUsername(username);
    validatePassword(password);
    const user = {
      id: newId(),
      username: name,
      username_key: usernameKey(name),
      password_hash: await hashPassword(password, this.options.passwordHashCost),
      is_anchor: asAnchor ? 1 : 0,
      created_at: this.clock(),
    };
    try {
      await this.repo.insertUser(user);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('username_taken', 'This username is already taken');
      throw err;
    }
    return { id: user.id, username: user.username, isAnchor: asAnchor };
  }

  /**
   * Checks a password login. Failures count per IP and per username; once either reaches the limit
   * further attempts are refused without checking the password, so guessing stays slow.
   */
  async authenticate(username: string, password: string, ip: string): Promise<SessionUser> {
    const key = usernameKey(typeof username === 'string' ? username.trim() : '');
    const limits = [`login:ip:${ip}`, `login:user:${key}`];
    for (const limitKey of limits) {
      const { count, resetInSeconds } = await this.rateLimiter.peek(limitKey);
      if (count >= this.options.loginMaxFailures) {
        throw tooManyRequests('Too many failed logins, try again later', resetInSeconds, 'too_many_attempts');
      }
    }
    const row = await this.repo.findUserByUsernameKey(key);
    const ok = await verifyPassword(password, row?.password_hash ?? (await dummyPasswordHash(this.options.passwordHashCost)));
    if (!row || !ok) {
      for (const limitKey of limits) await this.rateLimiter.increment(limitKey, this.options.loginWindowSeconds);
      throw unauthorized('Wrong username or password', 'invalid_credentials');
    }
    await this.rateLimiter.reset(`login:user:${key}`);
    return mapSessionUser(row);
  }

  async createSession(userId: string): Promise<{ token: string; expiresAt: number }> {
    const token = newSecretToken();
    const now = this.clock();
    const expiresAt = now + this.sessionTtlMs;
    await this.repo.insertSession({ token_hash: hashToken(token), user_id: userId, created_at: now, expires_at: expiresAt });
    return { token, expiresAt };
  }

  /** The user behind a session cookie; slides the expiry forward at most once a day. */
  async resolveSession(token: string): Promise<ResolvedSession | undefined> {
    const now = this.clock();
    const tokenHash = hashToken(token);
    const row = await this.sessions.get(tokenHash, () => this.repo.findSessionUser(tokenHash, now));
    // A cached row is re-checked: the session may have run out since it was read.
    if (!row || Number(row.expires_at) <= now) return undefined;
    const user = mapSessionUser(row);
    const fullExpiry = now + this.sessionTtlMs;
    if (fullExpiry - Number(row.expires_at) > DAY_MS) {
      await this.repo.extendSession(tokenHash, fullExpiry);
      this.sessions.invalidate(tokenHash);
      return { user, renewedExpiresAt: fullExpiry };
    }
    return { user };
  }

  async endSession(token: string): Promise<void> {
    const tokenHash = hashToken(token);
    await this.repo.deleteSession(tokenHash);
    this.sessions.invalidate(tokenHash);
  }

  async userInfo(viewer: Viewer): Promise<UserInfo> {
    return mapUserInfo(viewer, viewer.kind === 'user' ? await walletBalance(this.db, viewer.user.id) : 0);
  }

  /**
   * Anchor sign-up creates a new account only. An existing username is 409 whatever the password:
   * registration never checks a password, so it cannot be used to guess one.
   */
  registerAnchor(username: string, password: string): Promise<SessionUser> {
    return this.register(username, password, true);
  }

  /** A signed-in viewer makes their own account an anchor account as well (idempotent). */
  async becomeAnchor(user: SessionUser): Promise<SessionUser> {
    if (!user.isAnchor) await this.repo.markAnchor(user.id);
    return { ...user, isAnchor: true };
  }

  /** A fresh bearer token for the anchor API, named after what asked for it (a login by default). */
  async issueAnchorToken(user: SessionUser, name = LOGIN_TOKEN_NAME): Promise<string> {
    return (await this.tokens.issue(user, name)).secret;
  }

  resolveAnchorToken(token: string): Promise<AnchorTokenUser | undefined> {
    return this.tokens.resolve(token);
  }

  revokeAnchorToken(token: string): Promise<boolean> {
    return this.tokens.revokeSecret(token);
  }
}

function normaliseUsername(username: string): string {
  const name = username.normalize('NFKC').trim();
  if (!USERNAME_PATTERN.test(name)) {
    throw badRequest(
      'invalid_username',
      'Username must be 3-32 characters: letters (including Chinese), digits or underscore',
    );
  }
  if (name.startsWith(GUEST_UNAME)) throw badRequest('invalid_username', `Usernames may not start with ${GUEST_UNAME}`);
  return name;
}

function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

function validatePassword(password: string): void {
  if (password.length < 8) throw badRequest('weak_password', 'Password must be at least 8 characters');
}
