/** The demo seed's SQL: plain inserts into an empty database, as the features' own tables hold them. */
import type { Insertable } from 'kysely';
import type { LiveMessagesTable, RoomsTable, UserMessagesTable, UsersTable } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';

export class DemoRepository {
  constructor(private readonly db: Executor) {}

  async hasAnyUser(): Promise<boolean> {
    return (await this.db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
  }

  async insertUser(user: Insertable<UsersTable>): Promise<void> {
    await this.db.insertInto('users').values(user).execute();
  }

  async insertRoom(room: Insertable<RoomsTable>): Promise<void> {
    await this.db.insertInto('rooms').values(room).execute();
  }

  async insertTranscript(lines: Array<Insertable<LiveMessagesTable>>): Promise<void> {
    await this.db.insertInto('live_messages').values(lines).execute();
  }

  async insertUserMessage(message: Insertable<UserMessagesTable>): Promise<void> {
    await this.db.insertInto('user_messages').values(message).execute();
  }
}
