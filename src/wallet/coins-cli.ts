/** `npm run coins -- grant <uid> <amount> --reason "..."`: operator diamond adjustments. */
import pino from 'pino';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { connectCliEventBus } from '../realtime/index.js';
import { runCoinsCommand } from './cli-commands.js';

const config = loadConfig();
const handle = await openDatabase(config);
const eventBus = await connectCliEventBus(config, pino({ level: 'warn' }, pino.destination(2)));
try {
  const { exitCode, lines } = await runCoinsCommand(handle.db, process.argv.slice(2), eventBus);
  for (const line of lines) (exitCode === 0 ? console.log : console.error)(line);
  process.exitCode = exitCode;
} finally {
  await eventBus?.close();
  await handle.close();
}
