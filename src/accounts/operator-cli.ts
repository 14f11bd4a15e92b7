/** `npm run operator -- grant|revoke|list`; see operator-commands.ts. */
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { runOperatorCommand } from './operator-commands.js';

const handle = await openDatabase(loadConfig());
try {
  await migrateToLatest(handle.db);
  const { exitCode, lines } = await runOperatorCommand(handle.db, process.argv.slice(2));
  for (const line of lines) (exitCode === 0 ? console.log : console.error)(line);
  process.exitCode = exitCode;
} finally {
  await handle.close();
}
