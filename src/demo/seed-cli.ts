import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { seedDemoData } from './seed.js';

const config = loadConfig();
const handle = await openDatabase(config);
try {
  await migrateToLatest(handle.db);
  const result = await seedDemoData(handle.db);
  console.log(result.created ? 'Demo data created.' : 'Database already has data; nothing created.');
  console.log(`Anchor: ${result.anchor.username} / ${result.anchor.password}`);
  console.log(`Viewer: ${result.viewer.username} / ${result.viewer.password}`);
} finally {
  await handle.close();
}
