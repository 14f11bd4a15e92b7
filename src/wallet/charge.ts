/**
 * The two steps every purchase with diamonds shares (VIP unlocks, subscriptions, gifts): moving the
 * price from the viewer's wallet to the anchor's earnings less the platform fee, and answering a
 * repeated Idempotency-Key with the first answer instead of charging again.
 */
import type { Kysely, Transaction } from 'kysely';
import { isPostgres } from '../db/dialect.js';
import type { Database } from '../db/schema.js';
import { groupedTransactional, type Executor, type GroupedTransactionRunner, type TransactionScope } from '../db/transaction.js';
import { AppError, badRequest, conflict } from '../http/errors.js';
import type { DomainEvent } from '../realtime/index.js';
import {
  balanceOf,
  earningsAccount,
  InsufficientBalanceError,
  postTransfer,
  SYSTEM_ACCOUNTS,
  walletAccount,
  type TransferLeg,
  type TransferType,
} from './ledger.js';
import { WalletRepository } from './repository.js';

const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

const paymentRepositories = (executor: Executor) => ({ wallet: new WalletRepository(executor) });
export type PaymentScope = TransactionScope<ReturnType<typeof paymentRepositories>>;
export type PaymentTransactions = GroupedTransactionRunner<ReturnType<typeof paymentRepositories>>;

/**
 * The transactions every payment with diamonds runs in (VIP unlocks, subscriptions, gifts), one
 * runner per instance: payments arriving together share one transaction (group commit), so the
 * rows every payment credits (a popular anchor's earnings, the platform) change once per group.
 * Ordered by payer. PostgreSQL runs two groups at once; SQLite writes one transaction at a time.
 */
export function paymentTransactions(db: Kysely<Database>): PaymentTransactions {
  // PostgreSQL keeps up to 64 subtransactions (savepoints that wrote) per transaction in shared
  // memory; past that every other session's snapshot checks get slower.
  return groupedTransactional(db, paymentRepositories, { maxUnits: 32, concurrency: isPostgres(db) ? 2 : 1 });
}

export interface Charge {
  idempotencyKey: string;
  type: Extract<TransferType, 'vip_room' | 'subscription' | 'gift'>;
  payerId: string;
  anchorId: string;
  price: number;
  metadata: Record<string, unknown>;
  now: number;
}

export interface ChargeResult {
  /** False when a transfer with the same idempotency key had already been made: nothing moved. */
  applied: boolean;
  transferId: string;
  /** The payer's balance after the charge. */
  balance: number;
  /** What the anchor received: the price less the platform fee. */
  earned: number;
}

/** A payment into a room that committed, as the room's owner hears of it (see paymentEvent). */
export interface RoomPaymentMade {
  roomId: string;
  anchorId: string;
  payer: { id: string; username: string };
  type: Charge['type'];
  transferId: string;
  amount: number;
  earned: number;
  gift?: { id: string; count: number };
  now: number;
}

/** The owner-only `room_payment` event; publish it after the payment's transaction committed. */
export function paymentEvent(payment: RoomPaymentMade): DomainEvent {
  return {
    type: 'room_payment',
    room_id: payment.roomId,
    owner_id: payment.anchorId,
    data: {
      id: payment.transferId,
      type: payment.type,
      uid: payment.payer.id,
      username: payment.payer.username,
      amount: payment.amount,
      earned: payment.earned,
      ...(payment.gift ? { gift_id: payment.gift.id, count: payment.gift.count } : {}),
      created_at: new Date(payment.now).toISOString(),
    },
  };
}

/** One ledger transfer inside `trx`; too few diamonds is a 402 carrying the price and the balance. */
export async function chargeViewer(trx: Transaction<Database>, platformFeePercent: number, payment: Charge): Promise<ChargeResult> {
  const wallet = walletAccount(payment.payerId);
  const fee = Math.floor((payment.price * platformFeePercent) / 100);
  const legs: TransferLeg[] = [
    { account: wallet, amount: -payment.price },
    { account: earningsAccount(payment.anchorId), amount: payment.price - fee },
    { account: SYSTEM_ACCOUNTS.platform.id, amount: fee },
  ];
  try {
    const transfer = await postTransfer(trx, {
      idempotencyKey: payment.idempotencyKey,
      type: payment.type,
      legs,
      metadata: { ...payment.metadata, payer_id: payment.payerId, anchor_id: payment.anchorId },
      now: payment.now,
    });
    return { applied: transfer.applied, transferId: transfer.transferId, balance: transfer.balances.get(wallet) ?? 0, earned: payment.price - fee };
  } catch (err) {
    if (!(err instanceof InsufficientBalanceError) || err.account !== wallet) throw err;
    const balance = await balanceOf(trx, wallet);
    throw new AppError(402, 'insufficient_balance', `Not enough diamonds: ${payment.price} needed, ${balance} available`, {
      amount: payment.price,
      coin_num: balance,
    });
  }
}

/**
 * Runs `operation` once per (user, Idempotency-Key): a repeated key returns the stored first answer
 * without running it again. The record commits with the operation, or not at all, so `repo` must
 * be built over the operation's transaction.
 */
export async function runIdempotent<T>(
  repo: WalletRepository,
  request: { userId: string; key: string | undefined; fingerprint: string; now: number },
  operation: () => Promise<T>,
): Promise<T> {
  const { userId, key, fingerprint, now } = request;
  if (key === undefined) return operation();
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw badRequest('invalid_idempotency_key', `Idempotency-Key must be 1-${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  }
  if (!(await repo.claimIdempotencyKey(userId, key, fingerprint, now))) {
    const record = await repo.findIdempotencyRecord(userId, key);
    if (!record || record.request !== fingerprint || record.response === null) {
      throw conflict('idempotency_key_reused', 'This Idempotency-Key was already used for a different request');
    }
    return JSON.parse(record.response) as T;
  }
  const result = await operation();
  await repo.storeIdempotentResponse(userId, key, JSON.stringify(result));
  return result;
}
