import type { Executor } from '../db/transaction.js';

export interface BlockRow {
  subject: string;
  username: string;
  created_at: number;
}

export class BlocksRepository {
  constructor(private readonly db: Executor) {}

  list(userId: string): Promise<BlockRow[]> {
    return this.db
      .selectFrom('viewer_blocks')
      .select(['subject', 'username', 'created_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
  }

  async count(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('viewer_blocks')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  async add(userId: string, subject: string, username: string, now: number): Promise<void> {
    await this.db
      .insertInto('viewer_blocks')
      .values({ user_id: userId, subject, username, created_at: now })
      .onConflict((oc) => oc.columns(['user_id', 'subject']).doNothing())
      .execute();
  }

  /** A deleted account: its own list goes, and other lists show it by the anonymous name. */
  async forgetAccount(userId: string, subject: string, anonymousName: string): Promise<void> {
    await this.db.deleteFrom('viewer_blocks').where('user_id', '=', userId).execute();
    await this.db.updateTable('viewer_blocks').set({ username: anonymousName }).where('subject', '=', subject).execute();
  }

  async remove(userId: string, subject: string): Promise<void> {
    await this.db.deleteFrom('viewer_blocks').where('user_id', '=', userId).where('subject', '=', subject).execute();
  }

  async username(userId: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('users').select('username').where('id', '=', userId).executeTakeFirst();
    return row?.username;
  }
}
