/**
 * Anchor API tokens as devices: each has a name, a creation time and when it was last used; the
 * anchor lists them, creates named ones (the secret is shown once) and revokes one or all. Tokens
 * are looked up in the database on every request, never cached, so a revoked token is refused at
 * once by every instance.
 */
import { hashToken, newId, newSecretToken } from '../db/ids.js';
import { conflict, notFound, unauthorized } from '../http/errors.js';
import type { AnchorTokenRow, AccountsRepository } from './repository.js';
import type { AnchorTokenInfo } from './schemas.js';
import type { SessionUser } from './service.js';

/** Last-used times are this coarse: a busy token costs one write a minute, not one per request. */
export const TOKEN_TOUCH_INTERVAL_MS = 60_000;
/** Named tokens an anchor may hold; logins do not count against it (each mints one). */
export const MAX_ANCHOR_TOKENS = 100;
export const LOGIN_TOKEN_NAME = 'Login';

export interface AnchorTokenUser extends SessionUser {
  /** The presented token's public id. */
  tokenId: string;
}

export class AnchorTokens {
  constructor(
    private readonly repo: AccountsRepository,
    private readonly clock: () => number,
  ) {}

  /** Mints a token; the secret is returned once and only its hash is stored. */
  async issue(user: SessionUser, name: string): Promise<{ secret: string; token: AnchorTokenInfo }> {
    if (!user.isAnchor) throw unauthorized('This account is not an anchor account', 'not_an_anchor');
    const secret = newSecretToken();
    const row: AnchorTokenRow = {
      token_hash: hashToken(secret),
      id: newId(),
      user_id: user.id,
      name: name.trim() || LOGIN_TOKEN_NAME,
      created_at: this.clock(),
      last_used_at: null,
    };
    await this.repo.insertAnchorToken(row);
    return { secret, token: mapToken(row) };
  }

  async create(anchor: SessionUser, name: string): Promise<{ secret: string; token: AnchorTokenInfo }> {
    if ((await this.repo.countAnchorTokens(anchor.id)) >= MAX_ANCHOR_TOKENS) {
      throw conflict('too_many_tokens', `An anchor can hold at most ${MAX_ANCHOR_TOKENS} tokens; revoke unused ones first`);
    }
    return this.issue(anchor, name);
  }

  async resolve(secret: string): Promise<AnchorTokenUser | undefined> {
    const row = await this.repo.findAnchorByToken(hashToken(secret));
    if (!row) return undefined;
    const now = this.clock();
    const lastUsed = row.last_used_at === null ? null : Number(row.last_used_at);
    if (lastUsed === null || now - lastUsed >= TOKEN_TOUCH_INTERVAL_MS) {
      await this.repo.touchAnchorToken(row.token_id, now, now - TOKEN_TOUCH_INTERVAL_MS + 1);
    }
    const user: AnchorTokenUser = { id: row.id, username: row.username, isAnchor: true, tokenId: row.token_id };
    if (row.banned_at !== null) user.ban = { reason: row.ban_reason ?? '' };
    return user;
  }

  async list(anchor: SessionUser): Promise<AnchorTokenInfo[]> {
    return (await this.repo.listAnchorTokens(anchor.id)).map(mapToken);
  }

  /** Another anchor's token id is "not found": ids of others' tokens are not confirmed. */
  async revoke(anchor: SessionUser, tokenId: string): Promise<void> {
    if (!(await this.repo.deleteAnchorTokenById(anchor.id, tokenId))) {
      throw notFound('token_not_found', 'No such token (it may have been revoked already)');
    }
  }

  revokeAll(anchor: SessionUser): Promise<number> {
    return this.repo.deleteAnchorTokensOf(anchor.id);
  }

  revokeSecret(secret: string): Promise<boolean> {
    return this.repo.deleteAnchorToken(hashToken(secret));
  }
}

function mapToken(row: Pick<AnchorTokenRow, 'id' | 'name' | 'created_at' | 'last_used_at'>): AnchorTokenInfo {
  return {
    id: row.id,
    name: row.name,
    created_at: Number(row.created_at),
    last_used_at: row.last_used_at === null ? null : Number(row.last_used_at),
  };
}
