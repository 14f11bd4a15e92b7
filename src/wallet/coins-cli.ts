/** `npm run coins -- grant <uid> <amount> --reason "..."`: operator diamond adjustments. */
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { runCoinsCommand } from './cli-commands.js';

const handle = await openDatabase(loadConfig());
try {
  const { exitCode, lines } = await runCoinsCommand(handle.db, process.argv.slice(2));
  for (const line of lines) (exitCode === 0 ? console.log : console.error)(line);
  process.exitCode = exitCode;
} finally {
  await handle.close();
}
