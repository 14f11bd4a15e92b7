/** A WebSocket test client that records every frame and waits for the ones a test expects. */
import type { IncomingHttpHeaders } from 'node:http';
import WebSocket from 'ws';

export interface Frame {
  type: string;
  data: Record<string, unknown>;
}

export interface Closed {
  code: number;
  reason: string;
}

export class WsClient {
  readonly frames: Frame[] = [];
  readonly closed: Promise<Closed>;
  /** Headers of the 101 answer (which instance a proxy picked, for example). */
  handshakeHeaders: IncomingHttpHeaders = {};
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      // Batch mode puts several events in one frame, newline-delimited.
      for (const line of data.toString('utf8').split('\n')) this.frames.push(JSON.parse(line) as Frame);
      this.notify();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        this.notify();
        resolve({ code, reason: reason.toString() });
      });
    });
    socket.on('error', () => undefined);
  }

  /**
   * Resolves once the upgrade succeeded (a refused upgrade rejects with the HTTP status).
   * `localAddress` picks the source address (127.0.0.x), to act as clients on different addresses.
   */
  static connect(url: string, headers: Record<string, string> = {}, options: { localAddress?: string } = {}): Promise<WsClient> {
    const socket = new WebSocket(url, { headers, perMessageDeflate: false, localAddress: options.localAddress });
    const client = new WsClient(socket);
    socket.once('upgrade', (response) => (client.handshakeHeaders = response.headers));
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_req, res) => {
        reject(new Error(`upgrade refused: ${res.statusCode}`));
        socket.terminate();
      });
      socket.once('error', reject);
    });
  }

  of(type: string): Array<Record<string, unknown>> {
    return this.frames.filter((frame) => frame.type === type).map((frame) => frame.data);
  }

  /** Waits until `predicate` holds for the frames received so far. */
  async until(predicate: (client: WsClient) => boolean, what = 'condition', timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.frames).slice(0, 2000)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  untilCount(type: string, count: number, timeoutMs?: number): Promise<void> {
    return this.until((client) => client.of(type).length >= count, `${count} × ${type}`, timeoutMs);
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  close(): Promise<Closed> {
    this.socket.close();
    return this.closed;
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
