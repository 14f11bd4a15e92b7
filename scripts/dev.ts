/**
 * `npm run dev`: the API with reload on change (tsx watch) and the Vite dev server with hot reload,
 * which proxies /api and /ws to the API. Two child processes, stopped together.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const apiPort = process.env.PORT ?? '8080';
const webPort = process.env.WEB_DEV_PORT ?? '5173';
const children: ChildProcess[] = [];

function run(name: string, args: string[], env: NodeJS.ProcessEnv = {}): void {
  const child = spawn(process.execPath, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  children.push(child);
  child.on('exit', (code, signal) => {
    console.log(`[dev] ${name} exited (${signal ?? code}); stopping`);
    stop(code ?? 1);
  });
}

let stopping = false;
function stop(exitCode: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = exitCode;
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

run('api', ['node_modules/tsx/dist/cli.mjs', 'watch', 'src/main.ts'], { PORT: apiPort });
run('web', ['node_modules/vite/bin/vite.js', '--config', 'web/vite.config.ts'], { PORT: apiPort, WEB_DEV_PORT: webPort });
console.log(`[dev] open http://localhost:${webPort} (API on :${apiPort})`);
