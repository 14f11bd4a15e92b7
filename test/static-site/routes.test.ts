import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { registerAnchor } from '../helpers/client.js';
import { openRoom, setLive } from '../helpers/rooms.js';

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
const INDEX =
  '<!doctype html><html lang="zh-CN"><head><meta name="description" content="Pecktra Live" /><title>Pecktra Live</title>' +
  '<script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>';
const preload = (url: string) => `<link rel="preload" as="fetch" crossorigin="anonymous" href="${url}" />`;
/** The page as served to a browser preferring `language`, outside a room: it preloads the session. */
const served = (language: string, extra: string[] = []) =>
  INDEX.replace('lang="zh-CN"', `lang="${language}"`).replace(
    '</head>',
    `  ${[preload('/api/users/is_logged_in'), ...extra.map(preload)].join('\n    ')}\n  </head>`,
  );

describe('serving the built web app', () => {
  let dist: string;
  let t: TestApp;

  beforeAll(async () => {
    dist = mkdtempSync(path.join(tmpdir(), 'pecktra-web-'));
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), INDEX);
    writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log("app")');
    writeFileSync(path.join(dist, 'assets', 'index-abc123.js.gz'), gzipSync('console.log("app")'));
    writeFileSync(path.join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    t = await createTestApp({ config: { webDistDir: dist } });
  });

  afterAll(async () => {
    await t.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('the root serves the app whatever the client accepts (curl sends */*)', async () => {
    for (const headers of [{ accept: '*/*' }, {}]) {
      const res = await t.app.inject({ url: '/', headers });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('<div id="root">');
    }
    expect((await t.app.inject({ url: '/assets/missing.js', headers: { accept: '*/*' } })).statusCode).toBe(404);
  });

  it('serves index.html at / with a CSP that forbids inline scripts and no caching', async () => {
    const res = await t.app.inject({ url: '/', headers: HTML });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toBe(served('zh-CN', ['/api/live/get_all_lives']));
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('answers client routes with index.html so deep links and reloads work', async () => {
    for (const url of ['/live/room_123', '/wallet', '/live/abc?x=1', '/some/unknown/page', '/following']) {
      const res = await t.app.inject({ url, headers: HTML });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toBe(served('zh-CN'));
    }
  });

  it("serves the page in the viewer's language: the one they picked, else their browser's first that the app speaks", async () => {
    const lang = async (headers: Record<string, string>) => /<html lang="([^"]+)">/.exec((await t.app.inject({ url: '/wallet', headers: { ...HTML, ...headers } })).body)?.[1];
    expect(await lang({ 'accept-language': 'en-US,en;q=0.9,zh-CN;q=0.8' })).toBe('en');
    expect(await lang({ 'accept-language': 'fr-FR, zh-TW;q=0.7, en;q=0.5' })).toBe('zh-CN');
    expect(await lang({ 'accept-language': 'de, en;q=0.4, zh;q=0.6' })).toBe('zh-CN');
    expect(await lang({ 'accept-language': 'de' })).toBe('zh-CN');
    expect(await lang({ 'accept-language': 'zh-CN', cookie: 'pk_lang=en' })).toBe('en');
    expect(await lang({ 'accept-language': 'en', cookie: 'pk_lang=zh-CN' })).toBe('zh-CN');
    const res = await t.app.inject({ url: '/', headers: HTML });
    expect(String(res.headers.vary)).toMatch(/accept-language/);
  });

  it('renders a room page with its title and Open Graph / Twitter card tags, escaped, for link previews', async () => {
    const anchor = await registerAnchor(t.app);
    const roomId = await openRoom(anchor.client, { title: 'Moonlit <glade> & "tea"', describe: 'A cozy role-play in an enchanted forest' });
    await setLive(anchor.client, roomId);
    const res = await t.app.inject({ url: `/live/${roomId}`, headers: { ...HTML, 'accept-language': 'en' } });
    const body = res.body;
    const tag = (key: string) => new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)" />`).exec(body)?.[1];
    expect(body).toContain(`<title>Moonlit &#60;glade&#62; &#38; &#34;tea&#34; · @${anchor.username} · Pecktra Live</title>`);
    expect(body).not.toContain('<glade>');
    expect(tag('og:title')).toBe(`Moonlit &#60;glade&#62; &#38; &#34;tea&#34; · @${anchor.username}`);
    expect(tag('og:description')).toBe('live now — A cozy role-play in an enchanted forest');
    expect(tag('og:url')).toBe(`${t.config.publicUrl}/live/${roomId}`);
    expect(tag('og:type')).toBe('website');
    expect(tag('twitter:card')).toBe('summary');
    expect(tag('description')).toBe('A cozy role-play in an enchanted forest');
    expect(body.match(/<title>/g)).toHaveLength(1);
    expect(body.match(/name="description"/g)).toHaveLength(1);
    expect(body).toContain('<script type="module" src="/assets/index-abc123.js"></script>');
    // The app's first requests, exactly as it makes them, start with the page.
    for (const url of [
      '/api/users/is_logged_in',
      `/api/live/get_live_info?room_id=${roomId}`,
      `/api/live/get_live_chat_history?room_id=${roomId}&#38;limit=200`,
      `/api/live/get_user_chat_history?room_id=${roomId}`,
    ]) {
      expect(body).toContain(preload(url));
    }

    const zh = await t.app.inject({ url: `/live/${roomId}`, headers: { ...HTML, 'accept-language': 'zh-CN' } });
    expect(zh.body).toContain('content="直播中 — A cozy role-play in an enchanted forest"');
    // An unknown room gets the plain page; the app shows its "not found".
    const unknown = await t.app.inject({ url: '/live/no_such_room', headers: HTML });
    expect(unknown.body).toBe(served('zh-CN'));
  });

  it('issues the guest cookie with the page, so its first API calls share one guest name', async () => {
    const res = await t.app.inject({ url: '/live/room_123', headers: HTML });
    expect(res.cookies.map((c) => c.name)).toContain('pk_guest');
    const again = await t.app.inject({ url: '/', headers: { ...HTML, cookie: `pk_guest=${res.cookies.find((c) => c.name === 'pk_guest')!.value}` } });
    expect(again.cookies.map((c) => c.name)).not.toContain('pk_guest');
  });

  it('caches hashed assets forever and other files briefly', async () => {
    const asset = await t.app.inject({ url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log("app")');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await t.app.inject({ url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('sends the pre-compressed twin to browsers that accept it, the plain file to others', async () => {
    const zipped = await t.app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.statusCode).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-type']).toMatch(/javascript/);
    expect(zipped.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(zipped.rawPayload).toEqual(gzipSync('console.log("app")'));
    expect(zipped.headers.vary).toBe('accept-encoding');
    const plain = await t.app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe('console.log("app")');
  });

  it('keeps a missing asset a 404 instead of answering with the page', async () => {
    const res = await t.app.inject({ url: '/assets/index-gone.js', headers: { accept: '*/*' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 1, error: 'not_found' });
  });

  it('never answers /api, /ws or /docs paths with the page', async () => {
    for (const url of ['/api/nope', '/api', '/ws/chat', '/docs/nope.html']) {
      const res = await t.app.inject({ url, headers: HTML });
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).not.toContain('<div id="root">');
    }
    const loggedIn = await t.app.inject({ url: '/api/users/is_logged_in', headers: HTML });
    expect(loggedIn.json()).toMatchObject({ code: 0, data: { user_info: { status: false } } });
    const docs = await t.app.inject({ url: '/docs/json' });
    expect(docs.json()).toHaveProperty('openapi');
  });

  it('does not serve files outside the build', async () => {
    for (const url of ['/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2findex.html']) {
      const res = await t.app.inject({ url, headers: { accept: '*/*' } });
      expect(res.statusCode, url).toBe(404);
    }
  });
});

describe('without a web build', () => {
  it('keeps the API running and tells the visitor how to build', async () => {
    const t = await createTestApp({ config: { webDistDir: path.join(tmpdir(), 'pecktra-no-such-build') } });
    try {
      const page = await t.app.inject({ url: '/', headers: HTML });
      expect(page.statusCode).toBe(503);
      expect(page.body).toContain('npm run build');
      const api = await t.app.inject({ url: '/api/users/is_logged_in' });
      expect(api.statusCode).toBe(200);
      const health = await t.app.inject({ url: '/healthz' });
      expect(health.statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});
