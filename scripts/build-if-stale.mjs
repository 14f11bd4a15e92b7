#!/usr/bin/env node
/**
 * `npm start` and the operator commands run the compiled build (dist/, web/dist). This builds it
 * first, but only when it is missing or older than its sources, so a second start takes about a
 * second instead of a full build. Plain JavaScript on purpose: it must run where only production
 * dependencies are installed. A host that has the build but no sources (a production install of
 * dist/ and web/dist) is left alone.
 *
 *   node scripts/build-if-stale.mjs [server|all]     (default: all)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const at = (...parts) => join(root, ...parts);

const targets = {
  server: {
    output: at('dist', 'src', 'main.js'),
    inputs: [at('src'), at('tsconfig.json'), at('tsconfig.build.json')],
    script: 'build:server',
  },
  web: {
    output: at('web', 'dist', 'index.html'),
    inputs: [at('web', 'src'), at('web', 'public'), at('web', 'index.html'), at('web', 'vite.config.ts'), at('web', 'tsconfig.json'), at('package-lock.json')],
    script: 'build:web',
  },
};

/** Newest modification time under the given files and folders (0 when none exist). */
function newestMtime(paths) {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      newest = Math.max(newest, newestMtime(readdirSync(path).map((name) => join(path, name))));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  }
  return newest;
}

const wanted = process.argv[2] === 'server' ? ['server'] : ['server', 'web'];
for (const name of wanted) {
  const { output, inputs, script } = targets[name];
  const sources = newestMtime(inputs);
  const built = existsSync(output) ? statSync(output).mtimeMs : 0;
  if (built === 0 && sources === 0) {
    console.error(`[build] neither ${output} nor its sources exist`);
    process.exit(1);
  }
  if (built >= sources) continue;
  if (!existsSync(at('node_modules', '.bin', name === 'server' ? 'tsc' : 'vite'))) {
    console.error(
      `[build] the ${name} build is ${built ? 'older than its sources' : 'missing'} and the build tools are not installed ` +
        '(production install?): run `npm ci && npm run build` where the development dependencies are available',
    );
    process.exit(1);
  }
  console.log(`[build] ${name}: ${built ? 'sources changed' : 'no build yet'}, running npm run ${script}`);
  const result = spawnSync('npm', ['run', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
