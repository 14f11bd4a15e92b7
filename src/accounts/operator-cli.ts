/** `npm run operator -- grant|revoke|list`; see operator-commands.ts. */
import { userInfo } from 'node:os';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { runOperatorCommand } from './operator-commands.js';

const handle = await openDatabase(loadConfig());
try {
  await migrateToLatest(handle.db);
  const { exitCode, lines } = await runOperatorCommand(handle.db, process.argv.slice(2), { osUser: osUserName() });
  for (const line of lines) (exitCode === 0 ? console.log : console.error)(line);
  process.exitCode = exitCode;
} finally {
  await handle.close();
}

/** The shell's user, for the audit trail; SUDO_USER names who ran it through sudo. */
function osUserName(): string {
  try {
    return process.env.SUDO_USER || userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
