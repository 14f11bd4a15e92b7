/** Entry point of `npm run payments -- ...`; see operator.ts for the commands. */
import pino from 'pino';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { connectCliEventBus } from '../realtime/index.js';
import { createPaymentsService } from './factory.js';
import { runPaymentsCommand } from './operator.js';

const config = loadConfig();
const handle = await openDatabase(config);
const logger = pino({ level: 'warn' }, pino.destination(2));
// A partial credit reaches the servers' balance caches through Redis when there is one.
const eventBus = await connectCliEventBus(config, logger);
try {
  await migrateToLatest(handle.db);
  const payments = createPaymentsService({ config, db: handle.db, logger, eventBus });
  process.exitCode = await runPaymentsCommand(process.argv.slice(2), payments, (line) => console.log(line));
} finally {
  await eventBus?.close();
  await handle.close();
}
