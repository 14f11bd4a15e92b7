/**
 * The cached balance of is_logged_in across two instances sharing one database and one Redis bus:
 * every kind of balance change made on one instance shows on the other at once. The instances'
 * clock stands still, so a cached balance never expires by age: only the change's event can drop it.
 */
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { MemoryRateLimiter } from '../../src/infra/rate-limiter.js';
import { MemoryPresence } from '../../src/realtime/presence.js';
import { RedisEventBus } from '../../src/realtime/index.js';
import type { EventBus } from '../../src/realtime/index.js';
import { runCoinsCommand } from '../../src/wallet/cli-commands.js';
import { verifyLedger } from '../../src/wallet/index.js';
import { createTestDatabase, testConfig, type TestDatabase } from '../helpers/app.js';
import { registerAnchor, registerViewer, TestClient } from '../helpers/client.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { signInOperator } from '../operator/helpers.js';
import { createRoom } from './fixtures.js';

const prefix = uniquePrefix();
const log = pino({ level: 'silent' });
const frozenNow = Date.now();
let database: TestDatabase;
const buses: EventBus[] = [];
const apps: FastifyInstance[] = [];

function connectBus(): Promise<RedisEventBus> {
  return RedisEventBus.connect({ url: TEST_REDIS_URL, prefix, heartbeatMs: 200, log });
}

async function startInstance(): Promise<FastifyInstance> {
  const eventBus = await connectBus();
  buses.push(eventBus);
  const app = await buildApp({
    config: testConfig(),
    db: database.db,
    rateLimiter: new MemoryRateLimiter(),
    eventBus,
    presence: new MemoryPresence(),
    logger: log,
    clock: () => frozenNow,
  });
  await app.ready();
  apps.push(app);
  return app;
}

/** The same browser (session cookie) talking to another instance. */
function sameBrowserOn(app: FastifyInstance, client: TestClient): TestClient {
  const other = new TestClient(app);
  for (const [name, value] of client.cookies) other.cookies.set(name, value);
  return other;
}

async function coins(client: TestClient): Promise<number> {
  const res = await client.get('/api/users/is_logged_in');
  expect(res.statusCode).toBe(200);
  return res.json().data.user_info.coin_num as number;
}

/** The event crosses Redis asynchronously: allow it a moment, far less than any cache lifetime. */
async function coinsSoon(client: TestClient, expected: number): Promise<number> {
  const deadline = Date.now() + 1000;
  for (;;) {
    const seen = await coins(client);
    if (seen === expected || Date.now() > deadline) return seen;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.runIf(TEST_REDIS_URL)('cached balance on two instances', () => {
  let a: FastifyInstance;
  let b: FastifyInstance;
  beforeAll(async () => {
    database = await createTestDatabase();
    a = await startInstance();
    b = await startInstance();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const bus of buses) await bus.close();
    await database?.close();
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  it('an operator grant, a payment, a recharge and a coins CLI grant made on one instance show on the other at once', async () => {
    const viewer = await registerViewer(a);
    const onA = viewer.client;
    const onB = sameBrowserOn(b, onA);
    expect(await coins(onA)).toBe(0);
    expect(await coins(onB)).toBe(0);

    const operator = await signInOperator(a, database.db);
    const granted = await operator.client.post(`/api/admin/users/${viewer.uid}/adjust`, { amount: 500, reason: 'welcome bonus' });
    expect(granted.statusCode).toBe(200);
    expect(await coinsSoon(onB, 500)).toBe(500);
    expect(await coins(onA)).toBe(500);

    const anchor = await registerAnchor(a);
    const room = await createRoom(database.db, { anchorId: anchor.uid, price: 70 });
    const paid = await onA.post('/api/live/pay_vip_coin', { uid: viewer.uid, anchor_id: anchor.uid, room_id: room.id, room_name: room.roomName, amount: 70 });
    expect(paid.statusCode).toBe(200);
    expect(await coinsSoon(onB, 430)).toBe(430);

    const order = (await onA.post('/api/payment/process_recharge', { crypto_amount: 12 })).json();
    expect((await onA.post(`/api/payment/simulate/${order.order_id}`, { status: 'finished' })).json()).toMatchObject({ outcome: 'credited' });
    expect(await coinsSoon(onB, 430 + order.coin_num)).toBe(430 + order.coin_num);

    // The CLI is a process of its own: with REDIS_URL it publishes on the servers' bus.
    const cliBus = await connectBus();
    buses.push(cliBus);
    const cli = await runCoinsCommand(database.db, ['grant', viewer.uid, '10', '--reason', 'goodwill'], cliBus);
    expect(cli.exitCode).toBe(0);
    expect(await coinsSoon(onB, 440 + order.coin_num)).toBe(440 + order.coin_num);
    expect(await coinsSoon(onA, 440 + order.coin_num)).toBe(440 + order.coin_num);

    expect(await verifyLedger(database.db)).toEqual([]);
  });
});
