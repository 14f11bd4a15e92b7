/** Reads the extension's folder into a one-commit repository, once, at startup. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildRepository, type Repository, type RepositoryFile } from './git-objects.js';

/** Fixed, so every instance (and every restart) serves the same commit id for the same files. */
const COMMIT_TIME_SECONDS = 1_767_225_600; // 2026-01-01T00:00:00Z

async function filesUnder(root: string, relative = ''): Promise<RepositoryFile[]> {
  const entries = await readdir(path.join(root, relative), { withFileTypes: true });
  const files: RepositoryFile[] = [];
  for (const entry of entries) {
    const entryPath = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await filesUnder(root, entryPath)));
    else if (entry.isFile()) files.push({ path: entryPath, content: await readFile(path.join(root, entryPath)) });
  }
  return files;
}

/** The folder as a repository, or null when it has no manifest.json (nothing SillyTavern could install). */
export async function loadExtensionRepository(directory: string): Promise<Repository | null> {
  let files: RepositoryFile[];
  try {
    files = await filesUnder(path.resolve(directory));
  } catch {
    return null;
  }
  const manifest = files.find((file) => file.path === 'manifest.json');
  if (!manifest) return null;
  const { version } = JSON.parse(manifest.content.toString('utf8')) as { version?: unknown };
  return buildRepository(files, {
    name: 'Pecktra Live',
    email: 'noreply@pecktra.invalid',
    time: COMMIT_TIME_SECONDS,
    message: `Pecktra Live for SillyTavern ${typeof version === 'string' ? version : ''}`.trim(),
  });
}
