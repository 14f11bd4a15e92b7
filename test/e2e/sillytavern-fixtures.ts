/**
 * What the SillyTavern end-to-end test runs besides our server: unmodified SillyTavern (installed
 * by scripts/install-sillytavern.sh) in a private folder, and a fake OpenAI-compatible backend that
 * streams its replies as server-sent events, one word at a time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

export const SILLYTAVERN_VERSION = '1.19.0';
export const SILLYTAVERN_DIR =
  process.env.SILLYTAVERN_DIR ?? path.join(homedir(), '.cache/pecktra', `sillytavern-${SILLYTAVERN_VERSION}`, 'node_modules/sillytavern');
export const hasSillyTavern = existsSync(path.join(SILLYTAVERN_DIR, 'server.js'));

/** A fake chat-completion backend: each request streams `nextReply()` word by word. */
export class FakeOpenAi {
  private server?: Server;
  url = '';
  replies = 0;
  /** Time between streamed words. */
  wordDelayMs = 60;

  nextReply(): string {
    this.replies += 1;
    return `Reply ${this.replies}: Greetings, traveller. She lowers her bow and smiles, for the forest told her you would come.`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => void this.answer(request.method ?? 'GET', request.url ?? '/', body, response));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/v1`;
  }

  private async answer(method: string, url: string, body: string, response: ServerResponse): Promise<void> {
    if (url.endsWith('/models')) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'fake-model', object: 'model' }] }));
      return;
    }
    if (method !== 'POST' || !url.endsWith('/chat/completions')) {
      response.writeHead(404).end();
      return;
    }
    const request = JSON.parse(body || '{}') as { stream?: boolean };
    const reply = this.nextReply();
    const id = `chatcmpl-${this.replies}`;
    if (!request.stream) {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ id, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop' }] }));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const words = reply.split(/(?<= )/);
    for (const word of words) {
      if (response.destroyed) return;
      response.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: word }, finish_reason: null }] })}\n\n`);
      await new Promise((resolve) => setTimeout(resolve, this.wordDelayMs));
    }
    response.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
    response.end('data: [DONE]\n\n');
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** SillyTavern on a free port with its own config and data folder, configured as the guide says. */
export class SillyTavernProcess {
  private child?: ChildProcess;
  readonly home = mkdtempSync(path.join(tmpdir(), 'pecktra-st-'));
  readonly dataRoot = path.join(this.home, 'data');
  url = '';
  log = '';

  constructor(private readonly port: number) {
    mkdirSync(this.dataRoot, { recursive: true });
  }

  async start(): Promise<void> {
    const config = path.join(this.home, 'config.yaml');
    writeFileSync(
      config,
      [
        `dataRoot: ${JSON.stringify(this.dataRoot)}`,
        'listen: false',
        `port: ${this.port}`,
        'browserLaunch:',
        '  enabled: false',
        'extensions:',
        '  enabled: true',
        '  autoUpdate: false',
        '  models:',
        '    autoDownload: false',
        'enableDownloadableTokenizers: false',
        '',
      ].join('\n'),
    );
    this.child = spawn(process.execPath, ['server.js', '--configPath', config], { cwd: SILLYTAVERN_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString('utf8')).slice(-20_000);
    };
    this.child.stdout!.on('data', collect);
    this.child.stderr!.on('data', collect);
    this.url = `http://127.0.0.1:${this.port}`;
    // The first start compiles SillyTavern's frontend (~35 s), later ones take a few seconds.
    const deadline = Date.now() + 180_000;
    for (;;) {
      try {
        if ((await fetch(`${this.url}/`)).ok) return;
      } catch {
        // still starting
      }
      if (this.child.exitCode !== null || Date.now() > deadline) throw new Error(`SillyTavern did not start:\n${this.log}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/**
 * A TCP proxy standing in for our server as SillyTavern's page sees it: `down()` makes it behave
 * like a stopped server (open connections reset, new ones refused) until `up()`.
 */
export class OutageProxy {
  private readonly sockets = new Set<Socket>();
  private isDown = false;
  private readonly server: NetServer;
  url = '';

  constructor(target: string) {
    const { hostname, port } = new URL(target);
    this.server = createNetServer((client) => {
      if (this.isDown) {
        client.resetAndDestroy();
        return;
      }
      const upstream = connect(Number(port), hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  down(): void {
    this.isDown = true;
    for (const socket of this.sockets) socket.resetAndDestroy();
  }

  up(): void {
    this.isDown = false;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
