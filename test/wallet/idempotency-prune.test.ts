/** Old idempotency records are pruned by one instance's periodic job; recent ones stay. */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalClusterLock } from '../../src/infra/cluster-lock.js';
import { PeriodicJob } from '../../src/infra/periodic-job.js';
import { WalletService } from '../../src/wallet/service.js';
import { paymentTransactions } from '../../src/wallet/charge.js';
import { createTestDatabase, type TestDatabase } from '../helpers/app.js';

const HOUR = 60 * 60 * 1000;
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe('idempotency record pruning', () => {
  it('deletes records older than the retention, keeps newer ones, and does not overlap itself', async () => {
    const now = Date.now();
    const user = { id: 'prune-user', username: 'prune_user', username_key: 'prune_user', password_hash: 'x', is_anchor: 0, created_at: now };
    await database.db.insertInto('users').values(user).execute();
    const record = (key: string, ageHours: number) => ({ user_id: user.id, idempotency_key: key, request: '{}', response: '{}', created_at: now - ageHours * HOUR });
    await database.db.insertInto('idempotency_records').values([record('old', 30), record('older', 300), record('fresh', 1)]).execute();

    const wallet = new WalletService(database.db, { eventBus: { publish: async () => undefined } as never, platformFeePercent: 0, defaultSubscriptionPrice: 100, leaderboards: {} as never, payments: paymentTransactions(database.db), clock: () => now });
    const lock = new LocalClusterLock();
    const job = new PeriodicJob({ name: 'idempotency-prune', intervalMs: HOUR, lock, logger: pino({ level: 'silent' }), run: () => wallet.pruneIdempotencyRecords(24 * HOUR) });

    expect(await lock.withClusterLock('idempotency-prune', () => job.runOnce())).toEqual({ acquired: true, value: undefined });
    expect(await job.runOnce()).toBe(2);
    const left = await database.db.selectFrom('idempotency_records').select('idempotency_key').execute();
    expect(left.map((row) => row.idempotency_key)).toEqual(['fresh']);
  });
});
