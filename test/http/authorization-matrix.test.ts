/**
 * The authorization matrix: every route the app registers × every kind of caller (guest, viewer,
 * other viewer, anchor, other anchor, revoked anchor token, logged-out session, cross-site page),
 * each with the outcome it must get. The expectation follows from the route's declared access;
 * a row overrides it where ownership matters. A registered route missing from ROUTES fails the test.
 *
 * Adding a route: add one line to ROUTES, e.g. `'POST /api/x': {}` (the declared access decides), or
 * `{ owner: 'viewer' }` when it acts on a resource of the viewer (another viewer must get a 404), a
 * `body` when the generated one does not fit, `expect` for anything else.
 */
import Fastify, { type LightMyRequestResponse, type RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { application } from '../../src/app.js';
import type { AuthLevel } from '../../src/http/route-access.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { PASSWORD, TestClient, registerAnchor, registerViewer } from '../helpers/client.js';
import { openRoom, postMessages } from '../helpers/rooms.js';

const IDENTITIES = ['guest', 'revokedToken', 'loggedOut', 'crossSite', 'otherViewer', 'otherAnchor', 'viewer', 'anchor'] as const;
type Identity = (typeof IDENTITIES)[number];

/**
 * - ok: served (any answer below 500 that is not an access refusal: 2xx, or a business 4xx such
 *   as 402 or 409, which proves the access check let the caller through);
 * - unauthorized: 401; forbidden: 403 (not an anchor account); cross_site: 403 cross_site_request;
 * - hidden: 404, someone else's resource is not there for this caller.
 */
type Outcome = 'ok' | 'unauthorized' | 'forbidden' | 'cross_site' | 'hidden';

interface Row {
  /** Whose resource the route acts on: the other viewer / other anchor is refused with a 404. */
  owner?: 'viewer' | 'anchor';
  /** A valid body, when the one generated from the schema does not pass validation. */
  body?: (world: World) => unknown;
  query?: Record<string, string>;
  expect?: Partial<Record<Identity, Outcome>>;
}

/** Every route, by "METHOD url" as registered (HEAD twins left out). */
const ROUTES: Record<string, Row> = {
  'POST /api/admin/login': { body: () => ({ username: 'not_an_operator', password: PASSWORD }), expect: { ...everyone('unauthorized'), crossSite: 'cross_site' } },
  'GET /api/admin/me': {},
  'POST /api/admin/reauth': {},
  'GET /api/admin/audit': {},
  'GET /api/admin/users': {},
  'GET /api/admin/users/:uid': {},
  'POST /api/admin/users/:uid/ban': {},
  'POST /api/admin/users/:uid/unban': {},
  'POST /api/admin/users/:uid/adjust': {},
  'GET /api/admin/reports': {},
  'POST /api/admin/reports/decide': { body: (w) => ({ room_id: w.roomId, target: 'room', outcome: 'dismissed', reason: 'matrix' }) },
  'GET /api/admin/payments/orders': {},
  'GET /api/admin/payments/attention': {},
  'POST /api/admin/payments/orders/:order_id/credit_partial': {},
  'GET /api/admin/money/summary': {},
  'GET /api/admin/ledger': {},
  'POST /api/admin/ledger/verify': {},
  'GET /api/admin/rooms': {},
  'GET /api/admin/rooms/:room_id': {},
  'POST /api/admin/rooms/:room_id/take_down': {},
  'POST /api/admin/rooms/:room_id/restore': {},
  'POST /api/admin/rooms/:room_id/lines/:floor/remove': {},
  'POST /api/admin/rooms/:room_id/user_messages/:id/remove': {},
  'POST /api/live/report': { body: (w) => ({ room_id: w.roomId, target: 'room', reason: 'spam' }) },
  'GET /api/anchor/earnings': {},
  'GET /api/anchor/earnings/entries': {},
  'GET /api/anchor/earnings/report': { query: { from: '2025-01-01', to: '2025-01-31' } },
  'GET /api/anchor/earnings/export': { query: { from: '2025-01-01', to: '2025-01-31' } },
  'GET /api/anchor/rooms': {},
  'PATCH /api/anchor/profile': {},
  'PATCH /api/anchor/rooms/:room_id': { owner: 'anchor' },
  'DELETE /api/anchor/rooms/:room_id': { owner: 'anchor' },
  'POST /api/anchor/rooms/:room_id/archive': { owner: 'anchor', body: () => ({ archived: true }) },
  'PUT /api/anchor/rooms/:room_id/cover': { owner: 'anchor' },
  'DELETE /api/anchor/rooms/:room_id/cover': { owner: 'anchor' },
  'PUT /api/anchor/rooms/:room_id/avatar': { owner: 'anchor' },
  'DELETE /api/anchor/rooms/:room_id/avatar': { owner: 'anchor' },
  'POST /api/anchor/login': { body: (w) => ({ username: w.anchorName, password: PASSWORD }) },
  'POST /api/anchor/logout': {},
  'POST /api/anchor/register': { body: () => ({ username: `matrix_${++registrations}`, password: PASSWORD }) },
  'POST /api/anchor/rooms': { body: () => ({ character_name: 'Matrix', character_date: `2025-01-01@00h00m${++registrations}s` }) },
  'POST /api/anchor/rooms/:room_id/live': { owner: 'anchor', body: () => ({ live_status: 'start' }) },
  'POST /api/anchor/rooms/:room_id/messages': { owner: 'anchor', body: () => ({ name: 'Seraphina', is_user: false, mes: 'hello' }) },
  'DELETE /api/anchor/rooms/:room_id/messages/:floor': { owner: 'anchor' },
  'POST /api/anchor/rooms/:room_id/mute': { owner: 'anchor', body: (w) => ({ uid: w.viewerId, minutes: 10 }) },
  'POST /api/anchor/rooms/:room_id/typing': { owner: 'anchor', body: () => ({ floor: 1, text: 'typing' }) },
  'DELETE /api/anchor/rooms/:room_id/user_messages/:id': { owner: 'anchor' },
  'GET /api/anchor/tokens': {},
  'POST /api/anchor/tokens': { body: () => ({ name: 'matrix device' }) },
  'DELETE /api/anchor/tokens': {},
  'DELETE /api/anchor/tokens/:token_id': { owner: 'anchor' },
  'GET /api/live/get_all_lives': {},
  'GET /api/live/get_followed_lives': {},
  'GET /api/live/get_live_chat_history': {},
  'POST /api/live/get_live_chat_history': {},
  'GET /api/live/get_live_info': {},
  'POST /api/live/get_live_info': {},
  'GET /api/live/get_user_chat_history': {},
  'POST /api/live/get_user_chat_history': {},
  'GET /api/live/gifts': {},
  'GET /api/live/search': { query: { q: 'matrix' } },
  'GET /api/live/tags': {},
  'GET /api/live/leaderboard': {},
  'POST /api/live/send_gift': { body: (w) => ({ room_id: w.roomId, gift_id: 'heart', count: 1, amount: 1 }) },
  'POST /api/live/follow': { body: (w) => ({ room_id: w.roomId, follow_status: true }) },
  'POST /api/live/pay_vip_coin': { body: (w) => ({ anchor_id: w.anchorId, room_id: w.roomId, amount: 1 }) },
  'POST /api/live/save_user_chat_history': { body: (w) => ({ room_id: w.roomId, user_message: 'hi' }) },
  'POST /api/live/subscribe': { body: (w) => ({ anchor_id: w.anchorId }) },
  'GET /api/payment/check_payment_status/:order_id': { owner: 'viewer' },
  // Public, and authenticated by the provider's signature instead: without one every caller gets 401.
  'POST /api/payment/ipn': { expect: { ...everyone('unauthorized'), crossSite: 'cross_site' } },
  'GET /api/payment/orders': {},
  'GET /api/payment/packages': {},
  'POST /api/payment/process_recharge': { body: () => ({ crypto_amount: 12 }) },
  'POST /api/payment/simulate/:order_id': { owner: 'viewer', body: () => ({ status: 'finished' }) },
  'POST /api/users/become_anchor': {},
  'GET /api/users/blocks': {},
  'POST /api/users/blocks': { body: (w) => ({ uid: w.anchorId, blocked: true }) },
  'GET /api/users/is_logged_in': {},
  'GET /api/users/is_google_logged_in': {},
  'POST /api/users/change_password': { body: () => ({ current_password: PASSWORD, new_password: PASSWORD }) },
  'POST /api/users/change_username': { body: () => ({ username: `renamed_${++registrations}` }) },
  'POST /api/users/delete_account': { body: () => ({ password: PASSWORD }) },
  'POST /api/users/login': { body: (w) => ({ username: w.viewerName, password: PASSWORD }) },
  'GET,POST /api/users/login_out': {},
  'POST /api/users/register': { body: () => ({ username: `matrix_${++registrations}`, password: PASSWORD }) },
  'GET /api/users/sign_in_methods': {},
  'GET /api/users/google/login': {},
  'GET /api/users/google/link': {},
  'GET /api/users/google/callback': {},
  'GET /api/users/identities': {},
  'DELETE /api/users/identities/google': {},
  'GET /api/wallet/balance': {},
  'GET /api/wallet/transactions': {},
  'GET /api/wallet/subscriptions': {},
  'GET /ws/chat/:room_id': {},
  'GET /ws/chat/:room_id/:room_name': {},
  'GET /ws/notifications': {},
};
let registrations = 0;

function everyone(outcome: Outcome): Record<Identity, Outcome> {
  return Object.fromEntries(IDENTITIES.map((identity) => [identity, outcome])) as Record<Identity, Outcome>;
}

/** What the declared access level means for each caller; `write`: a method that changes state. */
function expectedByLevel(level: AuthLevel, identity: Identity, write: boolean): Outcome {
  // A browser page on another site: its cookie-carrying writes are refused whatever the route.
  if (identity === 'crossSite' && write) return 'cross_site';
  switch (level) {
    case 'public':
    case 'viewer':
      return 'ok';
    case 'user':
      // Only a session cookie signs a user in: an anchor's bearer token is not one.
      return ['viewer', 'otherViewer', 'crossSite'].includes(identity) ? 'ok' : 'unauthorized';
    case 'anchor':
      if (identity === 'anchor' || identity === 'otherAnchor') return 'ok';
      // A viewer session is not an anchor account (and a cross-site page never rides the console's session).
      return ['viewer', 'otherViewer', 'crossSite'].includes(identity) ? 'forbidden' : 'unauthorized';
    case 'operator':
      // Nobody in this cast holds the operator role: a viewer session is refused, and an anchor's
      // bearer token is no operator sign-in at all.
      return ['viewer', 'otherViewer', 'crossSite'].includes(identity) ? 'forbidden' : 'unauthorized';
  }
}

interface World {
  clients: Record<Identity, TestClient>;
  viewerId: string;
  viewerName: string;
  anchorId: string;
  anchorName: string;
  roomId: string;
  orderId: string;
  tokenId: string;
  userMessageId: number;
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

/** A fresh cast for each route, so a route that changes things (log out, delete) cannot spoil the next. */
async function world(): Promise<World> {
  const [viewer, otherViewer, anchor, otherAnchor, revoked, leaver] = await Promise.all([
    registerViewer(t.app),
    registerViewer(t.app),
    registerAnchor(t.app),
    registerAnchor(t.app),
    registerAnchor(t.app),
    registerViewer(t.app),
  ]);
  const revokedClient = new TestClient(t.app);
  revokedClient.bearer = revoked.client.bearer;
  await revoked.client.post('/api/anchor/logout');
  const loggedOut = new TestClient(t.app);
  for (const [name, value] of leaver.client.cookies) loggedOut.cookies.set(name, value);
  await leaver.client.get('/api/users/login_out');
  const crossSite = new CrossSiteClient(t.app);
  for (const [name, value] of viewer.client.cookies) crossSite.cookies.set(name, value);

  const roomId = await openRoom(anchor.client);
  await anchor.client.post(`/api/anchor/rooms/${roomId}/live`, { live_status: 'start' });
  await postMessages(anchor.client, roomId, { name: 'Seraphina', is_user: false, mes: 'first line' });
  const message = await viewer.client.post('/api/live/save_user_chat_history', { room_id: roomId, user_message: 'hello' });
  const order = await viewer.client.post('/api/payment/process_recharge', { crypto_amount: 12 });
  const tokens = await anchor.client.get('/api/anchor/tokens');
  return {
    clients: {
      guest: new TestClient(t.app),
      revokedToken: revokedClient,
      loggedOut,
      crossSite,
      otherViewer: otherViewer.client,
      otherAnchor: otherAnchor.client,
      viewer: viewer.client,
      anchor: anchor.client,
    },
    viewerId: viewer.uid,
    viewerName: viewer.username,
    anchorId: anchor.uid,
    anchorName: anchor.username,
    roomId,
    orderId: order.json().order_id as string,
    tokenId: tokens.json().data.tokens[0].id as string,
    userMessageId: message.json().data.id as number,
  };
}

/** A page on another site making the request with the viewer's cookies, as browsers mark it. */
class CrossSiteClient extends TestClient {
  override request(...[method, url, options = {}]: Parameters<TestClient['request']>) {
    return super.request(method, url, { ...options, headers: { ...options.headers, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
  }
}

type Schema = { $ref?: string; type?: string; properties?: Record<string, Schema>; required?: string[]; anyOf?: Schema[]; enum?: unknown[]; const?: unknown; minimum?: number; minLength?: number; minItems?: number; items?: Schema };

/** The smallest value that passes the schema, for routes whose row gives no body. */
function sample(schema: Schema | undefined, components: Record<string, Schema>): unknown {
  if (!schema) return undefined;
  if (schema.$ref) return sample(components[schema.$ref.replace(/^#\/components\/schemas\//, '')], components);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return sample(schema.anyOf.find((option) => option.type !== 'null') ?? schema.anyOf[0], components);
  switch (schema.type) {
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((key) => [key, sample(schema.properties?.[key], components)]));
    case 'array':
      return schema.minItems ? [sample(schema.items, components)] : [];
    case 'string':
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    default:
      return undefined;
  }
}

function classify(response: LightMyRequestResponse): Outcome | 'server_error' {
  const error = response.headers['content-type']?.toString().includes('json') ? (response.json() as { error?: string }).error : undefined;
  if (response.statusCode >= 500) return 'server_error';
  if (response.statusCode === 401) return 'unauthorized';
  if (response.statusCode === 403) return error === 'cross_site_request' ? 'cross_site' : 'forbidden';
  if (response.statusCode === 404 && /not_found/.test(error ?? '') && error !== 'google_not_configured') return 'hidden';
  return 'ok';
}

/** Every route the application registers, read from a throwaway instance. */
async function registeredRoutes(): Promise<RouteOptions[]> {
  const server = Fastify();
  const registered: RouteOptions[] = [];
  server.addHook('onRoute', (route) => {
    registered.push(route);
  });
  await server.register(application, t.deps);
  await server.ready();
  await server.close();
  return registered;
}

describe('authorization matrix', () => {
  it('gives every caller of every route the outcome its access and ownership call for', { timeout: 120_000 }, async () => {
    const registered = await registeredRoutes();
    const routes = registered.filter((route) => route.method !== 'HEAD' && /^\/(api|ws)\//.test(route.url));
    const keys = routes.map((route) => `${String(route.method)} ${route.url}`);
    expect(keys.filter((key) => !(key in ROUTES)), 'routes missing from the matrix').toEqual([]);
    expect(Object.keys(ROUTES).filter((key) => !keys.includes(key)), 'rows for routes that no longer exist').toEqual([]);

    const doc = (await t.app.inject('/docs/json')).json() as {
      paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
      components: { schemas: Record<string, Schema> };
    };
    const mismatches: string[] = [];
    for (const route of routes) {
      const key = `${String(route.method)} ${route.url}`;
      const row = ROUTES[key]!;
      const method = (Array.isArray(route.method) ? route.method[0] : route.method) as 'GET' | 'POST' | 'PATCH' | 'DELETE';
      const level = route.config?.auth as AuthLevel;
      const w = await world();
      const url = route.url
        .replace(':room_id', w.roomId)
        .replace(':room_name', 'room')
        .replace(':uid', w.viewerId)
        .replace(':floor', '0')
        .replace(':id', String(w.userMessageId))
        .replace(':token_id', w.tokenId)
        .replace(':order_id', w.orderId);
      const openApiPath = route.url.replace(/:(\w+)/g, '{$1}');
      const schema = doc.paths[openApiPath]?.[method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema;
      for (const identity of IDENTITIES) {
        // Cross-site, a GET that changes state and a WebSocket upgrade are refused like writes.
        const write = method !== 'GET' || route.config?.changesStateOnGet === true || route.url.startsWith('/ws/');
        let expected = row.expect?.[identity] ?? expectedByLevel(level, identity, write);
        if (expected === 'ok' && row.owner === 'viewer' && identity === 'otherViewer') expected = 'hidden';
        if (expected === 'ok' && row.owner === 'anchor' && identity === 'otherAnchor') expected = 'hidden';
        const body = row.body ? row.body(w) : write ? (sample(schema, doc.components.schemas) ?? {}) : undefined;
        const query = { room_id: w.roomId, ...row.query };
        const response = await w.clients[identity].request(method, url, { body, query });
        const outcome = classify(response);
        if (outcome !== expected) mismatches.push(`${key} as ${identity}: expected ${expected}, got ${response.statusCode} ${response.body.slice(0, 160)}`);
      }
    }
    expect(mismatches.join("\n")).toEqual("");
  });

  it('refuses a non-operator on every operator route whatever the request carries, before reading it', { timeout: 60_000 }, async () => {
    const registered = await registeredRoutes();
    const operatorRoutes = registered.filter((route) => route.method !== 'HEAD' && route.config?.auth === 'operator');
    expect(operatorRoutes.length).toBeGreaterThan(15);

    const w = await world();
    // Every part of the request wrong: path parameters, query and body (a wrong shape, or no JSON at all).
    const badRequests: Array<{ what: string; options: Parameters<TestClient['request']>[2] }> = [
      { what: 'a wrongly shaped body', options: { body: { reason: 42, amount: 'many', target: 'nope', outcome: [], password: {} } } },
      { what: 'a body that is not JSON', options: { payload: '{"reason":', headers: { 'content-type': 'application/json' } } },
      { what: 'a bad query', options: { query: { limit: 'lots', days: '-1', status: 'NOPE!', cursor: '../..', q: 'x'.repeat(1000) } } },
    ];
    const mismatches: string[] = [];
    for (const route of operatorRoutes) {
      const method = (Array.isArray(route.method) ? route.method[0] : route.method) as 'GET' | 'POST';
      const url = route.url.replace(/:(floor|id)\b/g, 'not-a-number').replace(/:\w+/g, 'bad%20id!');
      for (const identity of IDENTITIES) {
        const expected = expectedByLevel('operator', identity, method !== 'GET');
        for (const { what, options } of badRequests) {
          const response = await w.clients[identity].request(method, url, options);
          const outcome = classify(response);
          if (outcome !== expected) mismatches.push(`${method} ${route.url} as ${identity} with ${what}: expected ${expected}, got ${response.statusCode} ${response.body.slice(0, 160)}`);
        }
      }
    }
    expect(mismatches.join("\n")).toEqual("");
  });
});
