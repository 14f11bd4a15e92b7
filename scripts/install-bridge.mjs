#!/usr/bin/env node
/**
 * Installs the Pecktra Live extension into a SillyTavern folder, the way SillyTavern keeps a user's
 * own extensions: data/<user>/extensions/pecktra-live. Run again to update it.
 *   npm run bridge:install -- <SillyTavern dir> [user]      (user defaults to default-user)
 */
import { cpSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [sillyTavernDir, user = 'default-user'] = process.argv.slice(2);
if (!sillyTavernDir) {
  console.error('usage: npm run bridge:install -- <SillyTavern dir> [user]');
  process.exit(2);
}
if (!existsSync(path.join(sillyTavernDir, 'server.js'))) {
  console.error(`${sillyTavernDir} does not look like a SillyTavern folder (no server.js)`);
  process.exit(1);
}
const source = fileURLToPath(new URL('../extensions/sillytavern', import.meta.url));
const target = path.join(sillyTavernDir, 'data', user, 'extensions', 'pecktra-live');
rmSync(target, { recursive: true, force: true });
cpSync(source, target, { recursive: true });
console.log(`Pecktra Live extension installed in ${target}; reload SillyTavern's page.`);
