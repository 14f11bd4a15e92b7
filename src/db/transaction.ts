import { sql, type Kysely, type Transaction } from 'kysely';
import { isPostgres } from './dialect.js';
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

/**
 * Work done once at the end of a transaction for everything registered with `atCommit` during it,
 * right before COMMIT, so row locks taken there are held for the shortest time. One step receives
 * the items of every unit of work in the transaction at once (see `groupedTransactional`).
 */
export interface CommitStep<T> {
  apply(trx: Transaction<Database>, items: T[]): Promise<void>;
}

interface Registration {
  step: CommitStep<never>;
  items: unknown[];
}

/** The registrations of one transaction; a unit of work rolled back to its savepoint takes its own back. */
class CommitQueue {
  private registrations: Registration[] = [];

  add(registration: Registration): void {
    this.registrations.push(registration);
  }

  mark(): number {
    return this.registrations.length;
  }

  rollBackTo(mark: number): void {
    this.registrations.length = mark;
  }

  async run(trx: Transaction<Database>): Promise<void> {
    // A step may register more (e.g. a transfer made while settling): run until none is left.
    while (this.registrations.length > 0) {
      const byStep = new Map<CommitStep<never>, unknown[]>();
      for (const { step, items } of this.registrations.splice(0)) {
        const collected = byStep.get(step);
        if (collected) collected.push(...items);
        else byStep.set(step, [...items]);
      }
      for (const [step, items] of byStep) await (step as CommitStep<unknown>).apply(trx, items);
    }
  }
}

const commitQueues = new WeakMap<Transaction<Database>, CommitQueue>();

/**
 * Hands `items` to `step` at the end of `trx`, together with the items every other unit of work in
 * the same transaction registered for it. Returns false, and keeps nothing, when `trx` was not
 * started here: the caller must then do the work now.
 */
export function atCommit<T>(trx: Transaction<Database>, step: CommitStep<T>, items: T[]): boolean {
  const queue = commitQueues.get(trx);
  if (!queue) return false;
  queue.add({ step: step as CommitStep<never>, items });
  return true;
}

const MAX_ATTEMPTS = 6;

/** Starts a unit's savepoint, releasing the previous unit's first (one round trip on PostgreSQL). */
async function nextSavepoint(trx: Transaction<Database>, releasePrevious: boolean): Promise<void> {
  if (!releasePrevious) {
    await sql`savepoint unit_of_work`.execute(trx);
  } else if (isPostgres(trx)) {
    // Without parameters `pg` sends the simple query protocol, which takes several statements.
    await sql.raw('release savepoint unit_of_work; savepoint unit_of_work').execute(trx);
  } else {
    await sql`release savepoint unit_of_work`.execute(trx);
    await sql`savepoint unit_of_work`.execute(trx);
  }
}

/**
 * Runs `body` in a transaction, again from the start when it fails with a PostgreSQL serialization
 * failure or deadlock (or SQLite's lock held by another process): those abort the whole
 * transaction. The pause before each attempt is jittered and growing, so the transactions that
 * collided do not collide again in lockstep.
 */
async function withRetries<T>(db: Kysely<Database>, body: (trx: Transaction<Database>, queue: CommitQueue) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        const queue = new CommitQueue();
        commitQueues.set(trx, queue);
        const result = await body(trx, queue);
        await queue.run(trx);
        return result;
      });
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || !isRetryableTransactionError(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** attempt));
    }
  }
}

/**
 * The one way to run a transaction. `repositories` builds the feature's repositories over an
 * executor; the returned runner hands each unit of work fresh ones over its transaction.
 * A unit may be re-run from the start (see withRetries), so it must have no side effects outside
 * the transaction: publish events after it returns.
 */
export function transactional<R extends object>(db: Kysely<Database>, repositories: (executor: Executor) => R): TransactionRunner<R> {
  return (work) => withRetries(db, (trx) => work({ ...repositories(trx), trx }));
}

/** Runs a unit of work in a shared transaction; `orderKey` is what its row locks are taken by (the payer). */
export type GroupedTransactionRunner<R> = <T>(orderKey: string, work: (scope: TransactionScope<R>) => Promise<T>) => Promise<T>;

export interface GroupOptions {
  /** Most units of work in one transaction (how long its row locks are held). */
  maxUnits: number;
  /** Shared transactions in flight at once (database connections used). */
  concurrency: number;
}

interface Unit<R> {
  orderKey: string;
  work: (scope: TransactionScope<R>) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Group commit for short, independent units of work (payments): the units waiting when a
 * transaction starts run in it one after another, each inside its own savepoint, and commit
 * together, so BEGIN, COMMIT and every commit step (the shared balance rows credited by each
 * payment) are paid once per group instead of once per unit. Under load, units arriving while
 * groups are running make up the next group; a unit arriving alone runs at once, on its own.
 *
 * - A unit that throws is rolled back to its savepoint, with what it registered for the commit,
 *   and its caller gets the error; the others go on.
 * - Every unit's caller is answered only after the COMMIT, so a success is durable.
 * - Units run in `orderKey` order, so two groups running at once take their payers' rows in the
 *   same order and cannot deadlock on them (the commit steps' rows come after, in their own order).
 * - A group that cannot commit is run again unit by unit, each in its own transaction, so one
 *   unit's failure stays its own.
 */
export function groupedTransactional<R extends object>(
  db: Kysely<Database>,
  repositories: (executor: Executor) => R,
  options: GroupOptions,
): GroupedTransactionRunner<R> {
  const waiting: Unit<R>[] = [];
  let running = 0;
  let scheduled = false;

  const inOwnTransaction = transactional(db, repositories);
  const runAlone = (unit: Unit<R>) => inOwnTransaction(unit.work).then(unit.resolve, unit.reject);

  const runGroup = async (group: Unit<R>[]): Promise<void> => {
    if (group.length === 1) return runAlone(group[0]!);
    group.sort((a, b) => (a.orderKey < b.orderKey ? -1 : a.orderKey > b.orderKey ? 1 : 0));
    let outcomes: Outcome[];
    try {
      outcomes = await withRetries(db, async (trx, queue) => {
        const results: Outcome[] = [];
        for (const unit of group) {
          const mark = queue.mark();
          await nextSavepoint(trx, results.length > 0);
          try {
            results.push({ ok: true, value: await unit.work({ ...repositories(trx), trx }) });
          } catch (error) {
            // A deadlock or serialization failure has aborted the transaction: retry the group.
            if (isRetryableTransactionError(error)) throw error;
            await sql`rollback to savepoint unit_of_work`.execute(trx);
            queue.rollBackTo(mark);
            results.push({ ok: false, error });
          }
        }
        // COMMIT releases the last savepoint.
        return results;
      });
    } catch {
      for (const unit of group) await runAlone(unit);
      return;
    }
    group.forEach((unit, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) unit.resolve(outcome.value);
      else unit.reject(outcome.error);
    });
  };

  const schedule = (): void => {
    if (scheduled || running >= options.concurrency || waiting.length === 0) return;
    scheduled = true;
    // The next turn, so every request already read in this one joins the group.
    setImmediate(() => {
      scheduled = false;
      const group = waiting.splice(0, options.maxUnits);
      running++;
      void runGroup(group).finally(() => {
        running--;
        schedule();
      });
      schedule();
    });
  };

  return <T>(orderKey: string, work: (scope: TransactionScope<R>) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      waiting.push({ orderKey, work, resolve: resolve as (value: unknown) => void, reject });
      schedule();
    });
}
