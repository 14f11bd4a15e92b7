/**
 * The SillyTavern extension is installable from a git URL: real `git` clones
 * `/extensions/pecktra-live.git` from the server — shallow, as SillyTavern's "Install extension"
 * does, and in full — and gets exactly the files of extensions/sillytavern.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

const EXTENSION_DIR = path.resolve('extensions/sillytavern');
const gitAvailable = spawnSync('git', ['--version']).status === 0;

function filesUnder(root: string, relative = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(path.join(root, relative))) {
    if (!relative && name === '.git') continue;
    const entry = relative ? `${relative}/${name}` : name;
    if (statSync(path.join(root, entry)).isDirectory()) Object.assign(files, filesUnder(root, entry));
    else files[entry] = readFileSync(path.join(root, entry), 'utf8');
  }
  return files;
}

/** Asynchronous: the server answering git runs in this very process. */
async function git(args: string[], cwd?: string): Promise<string> {
  const { stdout } = await promisify(execFile)('git', args, {
    cwd,
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', HOME: workDir },
  });
  return stdout;
}

let t: TestApp;
let url: string;
let workDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'pecktra-git-'));
  t = await createTestApp();
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `${address}/extensions/pecktra-live.git`;
});
afterAll(async () => {
  await t.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe.skipIf(!gitAvailable)('the extension as a git repository', () => {
  it('clones with --depth 1 (SillyTavern\'s install) into exactly the extension\'s files', async () => {
    const target = path.join(workDir, 'shallow', 'pecktra-live');
    await git(['clone', '--depth', '1', url, target]);
    expect(filesUnder(target)).toEqual(filesUnder(EXTENSION_DIR));
    expect((await git(['rev-parse', '--abbrev-ref', 'HEAD'], target)).trim()).toBe('main');
    expect(await git(['fsck', '--full'], target)).toBe('');
  });

  it('clones in full, and a later fetch (SillyTavern\'s update check) finds it up to date', async () => {
    const target = path.join(workDir, 'full');
    await git(['clone', url, target]);
    expect(filesUnder(target)).toEqual(filesUnder(EXTENSION_DIR));
    const before = (await git(['rev-parse', 'HEAD'], target)).trim();
    await git(['fetch', 'origin'], target);
    expect((await git(['rev-parse', 'origin/main'], target)).trim()).toBe(before);
    expect(await git(['status', '--porcelain'], target)).toBe('');
  });

  it('serves the same commit on every instance and restart', async () => {
    const other = await createTestApp();
    try {
      const refs = async (app: TestApp) =>
        (await app.app.inject({ url: '/extensions/pecktra-live.git/info/refs?service=git-upload-pack' })).body;
      expect(await refs(other)).toBe(await refs(t));
    } finally {
      await other.close();
    }
  });
});

describe('the copy install', () => {
  it('puts the same files in the SillyTavern user\'s extensions folder as a git install', async () => {
    const dataRoot = path.join(workDir, 'data');
    mkdirSync(dataRoot);
    await promisify(execFile)(process.execPath, ['scripts/install-bridge.mjs', dataRoot, 'alice'], { timeout: 20_000 });
    expect(filesUnder(path.join(dataRoot, 'alice', 'extensions', 'pecktra-live'))).toEqual(filesUnder(EXTENSION_DIR));
  });
});

describe('the git endpoints refuse what they do not serve', () => {
  it('answers a dumb-protocol or unknown service request with an envelope error', async () => {
    const response = await t.app.inject({ url: '/extensions/pecktra-live.git/info/refs' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 1 });
    const push = await t.app.inject({ url: '/extensions/pecktra-live.git/info/refs?service=git-receive-pack' });
    expect(push.statusCode).toBe(400);
  });

  it('refuses malformed pkt-lines and unknown objects without a 5xx', async () => {
    const post = (payload: string | Buffer, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'POST',
        url: '/extensions/pecktra-live.git/git-upload-pack',
        headers: { 'content-type': 'application/x-git-upload-pack-request', ...headers },
        payload,
      });
    const garbage = await post('zzzz-not-a-pkt-line');
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json()).toMatchObject({ code: 1, error: 'invalid_git_request' });

    const unknownWant = await post(`0032want ${'a'.repeat(40)}\n00000009done\n`);
    expect(unknownWant.statusCode).toBe(200);
    expect(unknownWant.body).toContain('ERR upload-pack: not our ref');

    const badGzip = await post('not gzip', { 'content-encoding': 'gzip' });
    expect(badGzip.statusCode).toBe(400);
    const json = await t.app.inject({
      method: 'POST',
      url: '/extensions/pecktra-live.git/git-upload-pack',
      payload: { want: 'x' },
    });
    expect(json.statusCode).toBe(415);
  });

  it('answers 404 when the server has no extension folder', async () => {
    const bare = await createTestApp({ config: { bridgeExtensionDir: path.join(tmpdir(), 'pecktra-no-extension') } });
    try {
      const response = await bare.app.inject({ url: '/extensions/pecktra-live.git/info/refs?service=git-upload-pack' });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 1, error: 'extension_unavailable' });
    } finally {
      await bare.close();
    }
  });
});
