/**
 * API fuzzing driven by the OpenAPI document: every operation in /docs/json, as a guest, a viewer
 * and an anchor, with hostile values generated from each field's schema (wrong types, bounds, NUL
 * and other control characters, huge numbers, deep nesting, duplicate parameters, wrong content
 * types). No answer may be a 5xx, every error must be the envelope, and the server stays healthy.
 *
 * Fixed seed and a small count for CI; `npm run fuzz` runs far more (FUZZ_RUNS, FUZZ_SEED).
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TestClient, registerAnchor, registerViewer } from '../helpers/client.js';
import { openRoom, postMessages } from '../helpers/rooms.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 3);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_202);

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  maxLength?: number;
  maximum?: number;
  minimum?: number;
};
type Parameter = { in: string; name: string; schema?: Schema };
type Operation = { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } };
type OpenApi = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };

/** mulberry32: small, seedable, good enough to pick test values reproducibly. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const rnd = random(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;

const deep = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = rnd() < 0.5 ? [value] : { k: value };
  return value;
};

const HOSTILE_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  '\u0007\u001b[31m',
  '\r\n\r\nX-Injected: 1',
  '%00',
  '%E0%A4%A',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '游客',
  '\u202e\ufeff\ud800',
  'x'.repeat(5000),
  '99999999999999999999',
  '-1',
  '1e21',
  'NaN',
  'null',
  'true',
  '{"a":1}',
];
const HOSTILE_NUMBERS = [0, -1, 1, 1.5, -0, 2_147_483_647, 2_147_483_648, -2_147_483_649, 1e21, Number('9007199254740993'), Number('99999999999999999999'), Number.MAX_VALUE];

function resolve(schema: Schema | undefined, doc: OpenApi): Schema {
  if (!schema?.$ref) return schema ?? {};
  const name = schema.$ref.split('/').pop()!;
  return doc.components?.schemas?.[name] ?? {};
}

/** A value for the schema: sometimes plausible, mostly hostile. */
function hostileValue(raw: Schema | undefined, doc: OpenApi, real: Record<string, string>, name: string, depth = 0): unknown {
  const schema = resolve(raw, doc);
  const roll = rnd();
  if (roll < 0.15 && real[name] !== undefined) return real[name];
  if (roll < 0.25) return pick([null, true, [], {}, deep(pick([40, 2000])), pick(HOSTILE_NUMBERS), pick(HOSTILE_STRINGS)]);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return hostileValue(pick(variants), doc, real, name, depth);
  if (schema.enum && rnd() < 0.3) return pick(schema.enum);
  const type = Array.isArray(schema.type) ? pick(schema.type) : schema.type;
  switch (type) {
    case 'integer':
    case 'number':
      return rnd() < 0.8 ? pick(HOSTILE_NUMBERS) : pick(HOSTILE_STRINGS);
    case 'boolean':
      return pick([true, false, 'true', 0, null]);
    case 'array':
      return depth > 3 ? [] : Array.from({ length: pick([0, 1, 3, 600]) }, () => hostileValue(schema.items, doc, real, name, depth + 1));
    case 'object': {
      if (depth > 3) return {};
      const body: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        if (rnd() < 0.85) body[key] = hostileValue(property, doc, real, key, depth + 1);
      }
      if (rnd() < 0.2) body[pick(['__proto__', 'constructor', 'extra\u0000key', 'x'.repeat(300)])] = pick(HOSTILE_STRINGS);
      return body;
    }
    default:
      return pick(HOSTILE_STRINGS);
  }
}

/** Percent-encodes; a lone surrogate (not encodable) goes out as the invalid UTF-8 it would be. */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '')) + '%ED%A0%80';
  }
}

const asQueryText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value) ?? '');

function buildRequest(path: string, method: string, operation: Operation, doc: OpenApi, real: Record<string, string>) {
  let url = path;
  const query: string[] = [];
  const headers: Record<string, string> = {};
  for (const parameter of operation.parameters ?? []) {
    const value = asQueryText(hostileValue(parameter.schema, doc, real, parameter.name));
    if (parameter.in === 'path') url = url.replace(`{${parameter.name}}`, encode(value) || 'x');
    else if (parameter.in === 'query' && rnd() < 0.8) {
      query.push(`${parameter.name}=${encode(value)}`);
      if (rnd() < 0.15) query.push(`${parameter.name}=${encode(pick(HOSTILE_STRINGS))}`);
    } else if (parameter.in === 'header' && rnd() < 0.7) headers[parameter.name] = value.replace(/[\p{Cc}\u0080-\uffff]/gu, '?').slice(0, 300);
  }
  if (rnd() < 0.1) query.push(`${pick(['__proto__[x]', 'a[b][c]', 'zzz'])}=${encode(pick(HOSTILE_STRINGS))}`);
  const jsonSchema = operation.requestBody?.content?.['application/json']?.schema;
  let payload: string | undefined;
  if (jsonSchema || method !== 'GET') {
    const shape = rnd();
    if (shape < 0.7) {
      payload = JSON.stringify(hostileValue(jsonSchema, doc, real, 'body'));
      headers['content-type'] = 'application/json';
    } else if (shape < 0.8) {
      payload = `${'['.repeat(5000)}${']'.repeat(5000)}`;
      headers['content-type'] = 'application/json';
    } else if (shape < 0.9) {
      payload = pick(['{"a":', 'a=1&b=2', '\u0000\u0001', 'null']);
      headers['content-type'] = pick(['application/json', 'application/x-www-form-urlencoded', 'text/plain', 'application/x-ndjson', 'multipart/form-data; boundary=x']);
    }
  }
  return { url: query.length ? `${url}?${query.join('&')}` : url, headers, payload };
}

let t: TestApp;
let identities: Array<[string, () => TestClient]>;
let real: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  const viewer = await registerViewer(t.app);
  const anchor = await registerAnchor(t.app);
  const roomId = await openRoom(anchor.client);
  await postMessages(anchor.client, roomId, { name: 'Seraphina', is_user: false, mes: 'hello' });
  const order = await viewer.client.post('/api/payment/process_recharge', { crypto_amount: 12 });
  real = { room_id: roomId, order_id: order.json().order_id, uid: viewer.uid, floor: '0', id: '1' };
  identities = [
    ['guest', () => new TestClient(t.app)],
    ['viewer', () => viewer.client],
    ['anchor', () => anchor.client],
  ];
});
afterAll(() => t.close());

/** Signing out mid-run would turn the viewer and anchor into guests for the rest of it. */
const SIGNS_OUT = /login_out|\/logout/;

function problem(response: LightMyRequestResponse): string | undefined {
  if (response.statusCode >= 500) return `answered ${response.statusCode}: ${response.body.slice(0, 200)}`;
  if (response.statusCode < 400) return undefined;
  let body: unknown;
  try {
    body = response.json();
  } catch {
    return `error ${response.statusCode} is not JSON: ${response.body.slice(0, 200)}`;
  }
  const envelope = body as { code?: unknown; error?: unknown; message?: unknown };
  if (envelope.code !== 1 || typeof envelope.error !== 'string' || typeof envelope.message !== 'string') {
    return `error ${response.statusCode} outside the envelope: ${response.body.slice(0, 200)}`;
  }
  if (/call stack|at \w+ \(|node_modules|SQLITE_|syntax error at/i.test(envelope.message)) return `error message leaks internals: ${envelope.message}`;
  return undefined;
}

describe(`API fuzz (seed ${SEED}, ${RUNS} runs per operation and identity)`, () => {
  it('every operation of /docs/json answers hostile input without a 5xx, in the envelope, and the server stays healthy', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json() as OpenApi;
    const operations = Object.entries(doc.paths)
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })))
      .sort((a, b) => Number(SIGNS_OUT.test(a.path)) - Number(SIGNS_OUT.test(b.path)));
    expect(operations.length).toBeGreaterThan(30);

    const failures: string[] = [];
    let sent = 0;
    for (const { path, method, operation } of operations) {
      for (const [who, client] of identities) {
        for (let run = 0; run < RUNS; run++) {
          const request = buildRequest(path, method, operation, doc, real);
          const response = await client().request(method as 'GET', request.url, { headers: request.headers, payload: request.payload });
          sent += 1;
          const found = problem(response);
          if (found) failures.push(`${who} ${method} ${request.url.slice(0, 120)}: ${found}`);
        }
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(sent).toBe(operations.length * identities.length * RUNS);
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    expect((await new TestClient(t.app).get('/api/live/get_all_lives')).statusCode).toBe(200);
  }, 300_000);
});
