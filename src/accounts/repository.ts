import { sql, type Insertable, type Selectable } from 'kysely';
import type { AnchorTokensTable, LinkedIdentitiesTable, UsersTable } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';

export type UserRow = Selectable<UsersTable>;
export type AnchorTokenRow = Selectable<AnchorTokensTable>;
export type LinkedIdentityRow = Selectable<LinkedIdentitiesTable>;

export class AccountsRepository {
  constructor(private readonly db: Executor) {}

  findUserByUsernameKey(usernameKey: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('username_key', '=', usernameKey).executeTakeFirst();
  }

  findUserById(userId: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
  }

  async rename(userId: string, username: string, usernameKey: string): Promise<void> {
    await this.db.updateTable('users').set({ username, username_key: usernameKey }).where('id', '=', userId).execute();
  }

  /** Keeps the row (and so the username) but makes it impossible to sign in to. */
  async markDeleted(userId: string, now: number): Promise<void> {
    await this.db.updateTable('users').set({ deleted_at: now, password_hash: '' }).where('id', '=', userId).execute();
  }

  /** Ends every session of the user but `keepTokenHash`; returns the hashes of those ended. */
  async deleteSessionsOf(userId: string, keepTokenHash = ''): Promise<string[]> {
    const rows = await this.db
      .deleteFrom('sessions')
      .where('user_id', '=', userId)
      .where('token_hash', '!=', keepTokenHash)
      .returning('token_hash')
      .execute();
    return rows.map((row) => row.token_hash);
  }

  async insertUser(user: Insertable<UsersTable>): Promise<void> {
    await this.db.insertInto('users').values(user).execute();
  }

  async markAnchor(userId: string): Promise<void> {
    await this.db.updateTable('users').set({ is_anchor: 1 }).where('id', '=', userId).execute();
  }

  /** The live account an OpenID identity signs in to, if any. */
  findIdentityUser(issuer: string, subject: string) {
    return this.db
      .selectFrom('linked_identities')
      .innerJoin('users', 'users.id', 'linked_identities.user_id')
      .select(['users.id', 'users.username', 'users.is_anchor'])
      .where('linked_identities.issuer', '=', issuer)
      .where('linked_identities.subject', '=', subject)
      .where('users.deleted_at', 'is', null)
      .executeTakeFirst();
  }

  findIdentity(issuer: string, subject: string): Promise<LinkedIdentityRow | undefined> {
    return this.db.selectFrom('linked_identities').selectAll().where('issuer', '=', issuer).where('subject', '=', subject).executeTakeFirst();
  }

  async insertIdentity(identity: LinkedIdentityRow): Promise<void> {
    await this.db.insertInto('linked_identities').values(identity).execute();
  }

  listIdentities(userId: string): Promise<LinkedIdentityRow[]> {
    return this.db.selectFrom('linked_identities').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
  }

  async deleteIdentity(userId: string, issuer: string): Promise<boolean> {
    const result = await this.db.deleteFrom('linked_identities').where('user_id', '=', userId).where('issuer', '=', issuer).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async deleteIdentitiesOf(userId: string): Promise<void> {
    await this.db.deleteFrom('linked_identities').where('user_id', '=', userId).execute();
  }

  async insertSession(session: { token_hash: string; user_id: string; created_at: number; expires_at: number; operator?: number; reauth_at?: number | null }) {
    await this.db.insertInto('sessions').values(session).execute();
  }

  async setOperatorRole(userId: string, granted: boolean): Promise<void> {
    await this.db.updateTable('users').set({ is_operator: granted ? 1 : 0 }).where('id', '=', userId).execute();
  }

  /** Ends every operator sign-in of the user (the role was revoked). */
  async deleteOperatorSessionsOf(userId: string): Promise<string[]> {
    const rows = await this.db.deleteFrom('sessions').where('user_id', '=', userId).where('operator', '=', 1).returning('token_hash').execute();
    return rows.map((row) => row.token_hash);
  }

  async setReauth(tokenHash: string, now: number): Promise<void> {
    await this.db.updateTable('sessions').set({ reauth_at: now }).where('token_hash', '=', tokenHash).execute();
  }

  findSession(tokenHash: string) {
    return this.db.selectFrom('sessions').select(['user_id', 'operator', 'reauth_at', 'expires_at']).where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  async setBan(userId: string, ban: { at: number; reason: string } | null): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ banned_at: ban?.at ?? null, ban_reason: ban?.reason ?? null })
      .where('id', '=', userId)
      .execute();
  }

  /** Accounts whose name starts with `query` (case-insensitive), or whose uid is exactly it. */
  searchUsers(query: string, limit: number) {
    let select = this.db
      .selectFrom('users')
      .select(['id', 'username', 'is_anchor', 'is_operator', 'banned_at', 'ban_reason', 'deleted_at', 'created_at'])
      .orderBy('username_key')
      .limit(limit);
    if (query !== '') {
      const prefix = query.normalize('NFKC').toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
      select = select.where((eb) => eb.or([eb('id', '=', query), eb('username_key', 'like', sql<string>`${prefix + '%'} escape '\\'`)]));
    }
    return select.execute();
  }

  listSessionsOf(userId: string) {
    return this.db
      .selectFrom('sessions')
      .select(['created_at', 'expires_at', 'operator', 'token_hash'])
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .execute();
  }

  /** The session's user, if the session exists and has not expired. */
  findSessionUser(tokenHash: string, now: number) {
    return this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'users.id',
        'users.username',
        'users.is_anchor',
        'users.is_operator',
        'users.banned_at',
        'users.ban_reason',
        'sessions.expires_at',
        'sessions.operator',
        'sessions.reauth_at',
      ])
      .where('sessions.token_hash', '=', tokenHash)
      .where('sessions.expires_at', '>', now)
      .where('users.deleted_at', 'is', null)
      .executeTakeFirst();
  }

  async extendSession(tokenHash: string, expiresAt: number): Promise<void> {
    await this.db.updateTable('sessions').set({ expires_at: expiresAt }).where('token_hash', '=', tokenHash).execute();
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  async deleteExpiredSessions(now: number): Promise<void> {
    await this.db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  }

  async insertAnchorToken(token: AnchorTokenRow): Promise<void> {
    await this.db.insertInto('anchor_tokens').values(token).execute();
  }

  findAnchorByToken(tokenHash: string) {
    return this.db
      .selectFrom('anchor_tokens')
      .innerJoin('users', 'users.id', 'anchor_tokens.user_id')
      .select(['users.id', 'users.username', 'users.banned_at', 'users.ban_reason', 'anchor_tokens.id as token_id', 'anchor_tokens.last_used_at'])
      .where('anchor_tokens.token_hash', '=', tokenHash)
      .where('users.is_anchor', '=', 1)
      .where('users.deleted_at', 'is', null)
      .executeTakeFirst();
  }

  /** Records a use; the condition keeps concurrent requests on several instances to one write a minute. */
  async touchAnchorToken(tokenId: string, now: number, staleBefore: number): Promise<void> {
    await this.db
      .updateTable('anchor_tokens')
      .set({ last_used_at: now })
      .where('id', '=', tokenId)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)]))
      .execute();
  }

  listAnchorTokens(userId: string) {
    return this.db
      .selectFrom('anchor_tokens')
      .select(['id', 'name', 'created_at', 'last_used_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
  }

  async countAnchorTokens(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('anchor_tokens')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Deletes one of the user's tokens; another user's id deletes nothing. */
  async deleteAnchorTokenById(userId: string, tokenId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('anchor_tokens').where('user_id', '=', userId).where('id', '=', tokenId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async deleteAnchorTokensOf(userId: string): Promise<number> {
    const result = await this.db.deleteFrom('anchor_tokens').where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async deleteAnchorToken(tokenHash: string): Promise<boolean> {
    const result = await this.db.deleteFrom('anchor_tokens').where('token_hash', '=', tokenHash).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
