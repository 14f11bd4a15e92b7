import type { Kysely } from 'kysely';

/**
 * Accounts can sign in through an OpenID provider (Google). Each linked identity is the provider's
 * issuer and its stable subject id; one identity belongs to one account, and an account holds at
 * most one identity per provider. The e-mail is kept for display only: accounts are never matched
 * by e-mail.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('linked_identities')
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('email', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('linked_identities_pk', ['issuer', 'subject'])
    .addUniqueConstraint('linked_identities_user_issuer', ['user_id', 'issuer'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('linked_identities').execute();
}
