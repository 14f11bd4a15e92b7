/**
 * The only code that changes diamond balances. A transfer is a set of legs summing to zero,
 * applied inside the caller's database transaction, at most once per idempotency key.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { newSortableId } from '../db/ids.js';
import type { Executor } from '../db/transaction.js';
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
  // A fixed lock order (by account id) keeps concurrent transfers from deadlocking on PostgreSQL.
  const moving = [...merged.entries()]
    .filter(([, amount]) => amount !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([account, amount]) => ({ account, amount }));
  // A transfer that moves nothing would still burn its idempotency key and show up as history.
  if (moving.length === 0) throw new Error('Transfer moves no diamonds');
  return moving;
}

/**
 * Applies a transfer inside `trx` (which must be a transaction). Throws InsufficientBalanceError when
 * a non-system account would go negative; the caller's transaction then rolls back as a whole.
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
  for (const leg of legs) {
    await ensureAccount(trx, leg.account, now);
    // One conditional UPDATE: the row lock serialises concurrent spenders, the WHERE refuses overdrafts.
    const row = await trx
      .updateTable('ledger_accounts')
      .set({ balance: sql`balance + ${leg.amount}` })
      .where('id', '=', leg.account)
      .where((eb) => eb.or([eb('allow_negative', '=', 1), eb(sql`balance + ${leg.amount}`, '>=', 0)]))
      .returning('balance')
      .executeTakeFirst();
    if (!row) throw new InsufficientBalanceError(leg.account);
    balances.set(leg.account, Number(row.balance));
    await trx
      .insertInto('ledger_entries')
      .values({
        transfer_id: transferId,
        account_id: leg.account,
        amount: leg.amount,
        balance_after: Number(row.balance),
        created_at: now,
      })
      .execute();
  }
  return { transferId, applied: true, balances };
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
