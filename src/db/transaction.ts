import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import { isRetryableTransactionError } from './errors.js';

const MAX_ATTEMPTS = 6;

/**
 * Runs `work` in one database transaction and re-runs it from the start when PostgreSQL reports a
 * serialization failure or deadlock (or SQLite a busy lock held by another process): those abort
 * the whole transaction, so retrying the whole unit is the only correct response. `work` must not
 * have side effects outside the transaction, since it may run more than once.
 */
export async function inTransaction<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || !isRetryableTransactionError(err)) throw err;
      // Jittered, growing pause so the transactions that collided do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** attempt));
    }
  }
}
