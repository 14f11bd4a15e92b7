/**
 * A production install is `npm ci --omit=dev` plus the built dist/ and web/dist: nothing the server
 * or the operator commands load at run time may be a development dependency.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cluster.js';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** Packages a file loads at run time: value imports, dynamic imports, and pino transport targets (`transport: { target }`). */
function runtimePackages(source: string): string[] {
  const specifiers = [
    ...source.matchAll(/^\s*import\s+(?!type\b)[^;]*?\bfrom\s+'([^']+)'/gms),
    ...source.matchAll(/^\s*import\s+'([^']+)'/gm),
    ...source.matchAll(/^\s*export\s+(?!type\b)[^;]*?\bfrom\s+'([^']+)'/gms),
    ...source.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g),
    ...source.matchAll(/\btransport:\s*\{\s*target:\s*'([^'./][^']*)'/g),
  ].map((match) => match[1]!);
  return specifiers
    .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:') && !builtinModules.includes(specifier))
    .map((specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'));
}

describe('production install', () => {
  it('the server and its commands load only production dependencies', () => {
    const loads = sourceFiles(join(ROOT, 'src')).flatMap((file) =>
      runtimePackages(readFileSync(file, 'utf8')).map((name) => ({ file: file.slice(ROOT.length), name })),
    );
    // The scan sees the server's real dependencies, including the log transport named by a string.
    for (const known of ['fastify', 'kysely', 'better-sqlite3', 'pg', 'redis', 'pino-pretty']) {
      expect(loads.map((load) => load.name), known).toContain(known);
    }
    expect(loads.filter((load) => !(load.name in manifest.dependencies)).map((load) => `${load.file} loads ${load.name}`)).toEqual([]);
  });

  it('the production commands run the compiled build, without tsx, tsc or vite', () => {
    for (const script of ['start:prod', 'migrate', 'backup', 'ledger:verify', 'coins', 'payments', 'seed:demo']) {
      const command = manifest.scripts[script];
      expect(command, script).toBeDefined();
      expect(command, script).toMatch(/node dist\/src\/\S+\.js$/);
      expect(command, script).not.toMatch(/\b(tsx|tsc|vite)\b/);
    }
  });
});
