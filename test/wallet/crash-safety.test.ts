/**
 * Crash safety: a real server process is SIGKILLed while a stream of payments is in flight. After a
 * restart the ledger must verify, and every unlock must have exactly its payment (nothing half-applied).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/accounts/auth.js';
import { hashToken, newSecretToken } from '../../src/db/ids.js';
import { balanceOf, verifyLedger, walletAccount } from '../../src/wallet/ledger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/app.js';
import { freePort } from '../helpers/ports.js';
import { createRoom, grantDiamonds, insertUser, ROOM_FREE } from './fixtures.js';

const ROOMS = 40;
let dir: string;
let database: TestDatabase;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pecktra-crash-'));
  database = await createTestDatabase({ sqlitePath: join(dir, 'crash.db') });
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `node src/main.ts` on the test database and waits until it answers /readyz. */
async function startServer(): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, ...database.env, PORT: String(port), HOST: '127.0.0.1', DEMO_DATA: 'false', LOG_LEVEL: 'warn', REDIS_URL: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const base = `http://127.0.0.1:${port}`;
  for (let waited = 0; waited < 60_000; waited += 100) {
    if (child.exitCode !== null) throw new Error(`server exited early: ${stderr}`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) return { base, child };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server did not start: ${stderr}`);
}

/** The signal that ended the child once it has ended; null when it exited by itself. */
function ended(child: ChildProcess): Promise<NodeJS.Signals | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
}

describe('crash safety', () => {
  it('keeps the ledger whole when the server is killed mid-payment', async () => {
    const anchor = await insertUser(database.db, { anchor: true });
    const viewer = await insertUser(database.db);
    const rooms: Array<Awaited<ReturnType<typeof createRoom>>> = [];
    for (let i = 0; i < ROOMS; i++) rooms.push(await createRoom(database.db, { anchorId: anchor.id, price: 1 + (i % 7) }));
    const total = rooms.reduce((sum, room) => sum + room.price, 0);
    await grantDiamonds(database.db, viewer.id, total);
    const token = newSecretToken();
    await database.db
      .insertInto('sessions')
      .values({ token_hash: hashToken(token), user_id: viewer.id, created_at: Date.now(), expires_at: Date.now() + 86_400_000 })
      .execute();

    const pay = (base: string, room: (typeof rooms)[number]) =>
      fetch(`${base}/api/live/pay_vip_coin`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `${SESSION_COOKIE}=${token}` },
        body: JSON.stringify({ uid: viewer.id, anchor_id: anchor.id, room_id: room.id, room_name: room.roomName, amount: room.price }),
      });

    // Four clients stream payments; the server is killed as soon as ten have been confirmed.
    const first = await startServer();
    const confirmed = new Set<string>();
    let next = 0;
    const stream = async () => {
      while (next < rooms.length) {
        const room = rooms[next++]!;
        try {
          const res = await pay(first.base, room);
          if (res.status === 200 && (await res.json()).data.charged === room.price) confirmed.add(room.id);
          if (confirmed.size >= 10) first.child.kill('SIGKILL');
        } catch {
          return; // connection cut by the kill
        }
      }
    };
    await Promise.all([stream(), stream(), stream(), stream()]);
    expect(await ended(first.child)).toBe('SIGKILL');
    expect(confirmed.size).toBeGreaterThanOrEqual(10);
    expect(confirmed.size).toBeLessThan(ROOMS);

    const second = await startServer();
    expect(await verifyLedger(database.db)).toEqual([]);
    const unlocked = await database.db.selectFrom('room_access').select(['room_id', 'amount']).where('user_id', '=', viewer.id).execute();
    const unlockedIds = new Set(unlocked.map((row) => row.room_id));
    for (const id of confirmed) expect(unlockedIds.has(id)).toBe(true);
    const spent = unlocked.reduce((sum, row) => sum + Number(row.amount), 0);
    expect(await balanceOf(database.db, walletAccount(viewer.id))).toBe(total - spent);

    // Clients retry everything after the restart: what had committed is not charged again.
    const retried = await Promise.all(rooms.map(async (room) => {
      const res = await pay(second.base, room);
      return [res.status, (await res.json()).data?.charged];
    }));
    expect(retried).toEqual(rooms.map((room) => [200, unlockedIds.has(room.id) ? 0 : room.price]));
    expect(await balanceOf(database.db, walletAccount(viewer.id))).toBe(0);
    expect(await verifyLedger(database.db)).toEqual([]);
    second.child.kill('SIGTERM');
  }, 150_000);

  it('keeps gifts whole when the server is killed mid-stream: each one charged with its leaderboard share, retries charge once', async () => {
    const GIFTS = 40;
    const PRICE = 10;
    const anchor = await insertUser(database.db, { anchor: true });
    const viewer = await insertUser(database.db);
    const room = await createRoom(database.db, { anchorId: anchor.id, roomType: ROOM_FREE });
    await grantDiamonds(database.db, viewer.id, GIFTS * PRICE);
    const token = newSecretToken();
    await database.db
      .insertInto('sessions')
      .values({ token_hash: hashToken(token), user_id: viewer.id, created_at: Date.now(), expires_at: Date.now() + 86_400_000 })
      .execute();
    const send = (base: string, key: number) =>
      fetch(`${base}/api/live/send_gift`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `${SESSION_COOKIE}=${token}`, 'idempotency-key': `gift-${key}` },
        body: JSON.stringify({ room_id: room.id, gift_id: 'coffee', count: 1, amount: PRICE }),
      });

    const first = await startServer();
    let confirmed = 0;
    let next = 0;
    const stream = async () => {
      while (next < GIFTS) {
        const key = next++;
        try {
          if ((await send(first.base, key)).status === 200) confirmed += 1;
          if (confirmed >= 10) first.child.kill('SIGKILL');
        } catch {
          return;
        }
      }
    };
    await Promise.all([stream(), stream(), stream(), stream()]);
    expect(await ended(first.child)).toBe('SIGKILL');
    expect(confirmed).toBeGreaterThanOrEqual(10);
    expect(confirmed).toBeLessThan(GIFTS);

    const second = await startServer();
    expect(await verifyLedger(database.db)).toEqual([]);
    const supported = async () =>
      Number(
        (
          await database.db
            .selectFrom('room_support')
            .select((eb) => eb.fn.sum<number>('diamonds').as('total'))
            .where('room_id', '=', room.id)
            .executeTakeFirst()
        )?.total ?? 0,
      );
    // What was charged and what the leaderboard counts committed together, or not at all.
    const spent = GIFTS * PRICE - (await balanceOf(database.db, walletAccount(viewer.id)));
    expect(await supported()).toBe(spent);
    expect(spent).toBeGreaterThanOrEqual(confirmed * PRICE);

    const retried = await Promise.all(Array.from({ length: GIFTS }, async (_, key) => (await send(second.base, key)).status));
    expect(retried).toEqual(Array(GIFTS).fill(200));
    expect(await balanceOf(database.db, walletAccount(viewer.id))).toBe(0);
    expect(await supported()).toBe(GIFTS * PRICE);
    expect(await verifyLedger(database.db)).toEqual([]);
    second.child.kill('SIGTERM');
  }, 150_000);
});
