import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import { isRetryableTransactionError } from './errors.js';

/**
 * What a repository runs its SQL on: the database itself, or one transaction. Every repository
 * takes one in its constructor, so the same class serves plain reads and transactional work.
 */
export type Executor = Kysely<Database> | Transaction<Database>;

/** What the work of one transaction gets: its repositories, built over that transaction, and the transaction. */
export type TransactionScope<R> = R & {
  /** For other features' calls that must join this transaction (e.g. crediting a wallet). */
  trx: Transaction<Database>;
};

export type TransactionRunner<R> = <T>(work: (scope: TransactionScope<R>) => Promise<T>) => Promise<T>;

const MAX_ATTEMPTS = 6;

/** Work each transaction run by `transactional` does after its unit of work, right before COMMIT. */
const commitHooks = new WeakMap<Transaction<Database>, Array<() => Promise<void>>>();

/**
 * Runs `hook` at the end of `trx`, after the rest of its work and right before it commits (in the
 * order registered), so row locks taken there are held for the shortest time. Returns false, and
 * runs nothing, when `trx` was not started by `transactional`: the caller must then do the work now.
 */
export function beforeCommit(trx: Transaction<Database>, hook: () => Promise<void>): boolean {
  const hooks = commitHooks.get(trx);
  if (!hooks) return false;
  hooks.push(hook);
  return true;
}

/**
 * The one way to run a transaction. `repositories` builds the feature's repositories over an
 * executor; the returned runner hands each unit of work fresh ones over its transaction.
 *
 * A PostgreSQL serialization failure or deadlock (or SQLite's lock held by another process)
 * aborts the whole transaction, so the whole unit is re-run from the start, after a jittered,
 * growing pause so the transactions that collided do not collide again in lockstep. The work must
 * therefore have no side effects outside the transaction: publish events after it returns.
 */
export function transactional<R extends object>(db: Kysely<Database>, repositories: (executor: Executor) => R): TransactionRunner<R> {
  return async (work) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.transaction().execute(async (trx) => {
          const hooks: Array<() => Promise<void>> = [];
          commitHooks.set(trx, hooks);
          const result = await work({ ...repositories(trx), trx });
          // A hook may register another (e.g. a second transfer settling): run until none is left.
          for (let next = hooks.shift(); next; next = hooks.shift()) await next();
          return result;
        });
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !isRetryableTransactionError(err)) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** attempt));
      }
    }
  };
}
