#!/usr/bin/env node
/**
 * Installs the Pecktra Live extension the way SillyTavern keeps a user's own extensions:
 * <data root>/<user>/extensions/pecktra-live. Run again to update it.
 *   npm run bridge:install -- <SillyTavern dir | its data root> [user]   (user defaults to default-user)
 * The data root is SillyTavern's `data` folder unless config.yaml's dataRoot says otherwise.
 */
import { cpSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [where, user = 'default-user'] = process.argv.slice(2);
if (!where || !existsSync(where)) {
  console.error('usage: npm run bridge:install -- <SillyTavern dir | its data root> [user]');
  process.exit(2);
}
const dataRoot = existsSync(path.join(where, 'server.js')) ? path.join(where, 'data') : where;
const source = fileURLToPath(new URL('../extensions/sillytavern', import.meta.url));
const target = path.join(dataRoot, user, 'extensions', 'pecktra-live');
rmSync(target, { recursive: true, force: true });
cpSync(source, target, { recursive: true });
console.log(`Pecktra Live extension installed in ${target}; reload SillyTavern's page.`);
