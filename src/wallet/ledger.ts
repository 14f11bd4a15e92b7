/**
 * The only code that changes diamond balances. A transfer is a set of legs summing to zero,
 * applied inside the caller's database transaction, at most once per idempotency key.
 */
import { sql, type QueryCreator, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { isPostgres } from '../db/dialect.js';
import { newSortableId } from '../db/ids.js';
import { atCommit, type CommitStep, type Executor } from '../db/transaction.js';
import { AppError } from '../http/errors.js';

/** System accounts; user accounts are `wallet:<uid>` (spendable) and `earnings:<uid>` (anchor income). */
export const SYSTEM_ACCOUNTS = {
  platform: { id: 'platform', allowNegative: false },
  rechargeSource: { id: 'recharge_source', allowNegative: true },
  adjustments: { id: 'adjustments', allowNegative: true },
} as const;

export const walletAccount = (userId: string) => `wallet:${userId}`;
export const earningsAccount = (userId: string) => `earnings:${userId}`;

export interface TransferLeg {
  account: string;
  /** Positive credits the account, negative debits it. */
  amount: number;
}

/**
 * What a transfer was for; ledger:verify reports any other type found in the database.
 * `adjustment`: the `coins` CLI; `operator_adjustment`: an operator's change in the console (with
 * the operator and the reason), each against the adjustments account.
 */
export const TRANSFER_TYPES = ['recharge', 'vip_room', 'subscription', 'gift', 'adjustment', 'operator_adjustment'] as const;
export type TransferType = (typeof TRANSFER_TYPES)[number];

export interface TransferRequest {
  idempotencyKey: string;
  type: TransferType;
  legs: TransferLeg[];
  metadata?: Record<string, unknown>;
  now?: number;
}

export interface TransferResult {
  transferId: string;
  /** False when a transfer with the same idempotency key already existed: nothing was changed. */
  applied: boolean;
  /** Balance of each account after this transfer (only when applied). */
  balances: Map<string, number>;
}

export class InsufficientBalanceError extends AppError {
  constructor(readonly account: string) {
    super(402, 'insufficient_balance', 'Not enough diamonds');
  }
}

function accountKind(id: string): { kind: string; ownerId: string | null; allowNegative: boolean } {
  const system = Object.values(SYSTEM_ACCOUNTS).find((a) => a.id === id);
  if (system) return { kind: id, ownerId: null, allowNegative: system.allowNegative };
  const [kind, ownerId] = id.split(':', 2);
  if ((kind === 'wallet' || kind === 'earnings') && ownerId) return { kind, ownerId, allowNegative: false };
  throw new Error(`Unknown ledger account ${id}`);
}

/** Merges legs per account and checks the double-entry invariant before touching the database. */
function normaliseLegs(legs: TransferLeg[]): TransferLeg[] {
  const merged = new Map<string, number>();
  for (const leg of legs) {
    if (!Number.isSafeInteger(leg.amount)) throw new Error(`Non-integer ledger amount ${leg.amount}`);
    merged.set(leg.account, (merged.get(leg.account) ?? 0) + leg.amount);
  }
  const total = [...merged.values()].reduce((a, b) => a + b, 0);
  if (total !== 0) throw new Error(`Unbalanced transfer: legs sum to ${total}`);
  const moving = sortByAccount([...merged.entries()].filter(([, amount]) => amount !== 0).map(([account, amount]) => ({ account, amount })));
  // A transfer that moves nothing would still burn its idempotency key and show up as history.
  if (moving.length === 0) throw new Error('Transfer moves no diamonds');
  return moving;
}

/** A fixed lock order (by account id) keeps concurrent transfers from deadlocking on PostgreSQL. */
function sortByAccount<T extends { account: string }>(legs: T[]): T[] {
  return legs.sort(({ account: a }, { account: b }) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Legs that cannot fail and whose balance no caller waits for: credits to anchors' earnings and the
 * platform, and the system source accounts that may go negative. These rows are shared by many
 * payers (every payment into a popular anchor's room credits the same earnings row), so they are
 * changed last, right before COMMIT, and their row locks are held for one statement and the commit.
 * Wallets are always changed at once: a debit needs its check, a credit's balance is answered.
 */
function settlesAtCommit(leg: TransferLeg): boolean {
  if (leg.account.startsWith('wallet:')) return false;
  return leg.amount > 0 || accountKind(leg.account).allowNegative;
}

interface SettlingLeg extends TransferLeg {
  transferId: string;
  now: number;
}

/**
 * Applies a transfer inside `trx` (which must be a transaction). Throws InsufficientBalanceError when
 * a non-system account would go negative; the caller's transaction then rolls back as a whole.
 * In a transaction run by `transactional`, credits to shared accounts are applied at its end (see
 * settlesAtCommit); `balances` holds the accounts changed at once, which include every wallet.
 */
export async function postTransfer(trx: Transaction<Database>, request: TransferRequest): Promise<TransferResult> {
  if (!request.idempotencyKey) throw new Error('Transfer needs an idempotency key');
  const legs = normaliseLegs(request.legs);
  const now = request.now ?? Date.now();
  const transferId = newSortableId(now);

  const inserted = await trx
    .insertInto('ledger_transfers')
    .values({
      id: transferId,
      idempotency_key: request.idempotencyKey,
      type: request.type,
      metadata: JSON.stringify(request.metadata ?? {}),
      created_at: now,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) {
    const existing = await trx
      .selectFrom('ledger_transfers')
      .select('id')
      .where('idempotency_key', '=', request.idempotencyKey)
      .executeTakeFirstOrThrow();
    return { transferId: existing.id, applied: false, balances: new Map() };
  }

  const balances = new Map<string, number>();
  const later: SettlingLeg[] = [];
  for (const leg of legs) {
    if (settlesAtCommit(leg)) later.push({ ...leg, transferId, now });
    else balances.set(leg.account, await applyLeg(trx, { ...leg, transferId, now }));
  }
  if (later.length > 0 && !atCommit(trx, settleAtCommit, later)) await settleAtCommit.apply(trx, later);
  return { transferId, applied: true, balances };
}

/**
 * The shared accounts' legs of every transfer in a transaction, applied right before its COMMIT:
 * one balance change per account, in one order across all transactions (no deadlocks), so a hot
 * row is locked once per transaction, however many payments it holds.
 */
const settleAtCommit: CommitStep<SettlingLeg> = {
  async apply(trx, legs) {
    const byAccount = new Map<string, SettlingLeg[]>();
    for (const leg of sortByAccount(legs)) {
      const accountLegs = byAccount.get(leg.account);
      if (accountLegs) accountLegs.push(leg);
      else byAccount.set(leg.account, [leg]);
    }
    for (const accountLegs of byAccount.values()) {
      if (accountLegs.length === 1) await applyLeg(trx, accountLegs[0]!);
      else await applyLegsOfOneAccount(trx, accountLegs);
    }
  },
};

/** Several legs of one account: one balance change for their sum, then an entry per leg. */
async function applyLegsOfOneAccount(trx: Transaction<Database>, legs: SettlingLeg[]): Promise<void> {
  const account = legs[0]!.account;
  const total = legs.reduce((sum, leg) => sum + leg.amount, 0);
  const balance = await changeBalance(trx, { account, amount: total, now: legs[0]!.now }, () => moveBalance(trx, account, total));
  let running = balance - total;
  await trx
    .insertInto('ledger_entries')
    .values(
      legs.map((leg) => ({
        transfer_id: leg.transferId,
        account_id: account,
        amount: leg.amount,
        balance_after: (running += leg.amount),
        created_at: leg.now,
      })),
    )
    .execute();
}

/** Changes one account's balance with its entry; returns the balance after. */
function applyLeg(trx: Transaction<Database>, leg: SettlingLeg): Promise<number> {
  return changeBalance(trx, leg, () => moveAndRecord(trx, leg));
}

/** Runs `change` (undefined when no row changed); returns the balance after. */
async function changeBalance(
  trx: Transaction<Database>,
  leg: Pick<SettlingLeg, 'account' | 'amount' | 'now'>,
  change: () => Promise<number | undefined>,
): Promise<number> {
  let balance = await change();
  // No row: the account does not exist yet (created on first use), or a debit would overdraw it.
  // Creating it only then keeps the common path to one statement: an INSERT ... ON CONFLICT on a
  // row another transaction is changing would wait for that transaction, like an UPDATE.
  if (balance === undefined && (leg.amount > 0 || accountKind(leg.account).allowNegative)) {
    await ensureAccount(trx, leg.account, leg.now);
    balance = await change();
  }
  if (balance === undefined) throw new InsufficientBalanceError(leg.account);
  return balance;
}

/**
 * One conditional UPDATE (its row lock serialises concurrent changes of the account, its WHERE
 * refuses overdrafts) and the entry recording it; on PostgreSQL both in one statement, so a shared
 * row is locked for one round trip. Undefined when no row was changed.
 */
async function moveAndRecord(trx: Transaction<Database>, leg: SettlingLeg): Promise<number | undefined> {
  if (isPostgres(trx)) {
    const row = await trx
      .with('moved', (db) => move(db, leg.account, leg.amount))
      .insertInto('ledger_entries')
      .columns(['transfer_id', 'account_id', 'amount', 'balance_after', 'created_at'])
      .expression((eb) =>
        eb
          .selectFrom('moved')
          .select([
            sql<string>`${leg.transferId}::text`.as('transfer_id'),
            'moved.id',
            sql<number>`${leg.amount}::bigint`.as('amount'),
            'moved.balance',
            sql<number>`${leg.now}::bigint`.as('created_at'),
          ]),
      )
      .returning('balance_after')
      .executeTakeFirst();
    return row ? Number(row.balance_after) : undefined;
  }
  const balance = await moveBalance(trx, leg.account, leg.amount);
  if (balance === undefined) return undefined;
  await trx
    .insertInto('ledger_entries')
    .values({ transfer_id: leg.transferId, account_id: leg.account, amount: leg.amount, balance_after: balance, created_at: leg.now })
    .execute();
  return balance;
}

/** The conditional UPDATE: its row lock serialises concurrent changes, its WHERE refuses overdrafts. */
function move(db: QueryCreator<Database>, account: string, amount: number) {
  return db
    .updateTable('ledger_accounts')
    .set({ balance: sql`balance + ${amount}` })
    .where('id', '=', account)
    .where((eb) => eb.or([eb('allow_negative', '=', 1), eb(sql`balance + ${amount}`, '>=', 0)]))
    .returning(['id', 'balance']);
}

async function moveBalance(trx: Transaction<Database>, account: string, amount: number): Promise<number | undefined> {
  const row = await move(trx, account, amount).executeTakeFirst();
  return row ? Number(row.balance) : undefined;
}

async function ensureAccount(trx: Executor, id: string, now: number): Promise<void> {
  const { kind, ownerId, allowNegative } = accountKind(id);
  await trx
    .insertInto('ledger_accounts')
    .values({ id, kind, owner_id: ownerId, allow_negative: allowNegative ? 1 : 0, created_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function balanceOf(db: Executor, account: string): Promise<number> {
  const row = await db.selectFrom('ledger_accounts').select('balance').where('id', '=', account).executeTakeFirst();
  return row ? Number(row.balance) : 0;
}

export interface LedgerProblem {
  kind: 'unbalanced_transfer' | 'empty_transfer' | 'balance_mismatch' | 'negative_balance' | 'unknown_transfer_type';
  id: string;
  detail: string;
}

/** Recomputes every balance from the entries and checks every transfer sums to zero. */
export async function verifyLedger(db: Executor): Promise<LedgerProblem[]> {
  const problems: LedgerProblem[] = [];
  const unbalanced = await db
    .selectFrom('ledger_entries')
    .select(['transfer_id', (eb) => eb.fn.sum<number>('amount').as('total')])
    .groupBy('transfer_id')
    .having((eb) => eb.fn.sum('amount'), '!=', 0)
    .execute();
  for (const row of unbalanced) {
    problems.push({ kind: 'unbalanced_transfer', id: row.transfer_id, detail: `legs sum to ${row.total}` });
  }
  const empty = await db
    .selectFrom('ledger_transfers as t')
    .leftJoin('ledger_entries as e', 'e.transfer_id', 't.id')
    .where('e.transfer_id', 'is', null)
    .select('t.id')
    .execute();
  for (const row of empty) problems.push({ kind: 'empty_transfer', id: row.id, detail: 'transfer has no entries' });
  const unknownTypes = await db
    .selectFrom('ledger_transfers')
    .select(['id', 'type'])
    .where('type', 'not in', [...TRANSFER_TYPES])
    .execute();
  for (const row of unknownTypes) problems.push({ kind: 'unknown_transfer_type', id: row.id, detail: `type "${row.type}"` });
  const accounts = await db
    .selectFrom('ledger_accounts as a')
    .leftJoin('ledger_entries as e', 'e.account_id', 'a.id')
    .select(['a.id', 'a.balance', 'a.allow_negative', (eb) => eb.fn.coalesce(eb.fn.sum<number>('e.amount'), sql<number>`0`).as('computed')])
    .groupBy(['a.id', 'a.balance', 'a.allow_negative'])
    .execute();
  for (const account of accounts) {
    const stored = Number(account.balance);
    const computed = Number(account.computed);
    if (stored !== computed) {
      problems.push({ kind: 'balance_mismatch', id: account.id, detail: `stored ${stored}, entries sum to ${computed}` });
    }
    if (stored < 0 && account.allow_negative !== 1) {
      problems.push({ kind: 'negative_balance', id: account.id, detail: `balance ${stored}` });
    }
  }
  return problems;
}
