/**
 * `npm run backup -- <file>`: a consistent copy of the database, taken while the server runs.
 * SQLite: SQLite's online backup API (better-sqlite3). PostgreSQL: pg_dump of the app's schema in
 * pg_restore's custom format. Restoring is described in the README ("Running in production").
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { loadConfig } from '../config.js';
import { openDatabase } from './database.js';

/** Pages per backup step: all of them, so the copy is made under one read transaction. */
const ALL_PAGES = 0x7fffffff;

async function backupSqlite(sourcePath: string, target: string): Promise<void> {
  const source = new SQLite(sourcePath, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    // Copied in steps, a write by the server between two steps would restart the copy; in one step
    // it reads a single snapshot, and in WAL mode the server keeps writing meanwhile.
    const { totalPages } = await source.backup(target, { progress: () => ALL_PAGES });
    console.log(`SQLite backup of ${sourcePath} written to ${target} (${totalPages} pages)`);
  } finally {
    source.close();
  }
}

async function backupPostgres(databaseUrl: string, target: string): Promise<number> {
  const handle = await openDatabase({ databaseUrl, sqlitePath: '' });
  let schema: string | undefined;
  try {
    schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(handle.db)).rows[0]?.schema;
  } finally {
    await handle.close();
  }
  if (!schema) throw new Error('could not read the current schema');
  const result = spawnSync('pg_dump', ['--format=custom', `--schema=${schema}`, `--file=${target}`, `--dbname=${databaseUrl}`], {
    stdio: 'inherit',
  });
  if (result.error) throw new Error(`pg_dump could not run (install postgresql-client): ${result.error.message}`);
  if (result.status === 0) console.log(`PostgreSQL backup of schema ${schema} written to ${target} (restore with pg_restore)`);
  return result.status ?? 1;
}

const target = process.argv[2];
if (!target) {
  console.error('usage: npm run backup -- <backup file>');
  process.exitCode = 2;
} else {
  const config = loadConfig();
  const destination = resolve(target);
  if (config.databaseUrl) process.exitCode = await backupPostgres(config.databaseUrl, destination);
  else await backupSqlite(config.sqlitePath, destination);
}
