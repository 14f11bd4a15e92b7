/**
 * Each account's block list: viewers whose chat messages the account does not want to see. The
 * server only keeps the list, so it follows the viewer to every device; the web app hides the
 * messages. Users are blocked by uid, guests by their guest name.
 */
import type { Kysely } from 'kysely';
import type { SessionUser } from '../accounts/service.js';
import type { Database } from '../db/schema.js';
import { badRequest, notFound } from '../http/errors.js';
import { BlocksRepository } from './repository.js';

export const MAX_BLOCKS = 500;

export interface BlockTarget {
  uid?: string;
  guest_name?: string;
}

export interface BlockedViewer {
  /** Empty for a guest. */
  uid: string;
  /** Empty for a user. */
  guest_name: string;
  username: string;
  blocked_at: string;
}

export class BlocksService {
  private readonly repo: BlocksRepository;
  private readonly clock: () => number;

  constructor(db: Kysely<Database>, options: { clock?: () => number } = {}) {
    this.repo = new BlocksRepository(db);
    this.clock = options.clock ?? Date.now;
  }

  async list(user: SessionUser): Promise<BlockedViewer[]> {
    const rows = await this.repo.list(user.id);
    return rows.map((row) => {
      const [kind, ...rest] = row.subject.split(':');
      const id = rest.join(':');
      return {
        uid: kind === 'user' ? id : '',
        guest_name: kind === 'guest' ? id : '',
        username: row.username,
        blocked_at: new Date(Number(row.created_at)).toISOString(),
      };
    });
  }

  /** Blocks or unblocks; idempotent either way. */
  async setBlocked(user: SessionUser, target: BlockTarget, blocked: boolean): Promise<{ blocked: boolean }> {
    const { subject, name } = await this.resolve(user, target, blocked);
    if (!blocked) {
      await this.repo.remove(user.id, subject);
      return { blocked: false };
    }
    if ((await this.repo.count(user.id)) >= MAX_BLOCKS) {
      throw badRequest('too_many_blocks', `At most ${MAX_BLOCKS} viewers can be blocked; unblock someone first`);
    }
    await this.repo.add(user.id, subject, name, this.clock());
    return { blocked: true };
  }

  private async resolve(user: SessionUser, target: BlockTarget, blocking: boolean): Promise<{ subject: string; name: string }> {
    if ((target.uid === undefined) === (target.guest_name === undefined)) {
      throw badRequest('invalid_request', 'Give either the uid or the guest_name of the viewer');
    }
    if (target.guest_name !== undefined) return { subject: `guest:${target.guest_name}`, name: target.guest_name };
    const uid = target.uid!;
    if (uid === user.id) throw badRequest('cannot_block_self', 'You cannot block yourself');
    // Unblocking needs no lookup: the account may be gone, the entry must still go.
    if (!blocking) return { subject: `user:${uid}`, name: '' };
    const name = await this.repo.username(uid);
    if (name === undefined) throw notFound('user_not_found', 'No such user');
    return { subject: `user:${uid}`, name };
  }
}
