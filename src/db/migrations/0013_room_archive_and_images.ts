import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect.js';

/**
 * Rooms can be archived (hidden from listings, read-only, still open to those who paid into them),
 * and carry a cover and a character avatar. Images live in the database, each encoded size once
 * under the key of its upload, so every instance serves the same bytes without shared disks.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('rooms').addColumn('archived_at', 'bigint').execute();
  await db.schema.alterTable('rooms').addColumn('cover_image', 'text').execute();
  await db.schema.alterTable('rooms').addColumn('avatar_image', 'text').execute();
  await db.schema
    .createTable('images')
    .addColumn('image_key', 'text', (c) => c.notNull())
    .addColumn('variant', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('bytes', isPostgres(db) ? sql`bytea` : sql`blob`, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('images_pk', ['image_key', 'variant'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('images').execute();
  await db.schema.alterTable('rooms').dropColumn('avatar_image').execute();
  await db.schema.alterTable('rooms').dropColumn('cover_image').execute();
  await db.schema.alterTable('rooms').dropColumn('archived_at').execute();
}
