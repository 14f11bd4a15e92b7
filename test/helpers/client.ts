/**
 * A tiny browser stand-in for app.inject(): keeps cookies between requests like a real browser,
 * so tests exercise sessions and guest names the way users do.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  query?: Record<string, string | number>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw payload (e.g. ndjson); `body` is JSON-encoded otherwise. */
  payload?: string | Buffer;
  /** The socket peer's address (default 127.0.0.1): how tests act as clients on different networks. */
  remoteAddress?: string;
}

export class TestClient {
  readonly cookies = new Map<string, string>();
  bearer?: string;

  constructor(private readonly app: FastifyInstance) {}

  async request(method: Method, url: string, options: RequestOptions = {}): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    const response = await this.app.inject({
      method,
      url,
      query: options.query ? Object.fromEntries(Object.entries(options.query).map(([k, v]) => [k, String(v)])) : undefined,
      headers,
      remoteAddress: options.remoteAddress,
      ...(options.payload !== undefined
        ? { payload: options.payload }
        : options.body !== undefined
          ? { payload: JSON.stringify(options.body), headers: { ...headers, 'content-type': 'application/json' } }
          : {}),
    });
    for (const cookie of response.cookies as Array<{ name: string; value: string; expires?: Date; maxAge?: number }>) {
      const expired = (cookie.expires && cookie.expires.getTime() <= Date.now()) || cookie.maxAge === 0 || cookie.value === '';
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return response;
  }

  get(url: string, options?: RequestOptions) {
    return this.request('GET', url, options);
  }
  post(url: string, body?: unknown, options: RequestOptions = {}) {
    return this.request('POST', url, { ...options, body });
  }
  patch(url: string, body?: unknown, options: RequestOptions = {}) {
    return this.request('PATCH', url, { ...options, body });
  }
  delete(url: string, options?: RequestOptions) {
    return this.request('DELETE', url, options);
  }
}

let counter = 0;
/** A unique valid username per call. */
export function uniqueName(prefix = 'user'): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}`;
}

export const PASSWORD = 'correct horse battery';

export async function registerViewer(app: FastifyInstance, username = uniqueName('viewer')) {
  const client = new TestClient(app);
  const res = await client.post('/api/users/register', { username, password: PASSWORD });
  if (res.statusCode !== 200) throw new Error(`register failed: ${res.body}`);
  return { client, uid: res.json().data.user_info.uid as string, username };
}

export async function registerAnchor(app: FastifyInstance, username = uniqueName('anchor')) {
  const client = new TestClient(app);
  const res = await client.post('/api/anchor/register', { username, password: PASSWORD });
  if (res.statusCode !== 200) throw new Error(`anchor register failed: ${res.body}`);
  const data = res.json().data as { uid: string; username: string; token: string };
  client.bearer = data.token;
  return { client, ...data };
}
