import type { Kysely } from 'kysely';

/**
 * Viewers can delete their account. The row stays (the ledger and chat messages refer to it, and
 * its username stays taken), marked with when it was deleted; its password no longer works.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('deleted_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('deleted_at').execute();
}
