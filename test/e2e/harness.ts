/**
 * End-to-end harness: the real server (buildApp on a fresh test database, listening on a random
 * port) serving the real web build, driven by Debian's Chromium through playwright-core.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Config } from '../../src/config.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WEB = path.join(ROOT, 'web');
export const WEB_DIST = path.join(WEB, 'dist');

/** Newest modification time of the app's sources (unit tests are not part of the build). */
function newestMtime(target: string): number {
  const stats = statSync(target);
  if (!stats.isDirectory()) return /\.test\.tsx?$/.test(target) ? 0 : stats.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** Builds web/dist when it is missing or older than the sources, so the browser tests the current code. */
export function ensureWebBuild(): void {
  const index = path.join(WEB_DIST, 'index.html');
  const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((name) => path.join(WEB, name));
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', path.join(WEB, 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: ROOT,
    encoding: 'utf8',
    // vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error(`web build failed:\n${result.stdout}\n${result.stderr}`);
}

export interface E2eServer {
  app: TestApp;
  baseUrl: string;
  close(): Promise<void>;
}

/** `port`: listen there (from freePort) when the config must name the server's own address, e.g. PUBLIC_URL. */
export async function startServer(config: Partial<Config> = {}, port = 0): Promise<E2eServer> {
  // As production starts: every response serializer compiled at boot, none during the first requests.
  const app = await createTestApp({ config: { webDistDir: WEB_DIST, ...config }, deps: { serializersOnFirstUse: false } });
  await app.app.listen({ port, host: '127.0.0.1' });
  const address = app.app.server.address();
  if (!address || typeof address === 'string') throw new Error('server did not listen on a TCP port');
  return { app, baseUrl: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export function newContext(
  browser: Browser,
  options: { locale?: string; viewport?: { width: number; height: number }; colorScheme?: 'dark' | 'light'; hasTouch?: boolean } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    locale: options.locale ?? 'en-US',
    viewport: options.viewport ?? DESKTOP,
    deviceScaleFactor: 1,
    colorScheme: options.colorScheme ?? 'dark',
    hasTouch: options.hasTouch,
  });
}

/** Collects what the browser reports as Content-Security-Policy violations or uncaught page errors. */
export function watchPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  return problems;
}

/** JSON calls to the server as a non-browser client (anchor API with its bearer token). */
export class ApiClient {
  token?: string;
  constructor(private readonly baseUrl: string) {}

  async call<T = Record<string, unknown>>(method: string, url: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(this.baseUrl + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await response.json()) as T & { code?: number };
    if (!response.ok || json.code !== 0) throw new Error(`${method} ${url} -> ${response.status} ${JSON.stringify(json)}`);
    return json;
  }
}

export interface SillyTavernMessage {
  name: string;
  is_user: boolean;
  mes: string;
  send_date: string;
}

/** An anchor with a live room, as the anchor API creates one. */
export async function createLiveRoom(
  baseUrl: string,
  room: { character_name: string; title: string; describe?: string; room_type?: number; coin_num?: number },
  messages: SillyTavernMessage[],
): Promise<{ anchor: ApiClient; anchorName: string; roomId: string }> {
  const anchor = new ApiClient(baseUrl);
  const anchorName = `anchor_${Math.random().toString(36).slice(2, 10)}`;
  const registered = await anchor.call<{ data: { token: string } }>('POST', '/api/anchor/register', { username: anchorName, password: 'correct horse battery' });
  anchor.token = registered.data.token;
  const created = await anchor.call<{ data: { room: { room_id: string } } }>('POST', '/api/anchor/rooms', {
    character_date: `2025-07-03@18h${String(Math.floor(Math.random() * 60)).padStart(2, '0')}m20s`,
    ...room,
  });
  const roomId = created.data.room.room_id;
  await anchor.call('POST', `/api/anchor/rooms/${roomId}/live`, { live_status: 'start' });
  for (let i = 0; i < messages.length; i += 500) {
    await anchor.call('POST', `/api/anchor/rooms/${roomId}/messages`, { messages: messages.slice(i, i + 500) });
  }
  return { anchor, anchorName, roomId };
}

/** Polls a condition from the test side (page-side polling would need eval, which the CSP forbids). */
export async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function stMessage(name: string, isUser: boolean, mes: string): SillyTavernMessage {
  return { name, is_user: isUser, mes, send_date: 'July 11, 2025 5:51pm' };
}

/** A user with a session cookie, registered through the API (faster than the dialog when the test is not about it). */
export async function registerUser(baseUrl: string, username: string, password = 'correct horse battery'): Promise<{ cookie: string; uid: string }> {
  const response = await fetch(`${baseUrl}/api/users/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await response.json()) as { code: number; data: { user_info: { uid: string } } };
  if (body.code !== 0) throw new Error(`register ${username}: ${JSON.stringify(body)}`);
  const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { cookie, uid: body.data.user_info.uid };
}

/** Puts a session cookie from registerUser into a browser context. */
export async function signIn(context: BrowserContext, baseUrl: string, cookie: string): Promise<void> {
  const url = new URL(baseUrl);
  await context.addCookies(
    cookie.split('; ').map((pair) => {
      const [name, ...value] = pair.split('=');
      return { name: name!, value: value.join('='), domain: url.hostname, path: '/' };
    }),
  );
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/**
 * Runs axe-core (from the npm package, injected through the DevTools protocol, which the page's
 * CSP does not govern) on the page as it is now; returns the serious and critical violations.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate(`window.axe.run(document, { resultTypes: ['violations'] })`)) as { violations: AxeViolation[] };
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ ...violation, nodes: violation.nodes.slice(0, 3).map(({ target, failureSummary }) => ({ target, failureSummary })) }));
}

/**
 * A TCP proxy between the browser and the server that can stop forwarding without closing
 * anything, like a middlebox that starts dropping packets: both sides keep their sockets open and
 * hear nothing. `resume()` cuts the dead connections (as their timeouts eventually would) and
 * forwards again.
 */
export class StallingProxy {
  private readonly sockets = new Set<Socket>();
  private stalled = false;
  private readonly server: Server;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => {
      const upstream = connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.on('data', (chunk) => {
        if (!this.stalled) upstream.write(chunk);
      });
      upstream.on('data', (chunk) => {
        if (!this.stalled) client.write(chunk);
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${this.port}`;
  }

  stall(): void {
    this.stalled = true;
  }

  resume(): void {
    this.stalled = false;
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
