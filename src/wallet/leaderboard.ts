/**
 * Room leaderboards: who supported a room most today, in the last 30 days and ever. Payments add to
 * `room_support` in their own transaction; reading a board is three small indexed queries, cached
 * per room. After a payment commits, the instance that took it reads the board once and publishes
 * it; every instance then drops its cached copy and sends the new board to the room's sockets, so
 * no viewer has to ask again. Under a burst of gifts one board per room goes out per interval.
 * A room nobody has open gets no pushed board: its caches are only told to drop their copy, which
 * saves the three reads per payment when many rooms are paid at once (a VIP rush across anchors).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ReadThroughCache } from '../infra/read-through-cache.js';
import type { DomainEvent, EventBus, RoomLeaderboard } from '../realtime/index.js';
import { WalletRepository } from './repository.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const TOP = 10;
/** Bounds staleness across midnight, and should a board event be lost. */
const CACHE_MAX_AGE_MS = 30_000;
const CACHE_ENTRIES = 5_000;
/** Least time between two published boards of one room from one instance. */
const PUBLISH_INTERVAL_MS = 500;

/** The leaderboard day `now` falls in: days since the epoch, counted from midnight at the offset. */
export function supportDay(now: number, utcOffsetMinutes: number): number {
  return Math.floor((now + utcOffsetMinutes * 60_000) / DAY_MS);
}

/** Whether anyone has the room open, on any instance (the realtime presence). */
export interface RoomAudience {
  watching(roomId: string): boolean;
}

export interface LeaderboardOptions {
  utcOffsetMinutes: number;
  clock: () => number;
  /** Without it every changed board is pushed. */
  audience?: RoomAudience;
}

export class RoomLeaderboards {
  private readonly repo: WalletRepository;
  private readonly cache: ReadThroughCache<RoomLeaderboard>;
  /** Rooms with a board publish scheduled, so a burst of payments sends one board. */
  private readonly scheduled = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly lastPublished = new Map<string, number>();
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(
    db: Kysely<Database>,
    private readonly eventBus: EventBus,
    private readonly options: LeaderboardOptions,
  ) {
    this.repo = new WalletRepository(db);
    this.cache = new ReadThroughCache({ clock: options.clock, maxAgeMs: CACHE_MAX_AGE_MS, maxEntries: CACHE_ENTRIES });
    this.unsubscribe = eventBus.subscribe((event) => this.onEvent(event));
  }

  today(): number {
    return supportDay(this.options.clock(), this.options.utcOffsetMinutes);
  }

  async get(roomId: string): Promise<RoomLeaderboard> {
    return (await this.cache.get(roomId, () => this.load(roomId))) ?? this.load(roomId);
  }

  /** After a payment into the room committed: publish its new board soon (coalesced per room). */
  changed(roomId: string): void {
    if (this.closed || this.scheduled.has(roomId)) return;
    const since = this.options.clock() - (this.lastPublished.get(roomId) ?? 0);
    const delay = Math.max(0, PUBLISH_INTERVAL_MS - since);
    this.scheduled.set(
      roomId,
      setTimeout(() => {
        this.scheduled.delete(roomId);
        this.lastPublished.set(roomId, this.options.clock());
        if (this.lastPublished.size > CACHE_ENTRIES) this.lastPublished.clear();
        const published =
          this.options.audience && !this.options.audience.watching(roomId)
            ? this.eventBus.publish({ type: 'leaderboard_stale', room_id: roomId, data: {} })
            : this.load(roomId).then((board) => this.eventBus.publish({ type: 'leaderboard', room_id: roomId, data: board }));
        published.catch(() => {
          // The board is only a view: viewers get it on their next load; the payment itself stands.
        });
      }, delay),
    );
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    for (const timer of this.scheduled.values()) clearTimeout(timer);
    this.scheduled.clear();
  }

  private async load(roomId: string): Promise<RoomLeaderboard> {
    const today = this.today();
    const [todayRows, monthRows, allRows] = await Promise.all([
      this.repo.topSupporters(roomId, today, TOP),
      this.repo.topSupporters(roomId, today - 29, TOP),
      this.repo.topSupporters(roomId, null, TOP),
    ]);
    const map = (rows: typeof todayRows) => rows.map((row) => ({ uid: row.userId, username: row.username, diamonds: row.diamonds }));
    return { room_id: roomId, today: map(todayRows), last_30_days: map(monthRows), all_time: map(allRows) };
  }

  private onEvent(event: DomainEvent): void {
    if (event.type === 'leaderboard' || event.type === 'leaderboard_stale') this.cache.invalidate(event.room_id);
  }
}
