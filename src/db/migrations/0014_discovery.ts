import { sql, type Kysely } from 'kysely';
import { searchDocument } from '../../infra/search-terms.js';
import { isPostgres } from '../dialect.js';

/**
 * Discovery: room tags, full-text room search, and the go-live announcement stamp.
 *
 * - `rooms.tags` keeps a room's tags (comma-joined, normalised) for listings without a join;
 *   `room_tags` is the index the tag filter reads.
 * - `room_search` holds each room's search document (see search-terms.ts). On SQLite an FTS5 table
 *   indexes it (external content, kept in step by triggers); on PostgreSQL a GIN index over its
 *   stored `simple` tsvector. Both are the engine's own full-text index: a search never scans rooms.
 * - `rooms.live_announced_at`: when followers were last told the room went live, so a room toggled
 *   on and off repeatedly announces once per cooldown (claimed by one conditional update, whichever
 *   instance gets there first).
 * - `room_follows (room_id, user_id)`: followers of a room, for those announcements.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('rooms')
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('rooms').addColumn('live_announced_at', 'bigint').execute();
  await db.schema.createIndex('rooms_created').on('rooms').columns(['created_at']).execute();

  await db.schema
    .createTable('room_tags')
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('room_tags_pk', ['tag', 'room_id'])
    .execute();
  await db.schema.createIndex('room_tags_room').on('room_tags').columns(['room_id']).execute();

  await db.schema.createIndex('room_follows_room').on('room_follows').columns(['room_id', 'user_id']).execute();

  if (isPostgres(db)) {
    // The vector is stored, so ranking the matches reads it instead of re-parsing each document.
    await sql`create table room_search (
      room_id text primary key references rooms(id) on delete cascade,
      document text not null,
      terms tsvector generated always as (to_tsvector('simple', document)) stored
    )`.execute(db);
    await sql`create index room_search_terms on room_search using gin (terms)`.execute(db);
  } else {
    await sql`create table room_search (
      id integer primary key,
      room_id text not null unique references rooms(id) on delete cascade,
      document text not null
    )`.execute(db);
    // Terms arrive folded and split (search-terms.ts); unicode61 only has to split on the spaces.
    // prefix='2 3': short prefixes (what search-as-you-type sends) read a prefix index, not a term range.
    await sql`create virtual table room_search_fts using fts5(
      document, content='room_search', content_rowid='id',
      tokenize='unicode61 remove_diacritics 0', prefix='2 3'
    )`.execute(db);
    await sql`create trigger room_search_ai after insert on room_search begin
      insert into room_search_fts(rowid, document) values (new.id, new.document);
    end`.execute(db);
    await sql`create trigger room_search_ad after delete on room_search begin
      insert into room_search_fts(room_search_fts, rowid, document) values ('delete', old.id, old.document);
    end`.execute(db);
    await sql`create trigger room_search_au after update on room_search begin
      insert into room_search_fts(room_search_fts, rowid, document) values ('delete', old.id, old.document);
      insert into room_search_fts(rowid, document) values (new.id, new.document);
    end`.execute(db);
  }

  const rooms = await sql<{ id: string; title: string; room_name: string; character_name: string; username: string }>`
    select rooms.id, rooms.title, rooms.room_name, rooms.character_name, users.username
    from rooms join users on users.id = rooms.anchor_id`.execute(db);
  for (const room of rooms.rows) {
    const document = searchDocument([room.title, room.room_name, room.character_name, room.username]);
    await sql`insert into room_search (room_id, document) values (${room.id}, ${document})`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) {
    for (const trigger of ['room_search_ai', 'room_search_ad', 'room_search_au']) await sql`drop trigger ${sql.raw(trigger)}`.execute(db);
    await sql`drop table room_search_fts`.execute(db);
  }
  await db.schema.dropTable('room_search').execute();
  await db.schema.dropIndex('room_follows_room').execute();
  await db.schema.dropTable('room_tags').execute();
  await db.schema.dropIndex('rooms_created').execute();
  await db.schema.alterTable('rooms').dropColumn('live_announced_at').execute();
  await db.schema.alterTable('rooms').dropColumn('tags').execute();
}
