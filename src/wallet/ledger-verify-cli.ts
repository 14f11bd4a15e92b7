/** `npm run ledger:verify`: recomputes every balance from the entries; exit code 1 on any problem. */
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { runLedgerVerify } from './cli-commands.js';

const handle = await openDatabase(loadConfig());
try {
  const { exitCode, lines } = await runLedgerVerify(handle.db);
  for (const line of lines) (exitCode === 0 ? console.log : console.error)(line);
  process.exitCode = exitCode;
} finally {
  await handle.close();
}
