/**
 * A server killed (SIGKILL) in the middle of crediting an IPN, then the provider's retry to a fresh
 * process: the diamonds arrive exactly once. Runs the real entry point on a shared database file/schema.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signIpnBody } from '../../src/payments/ipn-signature.js';
import { balanceOf, verifyLedger, walletAccount } from '../../src/wallet/ledger.js';
import { createTestDatabase, dialectUnderTest, type TestDatabase } from '../helpers/app.js';
import { PASSWORD, uniqueName } from '../helpers/client.js';
import { IPN_SECRET } from './helpers.js';

interface Server {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
}

let database: TestDatabase;
let dir: string;
const servers: Server[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pecktra-crash-'));
  database = await createTestDatabase({ sqlitePath: join(dir, 'pecktra.db') });
});

afterAll(async () => {
  for (const server of servers) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startServer(): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      ...database.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DEMO_DATA: 'false',
      LOG_LEVEL: 'info',
      PASSWORD_HASH_COST: '10',
      COOKIE_SECRET: 'crash-test-cookie-secret',
      NOWPAYMENTS_IPN_SECRET: IPN_SECRET,
      PAYMENT_RECONCILE_INTERVAL_SECONDS: '3600',
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const server: Server = { child, url: '', output: () => output };
  servers.push(server);
  const listening = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/;
  await expect
    .poll(() => listening.exec(output)?.[1] ?? (child.exitCode !== null ? `exited: ${output}` : undefined), { timeout: 60_000 })
    .toMatch(/^http/);
  server.url = listening.exec(output)![1]!;
  return server;
}

function exited(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Something else holds the write lock, so the server's crediting transaction has to wait. */
async function holdWriteLock(orderId: string): Promise<() => Promise<void>> {
  if (dialectUnderTest === 'sqlite') {
    const locker = new SQLite(database.env.SQLITE_PATH!);
    locker.exec('BEGIN IMMEDIATE');
    return async () => {
      locker.exec('ROLLBACK');
      locker.close();
    };
  }
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holder = database.db.transaction().execute(async (trx) => {
    await trx.selectFrom('payment_orders').select('id').where('id', '=', orderId).forUpdate().execute();
    locked();
    await released;
  });
  await isLocked;
  return async () => {
    release();
    await holder;
  };
}

it('credits exactly once when the server is killed while processing an IPN and the IPN is resent', async () => {
  const first = await startServer();
  const username = uniqueName('crash');
  const register = await fetch(`${first.url}/api/users/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  const cookie = register.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const uid = (await register.json()).data.user_info.uid as string;
  const order = await (
    await fetch(`${first.url}/api/payment/process_recharge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ user_id: uid, crypto_amount: 20 }),
    })
  ).json();
  expect(order.code).toBe(0);

  const ipn = {
    payment_id: Number(order.payment_id),
    payment_status: 'finished',
    pay_address: order.pay_address,
    price_amount: 20,
    price_currency: 'usd',
    pay_amount: order.pay_amount,
    actually_paid: order.pay_amount,
    pay_currency: 'usdttrc20',
    order_id: order.order_id,
    fee: { currency: 'usdttrc20', depositFee: 0, withdrawalFee: 0, serviceFee: 0 },
  };
  const sendIpn = (server: Server) =>
    fetch(`${server.url}/api/payment/ipn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-nowpayments-sig': signIpnBody(ipn, IPN_SECRET) },
      body: JSON.stringify(ipn),
    });

  const release = await holdWriteLock(order.order_id);
  const interrupted = sendIpn(first).catch((err: unknown) => err);
  await expect.poll(() => first.output().includes('payment IPN received'), { timeout: 10_000 }).toBe(true);
  first.child.kill('SIGKILL');
  await exited(first.child);
  // Killed mid-request (or, on a very slow machine, after the 503 that says "still processing").
  const cut = await interrupted;
  expect(cut instanceof Error || (cut as Response).status === 503).toBe(true);
  await release();
  expect(await balanceOf(database.db, walletAccount(uid))).toBe(0);

  const second = await startServer();
  const resent = await sendIpn(second);
  expect(await resent.json()).toEqual({ code: 0, outcome: 'credited' });
  expect(await (await sendIpn(second)).json()).toEqual({ code: 0, outcome: 'unchanged' });
  expect(await balanceOf(database.db, walletAccount(uid))).toBe(100);
  expect(await verifyLedger(database.db)).toEqual([]);
  second.child.kill('SIGTERM');
  await exited(second.child);
}, 150_000);
