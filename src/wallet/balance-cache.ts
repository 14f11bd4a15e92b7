/**
 * Wallet balances as every page load asks for them (is_logged_in): cached per user, dropped on every
 * instance when a `balance_changed` event says the balance moved. Every service that moves diamonds
 * announces it after its transaction commits (announceBalanceChanged), so the next read anywhere
 * loads the new balance.
 *
 * The maximum age bounds staleness when an event cannot arrive: Redis pub/sub is at-most-once, and
 * `npm run coins` without REDIS_URL runs in a process of its own with no way to reach the servers'
 * memory (with REDIS_URL it publishes through Redis like a server does).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ReadThroughCache } from '../infra/read-through-cache.js';
import type { DomainEvent, EventBus } from '../realtime/index.js';
import { walletBalance } from './diamonds.js';

export const BALANCE_CACHE_MAX_AGE_MS = 2000;
const BALANCE_CACHE_ENTRIES = 50_000;

export class CachedBalances {
  private readonly balances: ReadThroughCache<number>;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly db: Kysely<Database>,
    eventBus: EventBus,
    clock: () => number = Date.now,
  ) {
    this.balances = new ReadThroughCache({ clock, maxAgeMs: BALANCE_CACHE_MAX_AGE_MS, maxEntries: BALANCE_CACHE_ENTRIES });
    this.unsubscribe = eventBus.subscribe((event) => this.onEvent(event));
  }

  async balance(userId: string): Promise<number> {
    return (await this.balances.get(userId, () => walletBalance(this.db, userId))) ?? 0;
  }

  close(): void {
    this.unsubscribe();
  }

  private onEvent(event: DomainEvent): void {
    if (event.type === 'balance_changed') this.balances.invalidate(event.data.uid);
  }
}

/** Call after the transaction that moved the user's diamonds has committed, never inside it. */
export function announceBalanceChanged(eventBus: EventBus, userId: string): Promise<void> {
  return eventBus.publish({ type: 'balance_changed', room_id: null, data: { uid: userId } });
}
