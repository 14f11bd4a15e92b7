/**
 * A real OpenID provider (the oidc-provider package) on this machine standing in for Google: the
 * same discovery, code flow, PKCE, ID tokens and refusals, with a one-field sign-in page. Whoever
 * types `name` is the Google account `name` (subject `sub-name`, e-mail `name@example.com`); a name
 * starting with "unverified" has an unverified e-mail.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

export const FAKE_GOOGLE_CLIENT_ID = 'pecktra-test-client';
export const FAKE_GOOGLE_CLIENT_SECRET = 'pecktra-test-secret-0123456789abcdef0123456789';

export interface FakeGoogle {
  issuer: string;
  /**
   * Starts answering, for a client that may redirect to these URIs. startFakeGoogle does it when
   * given them; a site whose address is known only once it listens (which needs the issuer first)
   * calls it then.
   */
  serve(redirectUris: string[]): void;
  close(): Promise<void>;
  /**
   * Plays a browser at the provider: follows the authorization URL, signs in as `login` and
   * returns the redirect back to the site (its query string holds the code and state).
   */
  authorize(authorizationUrl: string, login: string): Promise<URL>;
}

export async function startFakeGoogle(redirectUris?: string[]): Promise<FakeGoogle> {
  // The issuer names the port, so the server listens first and gets its handler once the provider exists.
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let handler = (_req: IncomingMessage, res: ServerResponse) => void res.writeHead(503).end();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => handler(req, res));
  const google: FakeGoogle = {
    issuer,
    serve: (uris) => {
      const provider = fakeGoogleProvider(issuer, uris);
      const handle = provider.callback();
      handler = (req, res) => {
        if (req.url?.startsWith('/interaction/')) return void interaction(provider, req, res).catch((err: Error) => res.writeHead(500).end(err.message));
        return void handle(req, res);
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    authorize: (authorizationUrl, login) => authorizeAs(authorizationUrl, login),
  };
  if (redirectUris) google.serve(redirectUris);
  return google;
}

function fakeGoogleProvider(issuer: string, redirectUris: string[]): Provider {

  const configuration: Configuration = {
    clients: [
      {
        client_id: FAKE_GOOGLE_CLIENT_ID,
        client_secret: FAKE_GOOGLE_CLIENT_SECRET,
        redirect_uris: redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => {
        const name = sub.replace(/^sub-/, '');
        return { sub, email: `${name}@example.com`, email_verified: !name.startsWith('unverified'), name: `${name} Tester` };
      },
    }),
    // Like Google for a returning user: no consent screen, the scopes asked for are granted.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const accountId = ctx.oidc.session?.accountId;
      const client = ctx.oidc.client;
      if (!accountId || !client) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // Google puts the e-mail claims in the ID token itself.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true, methods: ['S256'] },
    cookies: { keys: ['fake-google-cookie-key'] },
    ttl: { AuthorizationCode: 60, IdToken: 3600, AccessToken: 3600, Session: 3600, Interaction: 600, Grant: 3600 },
  };
  const provider = new Provider(issuer, configuration);
  // Quiet: refused requests (replayed codes) are what the tests provoke.
  provider.on('server_error', () => undefined);
  return provider;
}

/** The provider's sign-in page: one field, the Google account to be. */
async function interaction(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'POST') {
    const body = new URLSearchParams(await readBody(req));
    const login = (body.get('login') ?? '').trim();
    if (!/^[a-z0-9_]{1,40}$/.test(login)) return void res.writeHead(400).end('bad login');
    await provider.interactionFinished(req, res, { login: { accountId: `sub-${login}` } }, { mergeWithLastSubmission: false });
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html><head><title>Sign in - Fake Google</title></head><body>
<h1>Sign in with your Fake Google account</h1>
<form method="post" action="/interaction/${details.uid}">
<label>Google account <input name="login" autocomplete="off"></label>
<button type="submit">Continue</button>
</form></body></html>`);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

/** A minimal browser at the provider: a cookie jar per host and manual redirects. */
async function authorizeAs(authorizationUrl: string, login: string): Promise<URL> {
  const jar = new Map<string, string>();
  const issuerOrigin = new URL(authorizationUrl).origin;
  const send = async (url: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  };
  let url = authorizationUrl;
  let response = await send(url);
  for (let hops = 0; hops < 10; hops++) {
    if (response.status >= 300 && response.status < 400) {
      const next = new URL(response.headers.get('location')!, url);
      if (next.origin !== issuerOrigin) return next;
      url = next.href;
      response = await send(url);
      continue;
    }
    if (response.status === 200 && new URL(url).pathname.startsWith('/interaction/')) {
      response = await send(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ login }).toString() });
      continue;
    }
    throw new Error(`fake Google answered ${response.status} at ${url}: ${await response.text()}`);
  }
  throw new Error('fake Google redirected too often');
}
