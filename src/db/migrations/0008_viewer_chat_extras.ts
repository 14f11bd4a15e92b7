import { sql, type Kysely } from 'kysely';

/**
 * Viewer chat extras: the badges a sender had when they wrote (anchor, subscriber, VIP), kept with
 * the message so history, replay and broadcast all show the same; and each account's block list
 * (whose messages the account does not want to see), kept on the server so it follows the viewer
 * to every device.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('user_messages')
    .addColumn('badges', 'text', (c) => c.notNull().defaultTo(sql`''`))
    .execute();
  await db.schema
    .createTable('viewer_blocks')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('viewer_blocks_pk', ['user_id', 'subject'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('viewer_blocks').execute();
  await db.schema.alterTable('user_messages').dropColumn('badges').execute();
}
