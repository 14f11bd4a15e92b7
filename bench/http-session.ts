/** Minimal HTTP client for bench set-up: keeps cookies like a browser and can carry a bearer token. */
export class HttpSession {
  private readonly cookies = new Map<string, string>();
  bearer?: string;

  constructor(readonly base: string) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    // What Chromium sends: routes that compress their answers pay for it in the figures.
    const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br, zstd', ...extra };
    if (this.cookies.size) headers.cookie = this.cookieHeader;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    return headers;
  }

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(this.base + path, {
      method,
      headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (name) this.cookies.set(name.trim(), value.join('='));
    }
    const json = (await response.json()) as T & { code?: number };
    if (!response.ok) throw new Error(`${method} ${path} -> ${response.status} ${JSON.stringify(json)}`);
    return json;
  }
}
