/**
 * Viewer and anchor accounts: registration, password login with brute-force limits, cookie sessions
 * and anchor bearer tokens. No HTTP here; routes.ts translates.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { randomInt } from 'node:crypto';
import { hashToken, newId, newSecretToken } from '../db/ids.js';
import { transactional, type Executor, type TransactionRunner } from '../db/transaction.js';
import { isUniqueViolation } from '../db/errors.js';
import { clientNetwork } from '../http/client-network.js';
import { AppError, badRequest, conflict, forbidden, notFound, tooManyRequests, unauthorized } from '../http/errors.js';
import { consume, type RateLimiter } from '../infra/rate-limiter.js';
import { ReadThroughCache } from '../infra/read-through-cache.js';
import { PasswordHasher } from '../infra/password.js';
import { SemaphoreFullError } from '../infra/semaphore.js';
import { walletBalance } from '../wallet/index.js';
import { GUEST_UNAME } from './guests.js';
import { mapSessionUser, mapUserInfo } from './mappers.js';
import { AnchorTokens, LOGIN_TOKEN_NAME, type AnchorTokenUser } from './anchor-tokens.js';
import { AccountsRepository } from './repository.js';
import type { VerifiedIdentity } from './google-sign-in.js';
import type { LinkedIdentities, UserInfo } from './schemas.js';

const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE_MS;
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
  /** Set while an operator's ban holds: the account reads, but cannot chat, pay or stream (assertNotBanned). */
  ban?: { reason: string };
  /** Set on an operator console sign-in of an account that holds the role: what the `operator` routes need. */
  operatorSession?: { tokenHash: string; expiresAt: number };
}

/** Who is making a request: a logged-in user or a guest known only by a per-browser name. */
export type Viewer = { kind: 'user'; user: SessionUser } | { kind: 'guest'; guestName: string };

/** A user's wallet balance (consumer-owned port; the wallet's CachedBalances implements it). */
export interface BalanceReader {
  balance(userId: string): Promise<number>;
}

export interface AccountsOptions {
  sessionTtlDays: number;
  loginMaxFailures: number;
  loginWindowSeconds: number;
  loginMaxAttemptsPerOrigin: number;
  loginSlowdownMaxMs: number;
  registerMaxPerOrigin: number;
  registerWindowSeconds: number;
  passwordHashCost: number;
  passwordHashConcurrency: number;
  passwordHashMaxWaiting: number;
  /** Defaults: 60 and 5, as in the config. */
  operatorSessionTtlMinutes?: number;
  operatorReauthMinutes?: number;
  clock?: () => number;
  /** Without one, every user_info reads the ledger. */
  balances?: BalanceReader;
  /** Tests may replace the wait that slows down a targeted username. */
  sleep?: (ms: number) => Promise<void>;
}

/** First step of the slowdown of a targeted username; each further failure doubles it, up to loginSlowdownMaxMs. */
const LOGIN_SLOWDOWN_BASE_MS = 250;

export interface ResolvedSession {
  user: SessionUser;
  /** Set when the sliding expiry moved and the cookie should be re-sent. */
  renewedExpiresAt?: number;
}

type SessionRow = NonNullable<Awaited<ReturnType<AccountsRepository['findSessionUser']>>>;

/**
 * Another feature's part of deleting an account (anonymising its chat messages, dropping its block
 * list), run inside the deletion's transaction: the feature owning the data registers it.
 */
export type AccountDeletionStep = (executor: Executor, userId: string) => Promise<void>;

/** Another feature's part of a rename (re-indexing what it shows the name in), inside the rename's transaction. */
export type AccountRenameStep = (executor: Executor, userId: string, username: string) => Promise<void>;

/** Tries at a free generated username before giving up (each try is a fresh random suffix). */
const GENERATED_USERNAME_TRIES = 8;

/** What a deleted account's chat messages show instead of its name; nobody can register it. */
export const DELETED_ACCOUNT_NAME = '已注销用户';

const repositories = (executor: Executor) => ({ accounts: new AccountsRepository(executor) });

export class AccountsService {
  private readonly repo: AccountsRepository;
  private readonly clock: () => number;
  private readonly sessions: ReadThroughCache<SessionRow>;
  private readonly bans: ReadThroughCache<{ reason: string | null }>;
  private readonly passwords: PasswordHasher;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly inTransaction: TransactionRunner<ReturnType<typeof repositories>>;
  private readonly deletionSteps: AccountDeletionStep[] = [];
  private readonly renameSteps: AccountRenameStep[] = [];
  /** The anchor's API tokens (devices): issued here at login, managed through the tokens routes. */
  readonly tokens: AnchorTokens;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly rateLimiter: RateLimiter,
    private readonly options: AccountsOptions,
  ) {
    this.repo = new AccountsRepository(db);
    this.inTransaction = transactional(db, repositories);
    this.clock = options.clock ?? Date.now;
    this.passwords = new PasswordHasher(options.passwordHashCost, {
      concurrency: options.passwordHashConcurrency,
      maxWaiting: options.passwordHashMaxWaiting,
    });
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.tokens = new AnchorTokens(this.repo, this.clock);
    this.sessions = new ReadThroughCache({ clock: this.clock, maxAgeMs: SESSION_CACHE_MAX_AGE_MS, maxEntries: SESSION_CACHE_ENTRIES });
    this.bans = new ReadThroughCache({ clock: this.clock, maxAgeMs: SESSION_CACHE_MAX_AGE_MS, maxEntries: SESSION_CACHE_ENTRIES });
  }

  get sessionTtlMs(): number {
    return this.options.sessionTtlDays * DAY_MS;
  }

  /** Creates an account; sign-ups count per network origin before any hashing work is done. */
  async register(username: string, password: string, ip: string, asAnchor = false): Promise<SessionUser> {
    const name = normaliseUsername(username);
    validatePassword(password);
    const limit = await consume(this.rateLimiter, `register:${clientNetwork(ip)}`, this.options.registerMaxPerOrigin, this.options.registerWindowSeconds);
    if (!limit.allowed) throw tooManyRequests('Too many sign-ups from your network, try again later', limit.retryAfterSeconds, 'too_many_registrations');
    const user = {
      id: newId(),
      username: name,
      username_key: usernameKey(name),
      password_hash: await this.passwordWork(() => this.passwords.hash(password)),
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
   * Checks a password login, following OWASP's advice: attempts count per network origin and per
   * (origin, username), and each count is taken before the password is checked, so N parallel
   * attempts run at most the limit's number of checks. A username attacked from many origins is
   * slowed down (a growing wait before each check) rather than locked: its owner still gets in.
   */
  async authenticate(username: string, password: string, ip: string): Promise<SessionUser> {
    const key = usernameKey(typeof username === 'string' ? username.trim() : '');
    const network = clientNetwork(ip);
    const { loginWindowSeconds: window } = this.options;
    const pairKey = `login:pair:${network}:${key}`;
    const userKey = `login:user:${key}`;
    for (const [limitKey, limit] of [
      [`login:origin:${network}`, this.options.loginMaxAttemptsPerOrigin],
      [pairKey, this.options.loginMaxFailures],
    ] as const) {
      const { allowed, retryAfterSeconds } = await consume(this.rateLimiter, limitKey, limit, window);
      if (!allowed) throw tooManyRequests('Too many failed logins, try again later', retryAfterSeconds, 'too_many_attempts');
    }
    const { count: attemptsOnUsername } = await this.rateLimiter.increment(userKey, window);
    const delay = this.slowdownMs(attemptsOnUsername);
    if (delay > 0) await this.sleep(delay);
    const row = await this.repo.findUserByUsernameKey(key);
    const live = row && row.deleted_at === null ? row : undefined;
    const ok = await this.passwordWork(() => this.passwords.verify(password, live?.password_hash));
    if (!live || !ok) throw unauthorized('Wrong username or password', 'invalid_credentials');
    await Promise.all([this.rateLimiter.reset(pairKey), this.rateLimiter.reset(userKey)]);
    return mapSessionUser(live);
  }

  /**
   * Checks the signed-in user's own password before a change to the account. Attempts count per
   * account under the login limit, so a borrowed session cannot guess it faster than a login could.
   */
  private async confirmPassword(user: SessionUser, password: string): Promise<void> {
    const limit = await consume(this.rateLimiter, `confirm:${user.id}`, this.options.loginMaxFailures, this.options.loginWindowSeconds);
    if (!limit.allowed) throw tooManyRequests('Too many wrong passwords, try again later', limit.retryAfterSeconds, 'too_many_attempts');
    const row = await this.repo.findUserById(user.id);
    const ok = await this.passwordWork(() => this.passwords.verify(password, row?.deleted_at === null ? row.password_hash : undefined));
    if (!row || row.deleted_at !== null || !ok) throw forbidden('wrong_password', 'The current password is wrong');
    await this.rateLimiter.reset(`confirm:${user.id}`);
  }

  /** A new password (the current one required); every other session of the account ends. */
  async changePassword(user: SessionUser, currentPassword: string, newPassword: string, currentSessionToken: string): Promise<void> {
    validatePassword(newPassword);
    // An account made by Google sign-in has no password yet: its first one needs none.
    if (await this.hasPassword(user)) await this.confirmPassword(user, currentPassword);
    const hash = await this.passwordWork(() => this.passwords.hash(newPassword));
    const ended = await this.inTransaction(async ({ accounts }) => {
      await accounts.setPasswordHash(user.id, hash);
      return accounts.deleteSessionsOf(user.id, hashToken(currentSessionToken));
    });
    for (const tokenHash of ended) this.sessions.invalidate(tokenHash);
  }

  /**
   * A new username, which is the name the account shows (and signs in with), under the same rules as
   * at registration. Chat messages already written keep the name they were written under.
   */
  async rename(user: SessionUser, username: string, currentSessionToken: string): Promise<SessionUser> {
    const name = normaliseUsername(username);
    try {
      await this.inTransaction(async ({ accounts, trx }) => {
        await accounts.rename(user.id, name, usernameKey(name));
        for (const step of this.renameSteps) await step(trx, user.id, name);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('username_taken', 'This username is already taken');
      throw err;
    }
    // The session cache holds the name; the account's other sessions see it within the cache's second.
    this.sessions.invalidate(hashToken(currentSessionToken));
    return { ...user, username: name };
  }

  addDeletionStep(step: AccountDeletionStep): void {
    this.deletionSteps.push(step);
  }

  addRenameStep(step: AccountRenameStep): void {
    this.renameSteps.push(step);
  }

  /**
   * Deletes a viewer account (the password required). Nothing that accounting or other viewers rely
   * on is destroyed: the row stays, marked deleted, so its ledger history and balance stay intact
   * and its username can never be taken again; sign-in becomes impossible and every session ends;
   * the other features' steps run in the same transaction (chat messages go anonymous).
   */
  async deleteAccount(user: SessionUser, password: string): Promise<void> {
    if (user.isAnchor) {
      throw conflict('anchor_account', 'Anchor accounts cannot be deleted here: their rooms are public broadcasts; ask an operator');
    }
    if (await this.hasPassword(user)) await this.confirmPassword(user, password);
    const ended = await this.inTransaction(async ({ accounts, trx }) => {
      await accounts.markDeleted(user.id, this.clock());
      await accounts.deleteAnchorTokensOf(user.id);
      // The Google account may sign up afresh later; it never reaches the deleted one.
      await accounts.deleteIdentitiesOf(user.id);
      for (const step of this.deletionSteps) await step(trx, user.id);
      return accounts.deleteSessionsOf(user.id);
    });
    for (const tokenHash of ended) this.sessions.invalidate(tokenHash);
  }

  private async hasPassword(user: SessionUser): Promise<boolean> {
    const row = await this.repo.findUserById(user.id);
    return row?.password_hash !== '';
  }

  // ---- OpenID identities (Google sign-in) ----------------------------------------------------

  /**
   * Signs in with a verified identity: the account it is linked to, or on its first sign-in a new
   * account with a generated username (changeable later) and no password. An account is never found
   * by e-mail: a password account gets Google only by linking it while signed in.
   */
  async signInWithIdentity(identity: VerifiedIdentity, ip: string): Promise<SessionUser> {
    const linked = await this.repo.findIdentityUser(identity.issuer, identity.subject);
    if (linked) return mapSessionUser(linked);
    const limit = await consume(this.rateLimiter, `register:${clientNetwork(ip)}`, this.options.registerMaxPerOrigin, this.options.registerWindowSeconds);
    if (!limit.allowed) throw tooManyRequests('Too many sign-ups from your network, try again later', limit.retryAfterSeconds, 'too_many_registrations');
    const base = usernameBase(identity.name);
    for (let attempt = 0; attempt < GENERATED_USERNAME_TRIES; attempt++) {
      const username = `${base}_${randomSuffix(attempt < 4 ? 4 : 8)}`;
      const now = this.clock();
      const user = { id: newId(), username, username_key: usernameKey(username), password_hash: '', is_anchor: 0, created_at: now };
      try {
        await this.inTransaction(async ({ accounts }) => {
          await accounts.insertUser(user);
          await accounts.insertIdentity({ issuer: identity.issuer, subject: identity.subject, user_id: user.id, email: identity.email, created_at: now });
        });
        return mapSessionUser(user);
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        // The same identity's first sign-in in another tab won the race: that account it is.
        const raced = await this.repo.findIdentityUser(identity.issuer, identity.subject);
        if (raced) return mapSessionUser(raced);
      }
    }
    throw new AppError(503, 'server_busy', 'Could not find a free username, try again in a moment', { retry_after: 1 });
  }

  /** Links a verified identity to the signed-in account, which must not have one from this provider. */
  async linkIdentity(user: SessionUser, identity: VerifiedIdentity): Promise<void> {
    const existing = await this.repo.findIdentity(identity.issuer, identity.subject);
    if (existing?.user_id === user.id) return;
    if (existing) throw conflict('google_account_in_use', 'This Google account already signs in to another account');
    try {
      await this.repo.insertIdentity({ issuer: identity.issuer, subject: identity.subject, user_id: user.id, email: identity.email, created_at: this.clock() });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const now = await this.repo.findIdentity(identity.issuer, identity.subject);
      if (now?.user_id === user.id) return;
      if (now) throw conflict('google_account_in_use', 'This Google account already signs in to another account');
      throw conflict('google_already_linked', 'This account is already linked to another Google account; unlink it first');
    }
  }

  /** How the account can sign in: whether it has a password, and its linked identities. */
  async linkedIdentities(user: SessionUser): Promise<LinkedIdentities> {
    const [hasPassword, rows] = await Promise.all([this.hasPassword(user), this.repo.listIdentities(user.id)]);
    return {
      has_password: hasPassword,
      // Google is the one provider offered, whatever issuer URL it is configured with.
      identities: rows.map((row) => ({ provider: 'google' as const, email: row.email, linked_at: Number(row.created_at) })),
    };
  }

  /** Unlinks the account's Google identity; an account without a password would be locked out, so it must set one first. */
  async unlinkIdentity(user: SessionUser, issuer: string): Promise<void> {
    if (!(await this.hasPassword(user))) {
      throw conflict('password_required', 'Set a password first: without Google or a password nobody could sign in to this account');
    }
    if (!(await this.repo.deleteIdentity(user.id, issuer))) throw notFound('not_linked', 'No Google account is linked');
  }

  private slowdownMs(attempts: number): number {
    const excess = attempts - this.options.loginMaxFailures;
    if (excess <= 0) return 0;
    return Math.min(this.options.loginSlowdownMaxMs, LOGIN_SLOWDOWN_BASE_MS * 2 ** Math.min(excess - 1, 20));
  }

  private async passwordWork<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof SemaphoreFullError) {
        throw new AppError(503, 'server_busy', 'The server is busy, try again in a moment', { retry_after: 1 });
      }
      throw err;
    }
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
    if (row.operator === 1) {
      // A console sign-in ends with the role, and is never renewed: it lasts OPERATOR_SESSION_TTL_MINUTES.
      if (row.is_operator !== 1) return undefined;
      user.operatorSession = { tokenHash, expiresAt: Number(row.expires_at) };
      return { user };
    }
    const fullExpiry = now + this.sessionTtlMs;
    if (fullExpiry - Number(row.expires_at) > DAY_MS) {
      await this.repo.extendSession(tokenHash, fullExpiry);
      this.sessions.invalidate(tokenHash);
      return { user, renewedExpiresAt: fullExpiry };
    }
    return { user };
  }

  // ---- operators ---------------------------------------------------------------------------------

  /** `npm run operator -- grant|revoke`: the role is never granted from the web. Revoking ends console sign-ins. */
  /**
   * Grants or revokes the role; `audit` writes the change's entry in the same transaction, so the
   * role cannot change without one.
   */
  async setOperatorRole(
    username: string,
    granted: boolean,
    audit: (executor: Executor, change: { user: SessionUser; wasOperator: boolean; sessionsEnded: number }) => Promise<void>,
  ): Promise<SessionUser> {
    const { user, ended } = await this.inTransaction(async ({ accounts, trx }) => {
      const row = await accounts.findUserByUsernameKey(usernameKey(username.trim()));
      if (!row || row.deleted_at !== null) throw notFound('user_not_found', `No account named "${username}"`);
      await accounts.setOperatorRole(row.id, granted);
      const ended = granted ? [] : await accounts.deleteOperatorSessionsOf(row.id);
      const user = mapSessionUser(row);
      await audit(trx, { user, wasOperator: row.is_operator === 1, sessionsEnded: ended.length });
      return { user, ended };
    });
    for (const tokenHash of ended) this.sessions.invalidate(tokenHash);
    return user;
  }

  /** A password sign-in to the console: the account must hold the operator role. */
  async authenticateOperator(username: string, password: string, ip: string): Promise<SessionUser> {
    const user = await this.authenticate(username, password, ip);
    const row = await this.repo.findUserById(user.id);
    if (row?.is_operator !== 1) throw unauthorized('This account is not an operator account', 'not_an_operator');
    return user;
  }

  /** A short console session; signing in counts as entering the password for sensitive actions. */
  async createOperatorSession(userId: string): Promise<{ token: string; expiresAt: number; reauthUntil: number }> {
    const token = newSecretToken();
    const now = this.clock();
    const expiresAt = now + (this.options.operatorSessionTtlMinutes ?? 60) * MINUTE_MS;
    await this.repo.insertSession({ token_hash: hashToken(token), user_id: userId, created_at: now, expires_at: expiresAt, operator: 1, reauth_at: now });
    return { token, expiresAt, reauthUntil: now + this.reauthMs };
  }

  /** The operator enters the password again; sensitive actions are open for OPERATOR_REAUTH_MINUTES. */
  async reauthenticate(operator: SessionUser, password: string): Promise<number> {
    const session = requireOperatorSession(operator);
    await this.confirmPassword(operator, password);
    const now = this.clock();
    await this.repo.setReauth(session.tokenHash, now);
    return now + this.reauthMs;
  }

  /** Until when (ms) this console session may do sensitive actions without the password; read fresh, never cached. */
  async reauthUntil(operator: SessionUser): Promise<number> {
    const session = await this.repo.findSession(requireOperatorSession(operator).tokenHash);
    return session?.reauth_at === null || session?.reauth_at === undefined ? 0 : Number(session.reauth_at) + this.reauthMs;
  }

  /** 403 `reauth_required` unless the password was entered on this console session within OPERATOR_REAUTH_MINUTES. */
  async assertRecentReauth(operator: SessionUser): Promise<void> {
    if ((await this.reauthUntil(operator)) <= this.clock()) {
      throw new AppError(403, 'reauth_required', 'Enter your password again for this action', { reauth_minutes: this.options.operatorReauthMinutes ?? 5 });
    }
  }

  private get reauthMs(): number {
    return (this.options.operatorReauthMinutes ?? 5) * MINUTE_MS;
  }

  /** Accounts by name prefix or exact uid, for the console. */
  searchUsers(query: string, limit: number) {
    return this.repo.searchUsers(query.trim(), limit);
  }

  /** An account with its sessions and anchor tokens (never their secrets), or 404. */
  async accountDetail(userId: string) {
    const row = await this.repo.findUserById(userId);
    if (!row) throw notFound('user_not_found', `No user ${userId}`);
    const [sessions, tokens] = await Promise.all([this.repo.listSessionsOf(userId), this.repo.listAnchorTokens(userId)]);
    const now = this.clock();
    return {
      row,
      sessions: sessions.filter((session) => Number(session.expires_at) > now),
      tokens,
    };
  }

  /**
   * Bans inside the caller's transaction (the operator's audit entry commits with it): every
   * session and anchor token of the account ends. Call `afterCommit` once the transaction is done.
   */
  async banWithin(executor: Executor, userId: string, reason: string, now: number) {
    const accounts = new AccountsRepository(executor);
    const row = await accounts.findUserById(userId);
    if (!row || row.deleted_at !== null) throw notFound('user_not_found', `No user ${userId}`);
    if (row.banned_at !== null) throw conflict('already_banned', `${row.username} is already banned: ${row.ban_reason ?? ''}`);
    await accounts.setBan(userId, { at: now, reason });
    const ended = await accounts.deleteSessionsOf(userId);
    const tokensRevoked = await accounts.deleteAnchorTokensOf(userId);
    return {
      before: { banned: false },
      after: { banned: true, ban_reason: reason, sessions_ended: ended.length, tokens_revoked: tokensRevoked },
      afterCommit: () => {
        for (const tokenHash of ended) this.sessions.invalidate(tokenHash);
        this.bans.invalidate(userId);
      },
    };
  }

  /**
   * The account's ban now, for what a session resolved earlier cannot be trusted with (an open
   * WebSocket's posts): exact on this instance, at most a second late on another.
   */
  async currentBan(userId: string): Promise<{ reason: string } | undefined> {
    const state = await this.bans.get(userId, async () => {
      const row = await this.repo.findUserById(userId);
      return { reason: row && row.banned_at !== null ? (row.ban_reason ?? '') : null };
    });
    return state?.reason === null || state === undefined ? undefined : { reason: state.reason };
  }

  async unbanWithin(executor: Executor, userId: string) {
    const accounts = new AccountsRepository(executor);
    const row = await accounts.findUserById(userId);
    if (!row) throw notFound('user_not_found', `No user ${userId}`);
    if (row.banned_at === null) throw conflict('not_banned', `${row.username} is not banned`);
    await accounts.setBan(userId, null);
    return {
      before: { banned: true, ban_reason: row.ban_reason },
      after: { banned: false },
      afterCommit: () => this.bans.invalidate(userId),
    };
  }

  async endSession(token: string): Promise<void> {
    const tokenHash = hashToken(token);
    await this.repo.deleteSession(tokenHash);
    this.sessions.invalidate(tokenHash);
  }

  async userInfo(viewer: Viewer): Promise<UserInfo> {
    if (viewer.kind !== 'user') return mapUserInfo(viewer, 0);
    const userId = viewer.user.id;
    return mapUserInfo(viewer, await (this.options.balances ? this.options.balances.balance(userId) : walletBalance(this.db, userId)));
  }

  /**
   * Anchor sign-up creates a new account only. An existing username is 409 whatever the password:
   * registration never checks a password, so it cannot be used to guess one.
   */
  registerAnchor(username: string, password: string, ip: string): Promise<SessionUser> {
    return this.register(username, password, ip, true);
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

function requireOperatorSession(user: SessionUser): NonNullable<SessionUser['operatorSession']> {
  if (!user.operatorSession) throw forbidden('operator_required', 'This needs an operator sign-in (/admin)');
  return user.operatorSession;
}

/** Refuses what a banned account may not do (chat, pay, recharge, stream), saying why. */
export function assertNotBanned(user: SessionUser): void {
  if (user.ban) throw new AppError(403, 'banned', `Your account is banned: ${user.ban.reason}`, { reason: user.ban.reason });
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
  if (name.startsWith(DELETED_ACCOUNT_NAME)) throw badRequest('invalid_username', `Usernames may not start with ${DELETED_ACCOUNT_NAME}`);
  return name;
}

/** A username to start from: the provider's display name reduced to what usernames allow, else "viewer". */
function usernameBase(name: string | null): string {
  const cleaned = (name ?? '').normalize('NFKC').replace(/[^\p{L}\p{N}_]+/gu, '_').replace(/^_+|_+$/g, '');
  const base = [...cleaned].slice(0, 20).join('');
  if (base.length < 2 || base.startsWith(GUEST_UNAME) || base.startsWith(DELETED_ACCOUNT_NAME)) return 'viewer';
  return base;
}

const SUFFIX_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
function randomSuffix(length: number): string {
  let suffix = '';
  for (let i = 0; i < length; i++) suffix += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return suffix;
}

function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

function validatePassword(password: string): void {
  if (password.length < 8) throw badRequest('weak_password', 'Password must be at least 8 characters');
}
