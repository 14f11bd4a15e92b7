/**
 * Each account's block list: viewers whose chat messages the account does not want to see. The
 * server only keeps the list, so it follows the viewer to every device; the web app hides the
 * messages. Users are blocked by uid, guests by their guest name.
 */
import type { Kysely } from 'kysely';
import type { SessionUser } from '../accounts/index.js';
import type { Database } from '../db/schema.js';
import { transactional, type TransactionRunner } from '../db/transaction.js';
import { badRequest, notFound } from '../http/errors.js';
import { blockSubject, mapBlockedViewer } from './mappers.js';
import { BlocksRepository } from './repository.js';
import type { BlockList, BlockState, BlockTarget } from './schemas.js';

export const MAX_BLOCKS = 500;

export class BlocksService {
  private readonly repo: BlocksRepository;
  private readonly transaction: TransactionRunner<{ blocks: BlocksRepository }>;
  private readonly clock: () => number;

  constructor(db: Kysely<Database>, options: { clock?: () => number } = {}) {
    this.repo = new BlocksRepository(db);
    this.transaction = transactional(db, (executor) => ({ blocks: new BlocksRepository(executor) }));
    this.clock = options.clock ?? Date.now;
  }

  async list(user: SessionUser): Promise<BlockList> {
    return { blocks: (await this.repo.list(user.id)).map(mapBlockedViewer) };
  }

  /** Blocks or unblocks; idempotent either way. */
  async setBlocked(user: SessionUser, target: BlockTarget, blocked: boolean): Promise<BlockState> {
    const { subject, name } = await this.resolve(user, target, blocked);
    if (!blocked) {
      await this.repo.remove(user.id, subject);
      return { blocked: false };
    }
    // Counted and added together, so parallel requests cannot pass the limit between them.
    await this.transaction(async ({ blocks }) => {
      if ((await blocks.count(user.id)) >= MAX_BLOCKS) {
        throw badRequest('too_many_blocks', `At most ${MAX_BLOCKS} viewers can be blocked; unblock someone first`);
      }
      await blocks.add(user.id, subject, name, this.clock());
    });
    return { blocked: true };
  }

  private async resolve(user: SessionUser, target: BlockTarget, blocking: boolean): Promise<{ subject: string; name: string }> {
    const { uid, guest_name: guestName } = target;
    if ((uid === undefined) === (guestName === undefined)) {
      throw badRequest('invalid_request', 'Give either the uid or the guest_name of the viewer');
    }
    if (guestName !== undefined) return { subject: blockSubject({ guest_name: guestName }), name: guestName };
    if (uid === user.id) throw badRequest('cannot_block_self', 'You cannot block yourself');
    const subject = blockSubject({ uid: uid! });
    // Unblocking needs no lookup: the account may be gone, the entry must still go.
    if (!blocking) return { subject, name: '' };
    const name = await this.repo.username(uid!);
    if (name === undefined) throw notFound('user_not_found', 'No such user');
    return { subject, name };
  }
}
