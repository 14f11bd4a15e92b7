/**
 * Every route declares who may call it (config.auth), and the app refuses to start with one that
 * does not: walks every route the app registers and checks the declared access of the API.
 */
import Fastify, { type RouteOptions } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { application, type AppDependencies } from '../../src/app.js';
import { AUTH_LEVELS } from '../../src/http/route-access.js';
import { MemoryRateLimiter } from '../../src/infra/rate-limiter.js';
import { MemoryEventBus } from '../../src/realtime/memory-event-bus.js';
import { MemoryPresence } from '../../src/realtime/presence.js';
import { createTestDatabase, testConfig, type TestDatabase } from '../helpers/app.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

function dependencies(): AppDependencies {
  return {
    config: testConfig(),
    db: database.db,
    rateLimiter: new MemoryRateLimiter(),
    eventBus: new MemoryEventBus(),
    presence: new MemoryPresence(),
    logger: pino({ level: 'silent' }),
  };
}

/** The app on a server of its own, with every route it registers recorded. */
async function registeredRoutes(): Promise<RouteOptions[]> {
  const server = Fastify();
  const routes: RouteOptions[] = [];
  server.addHook('onRoute', (route) => {
    routes.push(route);
  });
  await server.register(application, dependencies());
  await server.ready();
  await server.close();
  return routes;
}

/** The API's declared access, by "METHOD path" (HEAD twins left out). */
const API_ACCESS: Record<string, string> = {
  'POST /api/admin/login': 'public',
  'GET /api/admin/me': 'operator',
  'POST /api/admin/reauth': 'operator',
  'GET /api/admin/audit': 'operator',
  'GET /api/admin/users': 'operator',
  'GET /api/admin/users/:uid': 'operator',
  'POST /api/admin/users/:uid/ban': 'operator',
  'POST /api/admin/users/:uid/unban': 'operator',
  'POST /api/admin/users/:uid/adjust': 'operator',
  'GET /api/admin/rooms': 'operator',
  'GET /api/admin/reports': 'operator',
  'GET /api/admin/payments/orders': 'operator',
  'GET /api/admin/payments/attention': 'operator',
  'POST /api/admin/payments/orders/:order_id/credit_partial': 'operator',
  'GET /api/admin/money/summary': 'operator',
  'GET /api/admin/ledger': 'operator',
  'POST /api/admin/ledger/verify': 'operator',
  'POST /api/admin/reports/decide': 'operator',
  'POST /api/live/report': 'user',
  'GET /api/admin/rooms/:room_id': 'operator',
  'POST /api/admin/rooms/:room_id/take_down': 'operator',
  'POST /api/admin/rooms/:room_id/restore': 'operator',
  'POST /api/admin/rooms/:room_id/lines/:floor/remove': 'operator',
  'POST /api/admin/rooms/:room_id/user_messages/:id/remove': 'operator',
  'GET /api/anchor/earnings': 'anchor',
  'GET /api/anchor/earnings/entries': 'anchor',
  'GET /api/anchor/earnings/report': 'anchor',
  'GET /api/anchor/earnings/export': 'anchor',
  'GET /api/anchor/rooms': 'anchor',
  'PATCH /api/anchor/profile': 'anchor',
  'PATCH /api/anchor/rooms/:room_id': 'anchor',
  'DELETE /api/anchor/rooms/:room_id': 'anchor',
  'PUT /api/anchor/rooms/:room_id/cover': 'anchor',
  'DELETE /api/anchor/rooms/:room_id/cover': 'anchor',
  'PUT /api/anchor/rooms/:room_id/avatar': 'anchor',
  'DELETE /api/anchor/rooms/:room_id/avatar': 'anchor',
  'POST /api/anchor/rooms/:room_id/archive': 'anchor',
  'POST /api/anchor/login': 'public',
  'POST /api/anchor/logout': 'anchor',
  'POST /api/anchor/register': 'public',
  'POST /api/anchor/rooms': 'anchor',
  'POST /api/anchor/rooms/:room_id/live': 'anchor',
  'POST /api/anchor/rooms/:room_id/messages': 'anchor',
  'DELETE /api/anchor/rooms/:room_id/messages/:floor': 'anchor',
  'POST /api/anchor/rooms/:room_id/mute': 'anchor',
  'POST /api/anchor/rooms/:room_id/typing': 'anchor',
  'DELETE /api/anchor/rooms/:room_id/user_messages/:id': 'anchor',
  'GET /api/anchor/tokens': 'anchor',
  'POST /api/anchor/tokens': 'anchor',
  'DELETE /api/anchor/tokens': 'anchor',
  'DELETE /api/anchor/tokens/:token_id': 'anchor',
  'GET /api/live/get_all_lives': 'public',
  'GET /api/live/get_followed_lives': 'user',
  'GET /api/live/get_live_chat_history': 'viewer',
  'POST /api/live/get_live_chat_history': 'viewer',
  'GET /api/live/get_live_info': 'viewer',
  'POST /api/live/get_live_info': 'viewer',
  'GET /api/live/get_user_chat_history': 'viewer',
  'GET /api/live/gifts': 'public',
  'GET /api/live/leaderboard': 'public',
  'GET /api/live/search': 'public',
  'GET /api/live/tags': 'public',
  'POST /api/live/send_gift': 'user',
  'POST /api/live/get_user_chat_history': 'viewer',
  'POST /api/live/follow': 'user',
  'POST /api/live/pay_vip_coin': 'user',
  'POST /api/live/save_user_chat_history': 'viewer',
  'POST /api/live/subscribe': 'user',
  'GET /api/payment/check_payment_status/:order_id': 'user',
  'POST /api/payment/ipn': 'public',
  'GET /api/payment/orders': 'user',
  'GET /api/payment/packages': 'public',
  'POST /api/payment/process_recharge': 'user',
  'POST /api/payment/simulate/:order_id': 'user',
  'POST /api/users/become_anchor': 'user',
  'GET /api/users/blocks': 'user',
  'POST /api/users/blocks': 'user',
  'GET /api/users/is_logged_in': 'viewer',
  'GET /api/users/is_google_logged_in': 'viewer',
  'POST /api/users/change_password': 'user',
  'POST /api/users/change_username': 'user',
  'POST /api/users/delete_account': 'user',
  'POST /api/users/login': 'public',
  'GET,POST /api/users/login_out': 'public',
  'POST /api/users/register': 'public',
  'GET /api/users/sign_in_methods': 'public',
  'GET /api/users/google/login': 'public',
  'GET /api/users/google/link': 'user',
  'GET /api/users/google/callback': 'public',
  'GET /api/users/identities': 'user',
  'DELETE /api/users/identities/google': 'user',
  'GET /api/wallet/balance': 'user',
  'GET /api/wallet/transactions': 'user',
  'GET /api/wallet/subscriptions': 'user',
  'GET /ws/chat/:room_id': 'viewer',
  'GET /ws/chat/:room_id/:room_name': 'viewer',
  'GET /ws/notifications': 'user',
};

describe('route access', () => {
  it('is declared by every route the app registers', async () => {
    const routes = await registeredRoutes();
    expect(routes.length).toBeGreaterThan(Object.keys(API_ACCESS).length);
    const undeclared = routes.filter((route) => !(AUTH_LEVELS as readonly unknown[]).includes(route.config?.auth));
    expect(undeclared.map((route) => `${String(route.method)} ${route.url}`)).toEqual([]);

    const api = Object.fromEntries(
      routes
        .filter((route) => route.method !== 'HEAD' && /^\/(api|ws)\//.test(route.url))
        .map((route) => [`${String(route.method)} ${route.url}`, route.config?.auth]),
    );
    expect(api).toEqual(API_ACCESS);
    const others = routes.filter((route) => !/^\/(api|ws)\//.test(route.url));
    expect(new Set(others.map((route) => route.config?.auth))).toEqual(new Set(['public']));
  });

  it('must be declared: a route without it stops the app from starting', async () => {
    const server = Fastify();
    await server.register(application, dependencies());
    expect(() => server.get('/api/forgotten', async () => ({ code: 0 }))).toThrow(/GET \/api\/forgotten declares no config\.auth/);
    await server.close();
  });
});
