/**
 * Benchmark server process: the real app on a throwaway database, plus a bare Fastify server whose
 * only route returns a constant JSON body of a requested size. Both live in this one process so the
 * ratio compares our route with the framework floor under identical conditions.
 * Prints one JSON line `{"appPort":..,"barePort":..}` on stdout when ready. The app is the
 * compiled build (bench/build.ts); the runner compiles it before starting this process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import pino from 'pino';
import type * as ConfigModule from '../src/config.js';
import type * as RuntimeModule from '../src/runtime.js';
import { DIST_SRC } from './build.js';

// A computed specifier: the build is loaded at run time, the sources only lend their types.
const { loadConfig } = (await import(join(DIST_SRC, 'config.js'))) as typeof ConfigModule;
const { createRuntime } = (await import(join(DIST_SRC, 'runtime.js'))) as typeof RuntimeModule;

const dataDir = mkdtempSync(join(tmpdir(), 'pecktra-bench-'));
const config = loadConfig({
  ...process.env,
  PORT: '0',
  HOST: '127.0.0.1',
  // A caller that needs to reach the database itself (bench/pay-vip.ts) passes its own path.
  SQLITE_PATH: process.env.SQLITE_PATH || join(dataDir, 'bench.db'),
  DEMO_DATA: 'false',
  LOG_LEVEL: 'warn',
});
// Logs go to stderr: stdout carries only the ready line the driver reads.
const runtime = await createRuntime(config, pino({ level: 'warn' }, pino.destination(2)));
await runtime.app.listen({ port: 0, host: '127.0.0.1' });

const bare = Fastify({ logger: false });
const bodies = new Map<number, string>();
/** A constant JSON body of exactly `size` bytes (ASCII padding inside a string field). */
function bodyOfSize(size: number): string {
  let body = bodies.get(size);
  if (!body) {
    const skeleton = '{"code":0,"pad":""}';
    body = `{"code":0,"pad":"${'x'.repeat(Math.max(0, size - skeleton.length))}"}`;
    bodies.set(size, body);
  }
  return body;
}
bare.get<{ Querystring: { size?: string } }>('/bare', async (request, reply) => {
  return reply.type('application/json; charset=utf-8').send(bodyOfSize(Number(request.query.size ?? 64)));
});
bare.post<{ Querystring: { size?: string } }>('/bare', async (request, reply) => {
  return reply.type('application/json; charset=utf-8').send(bodyOfSize(Number(request.query.size ?? 64)));
});
// CPU time this process has used, so the runner can report server CPU per request: unlike req/s,
// that figure hardly moves when other processes compete for the machine.
bare.get('/cpu', async () => process.cpuUsage());
await bare.listen({ port: 0, host: '127.0.0.1' });

const address = (server: typeof bare) => {
  const info = server.server.address();
  return typeof info === 'object' && info ? info.port : 0;
};
process.stdout.write(`${JSON.stringify({ appPort: address(runtime.app as unknown as typeof bare), barePort: address(bare) })}\n`);

async function stop() {
  await bare.close();
  await runtime.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
