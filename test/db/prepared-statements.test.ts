/**
 * PostgreSQL runs repeated statements as prepared statements (parsed and planned once per
 * connection). Runs in the PostgreSQL variant of the suite; SQLite has its own statement cache.
 */
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import type { Database } from '../../src/db/schema.js';
import { TEST_DATABASE_URL } from '../helpers/app.js';

async function preparedOnConnection(db: Kysely<Database>, run: (trx: Kysely<Database>) => Promise<unknown>): Promise<string[]> {
  // One transaction: the same connection runs the statements and lists what it prepared.
  return db.transaction().execute(async (trx) => {
    await run(trx);
    const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements where name like 'pecktra_%'`.execute(trx);
    return rows.map((row) => row.statement);
  });
}

describe.skipIf(!TEST_DATABASE_URL)('prepared statements on PostgreSQL', () => {
  const schema = `prepared_${process.pid}`;
  let prepared: DatabaseHandle;
  let unprepared: DatabaseHandle;

  beforeAll(async () => {
    prepared = await openDatabase({ databaseUrl: TEST_DATABASE_URL, sqlitePath: '', pgSchema: schema, pgPoolSize: 1 });
    unprepared = await openDatabase({ databaseUrl: TEST_DATABASE_URL, sqlitePath: '', pgSchema: schema, pgPoolSize: 1, pgPreparedStatements: false });
    await sql`create table items (id text primary key, label text not null)`.execute(prepared.db);
    await sql`insert into items values ('a', 'first'), ('b', 'second')`.execute(prepared.db);
  });
  afterAll(async () => {
    await sql.raw(`drop schema if exists ${schema} cascade`).execute(prepared.db);
    await prepared.close();
    await unprepared.close();
  });

  const labelOf = (db: Kysely<Database>, id: string) => sql<{ label: string }>`select label from items where id = ${id}`.execute(db);

  it('prepares a parameterised statement once and answers every call from it', async () => {
    const statements = await preparedOnConnection(prepared.db, async (trx) => {
      expect((await labelOf(trx, 'a')).rows).toEqual([{ label: 'first' }]);
      expect((await labelOf(trx, 'b')).rows).toEqual([{ label: 'second' }]);
    });
    expect(statements).toEqual(['select label from items where id = $1']);
  });

  it('prepares nothing when turned off (for a pooler that cannot carry prepared statements)', async () => {
    const statements = await preparedOnConnection(unprepared.db, async (trx) => {
      expect((await labelOf(trx, 'a')).rows).toEqual([{ label: 'first' }]);
    });
    expect(statements).toEqual([]);
  });

  it('keeps answering after a migration adds a column, also for statements that read every column', async () => {
    const everything = (db: Kysely<Database>, id: string) => sql<Record<string, unknown>>`select * from items where id = ${id}`.execute(db);
    expect((await everything(prepared.db, 'a')).rows).toEqual([{ id: 'a', label: 'first' }]);
    await labelOf(prepared.db, 'a');
    await sql`alter table items add column note text`.execute(unprepared.db);
    expect((await labelOf(prepared.db, 'a')).rows).toEqual([{ label: 'first' }]);
    expect((await everything(prepared.db, 'a')).rows).toEqual([{ id: 'a', label: 'first', note: null }]);
  });
});
