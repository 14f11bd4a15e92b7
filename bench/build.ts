/**
 * The benchmarks measure the production build, what `npm start` runs (dist/), not the sources as
 * tsx transforms them on the fly: tsx wraps every function it creates in a naming helper, which
 * shows up on hot paths that create closures per request.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
/** Compiled server sources; `dist/src/main.js` is the production entry point. */
export const DIST_SRC = join(ROOT, 'dist', 'src');

/** Compiles the server once per bench run (child benchmarks inherit the marker). */
export function buildServer(): void {
  if (process.env.BENCH_SERVER_BUILT === '1') return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('bench: building the server (tsc -p tsconfig.build.json) failed');
  process.env.BENCH_SERVER_BUILT = '1';
}
