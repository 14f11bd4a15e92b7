/**
 * The real entry point as an operator runs it: a child process that serves, then shuts down
 * cleanly on SIGTERM after finishing what it was doing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from './helpers/app.js';
import { hasRedisServerBinary, PrivateRedis } from './helpers/redis.js';

const dataDir = mkdtempSync(join(tmpdir(), 'pecktra-main-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1', DEMO_DATA: 'true', LOG_LEVEL: 'info', COOKIE_SECRET: 'x' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const address = new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const entry = JSON.parse(line) as { address?: string };
      if (entry.address) resolve(entry.address);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, address };
}

describe('server process', () => {
  it('serves on the configured port and exits 0 on SIGTERM', async () => {
    const database = await createTestDatabase({ sqlitePath: join(dataDir, 'main.db') });
    const { child, address: started } = startServer(database.env);
    try {
      const address = await started;
      const res = await fetch(`${address}/api/users/is_logged_in`);
      expect(res.status).toBe(200);
      expect((await res.json()).data.user_info.uname).toBe('游客');
      // Demo data: the demo viewer can log in.
      const login = await fetch(`${address}/api/users/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'demo_viewer', password: 'pecktra-demo' }),
      });
      expect(login.status).toBe(200);

      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await database.close();
    }
    // Starting a child through tsx takes several seconds when the test files run in parallel on 2 cores.
  }, 60_000);

  it.skipIf(!hasRedisServerBinary)('shuts down cleanly and promptly on SIGTERM while Redis is down', async () => {
    const redis = await PrivateRedis.start();
    const database = await createTestDatabase({ sqlitePath: join(dataDir, 'redis-outage.db') });
    const { child, address } = startServer({ ...database.env, REDIS_URL: redis.url, BUS_HEARTBEAT_MS: '100' });
    try {
      await address;
      await redis.stop();
      // Let the heartbeats notice the outage and start reconnecting.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      const signalledAt = Date.now();
      child.kill('SIGTERM');
      // Exit code 0, not the forced exit (code 1) that a hung dependency triggers after 10 s.
      expect(await exited).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(5_000);
    } finally {
      child.kill('SIGKILL');
      await redis.stop();
      await database.close();
    }
  }, 60_000);
});
