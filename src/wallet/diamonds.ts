/**
 * What other features may do with diamonds. Balances are read and credits made here, through the
 * ledger, which stays private to the wallet; a credit runs inside the caller's transaction so it
 * commits together with what it pays out for (e.g. a recharge order's status change).
 */
import type { Kysely, Transaction } from 'kysely';
import { newId } from '../db/ids.js';
import type { Database } from '../db/schema.js';
import { transactional, type Executor } from '../db/transaction.js';
import { badRequest, notFound } from '../http/errors.js';
import { balanceOf, postTransfer, SYSTEM_ACCOUNTS, walletAccount } from './ledger.js';
import { assertAmount, MAX_DIAMONDS } from './limits.js';
import { WalletRepository } from './repository.js';

/** A viewer's spendable diamonds. */
export function walletBalance(db: Executor, userId: string): Promise<number> {
  return balanceOf(db, walletAccount(userId));
}

export interface RechargeCredit {
  userId: string;
  orderId: string;
  diamonds: number;
  /**
   * An operator's pro-rata credit for a partially paid order. It has an idempotency key of its
   * own, so each kind of credit reaches an order at most once.
   */
  partial?: boolean;
  /** Kept with the transfer for the wallet history and audits (payment id, amounts). */
  details: Record<string, unknown>;
  now: number;
}

/**
 * Credits diamonds bought through a payment provider, exactly once per order (and kind) however
 * often it is called. `applied` is false when the order had already been credited.
 */
export async function creditRecharge(trx: Transaction<Database>, credit: RechargeCredit): Promise<{ applied: boolean }> {
  assertAmount(credit.diamonds);
  const transfer = await postTransfer(trx, {
    idempotencyKey: `${credit.partial ? 'recharge-partial' : 'recharge'}:${credit.orderId}`,
    type: 'recharge',
    legs: [
      { account: SYSTEM_ACCOUNTS.rechargeSource.id, amount: -credit.diamonds },
      { account: walletAccount(credit.userId), amount: credit.diamonds },
    ],
    metadata: { order_id: credit.orderId, ...(credit.partial ? { partial: true } : {}), ...credit.details },
    now: credit.now,
  });
  return { applied: transfer.applied };
}

export interface Adjustment {
  userId: string;
  /** Positive grants, negative takes back (never below zero). */
  amount: number;
  reason: string;
  now: number;
}

/**
 * Operator correction (the `coins` CLI, tests' grants): its own transfer type with its reason.
 * No HTTP surface: only someone with shell access to the server can run it.
 */
export async function adjustDiamonds(db: Kysely<Database>, adjustment: Adjustment): Promise<{ coin_num: number; transfer_id: string }> {
  const inTransaction = transactional(db, () => ({}));
  return inTransaction(({ trx }) => postAdjustment(trx, adjustment, 'adjustment', {}));
}

/**
 * An operator's balance change from the console, inside the caller's transaction (the operator's
 * audit entry commits with it): its own transfer type, with the reason and the operator.
 */
export async function adjustDiamondsWithin(
  trx: Transaction<Database>,
  adjustment: Adjustment & { operatorId: string },
): Promise<{ coin_num: number; balance_before: number; transfer_id: string }> {
  const before = await balanceOf(trx, walletAccount(adjustment.userId));
  const result = await postAdjustment(trx, adjustment, 'operator_adjustment', { operator_id: adjustment.operatorId });
  return { ...result, balance_before: before };
}

async function postAdjustment(
  trx: Transaction<Database>,
  { userId, amount, reason, now }: Adjustment,
  type: 'adjustment' | 'operator_adjustment',
  metadata: Record<string, string>,
): Promise<{ coin_num: number; transfer_id: string }> {
  if (!Number.isSafeInteger(amount) || amount === 0 || Math.abs(amount) > MAX_DIAMONDS) {
    throw badRequest('invalid_amount', `amount must be a non-zero integer within ±${MAX_DIAMONDS}`);
  }
  if (!reason.trim()) throw badRequest('reason_required', 'A reason is required for every adjustment');
  if (!(await new WalletRepository(trx).userExists(userId))) throw notFound('user_not_found', `No user ${userId}`);
  const wallet = walletAccount(userId);
  const transfer = await postTransfer(trx, {
    idempotencyKey: `adjustment:${newId()}`,
    type,
    legs: [
      { account: SYSTEM_ACCOUNTS.adjustments.id, amount: -amount },
      { account: wallet, amount },
    ],
    metadata: { reason: reason.trim(), ...metadata },
    now,
  });
  return { coin_num: transfer.balances.get(wallet) ?? 0, transfer_id: transfer.transferId };
}
