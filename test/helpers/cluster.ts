/**
 * A production-shaped cluster on loopback: app instances as child processes running the compiled
 * build (dist/), and a private nginx configured from deploy/nginx.conf. Used by the proxy test and
 * the proxy load test. The nginx gets its own prefix, pid, logs and temp folders and runs in the
 * foreground as our child: the system's nginx service is never touched.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NGINX_CONF = join(ROOT, 'deploy', 'nginx.conf');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Compiles the server when dist/ is missing or older than src/ (CI builds before the tests). */
export function ensureServerBuild(): void {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-if-stale.mjs'), 'server'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`server build failed:\n${result.stdout}\n${result.stderr}`);
}

/** Debian installs nginx in /usr/sbin, which is not on every user's PATH. */
export const nginxBinary: string | undefined = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));

export interface ServerProcess {
  port: number;
  child: ChildProcess;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** Sends the signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** The end of what the process logged (stdout and stderr), for failure messages. */
  output(): string;
}

/** Starts `node dist/src/main.js` on `port` and waits until /readyz answers 200. */
export async function startServerProcess(port: number, env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Test servers see every user come from loopback: sign-ups are not limited unless a test says so.
    env: { ...process.env, REGISTER_MAX_PER_ORIGIN: '100000', ...env, PORT: String(port), HOST: '127.0.0.1' },
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const server: ServerProcess = {
    port,
    child,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    output: () => output,
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server on port ${port} exited with ${child.exitCode}: ${output}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server on port ${port} not ready after ${timeoutMs} ms: ${output}`);
    }
    await sleep(50);
  }
}

export interface NginxOptions {
  /** Working folder: config, pid, logs and temp files go here. */
  dir: string;
  port: number;
  /** The app instances (127.0.0.1:<port>) nginx balances across. */
  upstreamPorts: number[];
  /** Adds the answering instance's address to every response (tests only, never in production). */
  revealUpstream?: boolean;
}

function replaceOnce(text: string, pattern: RegExp, replacement: string): string {
  if (!pattern.test(text)) throw new Error(`deploy/nginx.conf no longer contains ${pattern}; update test/helpers/cluster.ts`);
  return text.replace(pattern, replacement);
}

/** The most open files this process may allow itself (containers often cap it). */
function hardFileLimit(): number {
  const result = spawnSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' });
  const limit = Number(result.stdout.trim());
  return Number.isInteger(limit) && limit > 0 ? limit : 40_000;
}

/** deploy/nginx-upstreams.conf with this run's ports: the same server parameters, one line per instance. */
export function renderNginxUpstreams(upstreamPorts: number[]): string {
  const shipped = readFileSync(join(ROOT, 'deploy', 'nginx-upstreams.conf'), 'utf8');
  const parameters = /^server 127\.0\.0\.1:\d+ ([^;]*);/m.exec(shipped)?.[1];
  if (parameters === undefined) throw new Error('deploy/nginx-upstreams.conf has no "server 127.0.0.1:<port> ...;" line');
  return upstreamPorts.map((port) => `server 127.0.0.1:${port} ${parameters};\n`).join('');
}

/** deploy/nginx.conf with this run's ports and paths (upstreams in `dir`/upstreams.conf); everything else as shipped. */
export function renderNginxConfig(options: NginxOptions): string {
  const { dir } = options;
  let conf = readFileSync(NGINX_CONF, 'utf8');
  // Without root, nginx cannot switch users (and says so on every start).
  if (process.getuid?.() !== 0) conf = replaceOnce(conf, /^user [^;]+;\n/m, '');
  conf = replaceOnce(conf, /^worker_rlimit_nofile (\d+);/m, `worker_rlimit_nofile ${Math.min(40_000, hardFileLimit())};`);
  conf = replaceOnce(conf, /^pid [^;]+;/m, `pid ${join(dir, 'nginx.pid')};`);
  conf = replaceOnce(conf, /^error_log [^;]+;/m, `error_log ${join(dir, 'error.log')} warn;`);
  conf = replaceOnce(conf, /^([ \t]*)access_log [^;]+;/m, `$1access_log ${join(dir, 'access.log')};`);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `    ${kind}_temp_path ${join(dir, `${kind}_temp`)};`);
  conf = replaceOnce(conf, /^http \{\n/m, `http {\n${temp.join('\n')}\n`);
  conf = replaceOnce(conf, /include \/etc\/nginx\/pecktra-live-upstreams\.conf;/, `include ${join(dir, 'upstreams.conf')};`);
  conf = replaceOnce(conf, /^[ \t]*listen 80 default_server;\n[ \t]*listen \[::\]:80 default_server;\n/m, `        listen 127.0.0.1:${options.port} default_server;\n`);
  if (options.revealUpstream) {
    conf = replaceOnce(conf, /^([ \t]*)proxy_http_version 1\.1;/m, '$1proxy_http_version 1.1;\n$1add_header X-Upstream $upstream_addr always;');
  }
  return conf;
}

/** nginx in the foreground (daemon off), as our child process, on its own config and folders. */
export class PrivateNginx {
  private constructor(
    readonly options: NginxOptions,
    private readonly child: ChildProcess,
    private readonly exited: Promise<number | null>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  /** The master process; its workers are its children. */
  get pid(): number {
    return this.child.pid!;
  }

  static async start(options: NginxOptions): Promise<PrivateNginx> {
    if (!nginxBinary) throw new Error('nginx is not installed (apt-get install nginx libnginx-mod-http-brotli-filter)');
    mkdirSync(options.dir, { recursive: true });
    // Workers run as another user when we are root; they must reach their temp folders.
    chmodSync(options.dir, 0o755);
    // Debian's modules-enabled/*.conf name modules relative to the prefix (/usr/share/nginx/modules).
    const modules = join(options.dir, 'modules');
    if (!existsSync(modules) && existsSync('/usr/lib/nginx/modules')) symlinkSync('/usr/lib/nginx/modules', modules);
    const conf = join(options.dir, 'nginx.conf');
    writeFileSync(join(options.dir, 'upstreams.conf'), renderNginxUpstreams(options.upstreamPorts));
    writeFileSync(conf, renderNginxConfig(options));
    const args = ['-p', options.dir, '-c', conf, '-e', join(options.dir, 'error.log')];
    const check = spawnSync(nginxBinary, [...args, '-t', '-q'], { encoding: 'utf8' });
    if (check.status !== 0) {
      const hint = /unknown directive "brotli/.test(check.stderr) ? ' (install libnginx-mod-http-brotli-filter)' : '';
      throw new Error(`nginx -t failed${hint}:\n${check.stderr}`);
    }
    const child = spawn(nginxBinary, [...args, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const nginx = new PrivateNginx(options, child, exited);
    const deadline = Date.now() + 10_000;
    while (!(await isListening(options.port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`nginx did not start: ${stderr}${readFileSync(join(options.dir, 'error.log'), 'utf8')}`);
      }
      await sleep(50);
    }
    return nginx;
  }

  errorLog(): string {
    const path = join(this.options.dir, 'error.log');
    return existsSync(path) ? readFileSync(path, 'utf8') : '';
  }

  /** Fast shutdown (SIGTERM), waiting for the master to exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body as received (still compressed if the server compressed it). */
  raw: Buffer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are checked by the tests
  json(): any;
}

/**
 * One HTTP request on a fresh connection from a chosen loopback source address (127.0.0.2, ...),
 * so a test can be several clients on different addresses.
 */
export function httpCall(
  url: string,
  options: { method?: string; body?: unknown; headers?: Record<string, string>; from?: string } = {},
): Promise<HttpAnswer> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: options.method ?? (payload === undefined ? 'GET' : 'POST'),
        agent: false,
        localAddress: options.from,
        headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const body = raw.toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, raw, json: () => JSON.parse(body) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
