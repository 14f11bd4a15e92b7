import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
const INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>';

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

  it('serves index.html at / with a CSP that forbids inline scripts and no caching', async () => {
    const res = await t.app.inject({ url: '/', headers: HTML });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toBe(INDEX);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('answers client routes with index.html so deep links and reloads work', async () => {
    for (const url of ['/live/room_123', '/wallet', '/live/abc?x=1', '/some/unknown/page']) {
      const res = await t.app.inject({ url, headers: HTML });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toBe(INDEX);
    }
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
