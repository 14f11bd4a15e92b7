import type { Kysely } from 'kysely';

/**
 * The network (IPv4 address or IPv6 /64) a guest's chat message came from. A guest who drops their
 * cookie gets a new guest name per request; muting and rate-limiting the network as well keeps a
 * mute or a limit in force anyway. Null for signed-in senders.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('user_messages').addColumn('guest_network', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('user_messages').dropColumn('guest_network').execute();
}
