import { sql, type Kysely } from 'kysely';

/**
 * Anchor tokens become manageable devices: a public id (the hash stays the lookup key and is never
 * shown), a name the anchor chose, and when the token was last used. Existing tokens get an id
 * derived from their hash, so they can be listed and revoked like new ones.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('anchor_tokens').addColumn('id', 'text').execute();
  await db.schema
    .alterTable('anchor_tokens')
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(sql`''`))
    .execute();
  await db.schema.alterTable('anchor_tokens').addColumn('last_used_at', 'bigint').execute();
  await sql`update anchor_tokens set id = substr(token_hash, 1, 16) where id is null`.execute(db);
  await db.schema.createIndex('anchor_tokens_id').on('anchor_tokens').column('id').unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('anchor_tokens_id').execute();
  await db.schema.alterTable('anchor_tokens').dropColumn('last_used_at').execute();
  await db.schema.alterTable('anchor_tokens').dropColumn('name').execute();
  await db.schema.alterTable('anchor_tokens').dropColumn('id').execute();
}
