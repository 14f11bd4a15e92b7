/**
 * What other features may do with diamonds. Balances are read and credits made here, through the
 * ledger, which stays private to the wallet; a credit runs inside the caller's transaction so it
 * commits together with what it pays out for (e.g. a recharge order's status change).
 */
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { balanceOf, postTransfer, SYSTEM_ACCOUNTS, walletAccount } from './ledger.js';
import { assertAmount } from './limits.js';

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
