/**
 * The live-room list, kept in memory: get_all_lives is the hottest route, so it is served from this
 * snapshot without a database round trip. Domain events (from this or any instance) invalidate it;
 * viewer counts and the idle rule are re-applied at least once a second.
 */
import type { Presence } from '../realtime/index.js';
import { mapListing } from './mappers.js';
import type { RoomRecord, RoomsRepository } from './repository.js';
import type { LiveListing } from './schemas.js';

const MAX_STALENESS_MS = 1000;

export class LiveRoomsSnapshot {
  private rooms = new Map<string, RoomRecord>();
  private stale = true;
  private loading: Promise<void> | undefined;
  private built: { at: number; listings: LiveListing[]; newest: LiveListing[] } | undefined;

  constructor(
    private readonly repo: RoomsRepository,
    private readonly presence: Presence,
    private readonly clock: () => number,
    private readonly idleMs: number,
  ) {}

  /** A room's listing fields or live status changed: reload from the database on the next read. */
  invalidate(): void {
    this.stale = true;
    this.built = undefined;
  }

  /** Anchor activity keeps a room listed; a new AI message moves it up among equally watched rooms. */
  noteActivity(roomId: string, at: number, aiMessage: boolean): void {
    const room = this.rooms.get(roomId);
    if (!room) return;
    room.last_activity_at = at;
    if (aiMessage) room.last_ai_message_at = at;
    this.built = undefined;
  }

  /** Live rooms, most watched first, then by latest AI message; or (`new`) newest rooms first. */
  async listings(sort: 'popular' | 'new' = 'popular'): Promise<LiveListing[]> {
    if (this.stale) await this.reload();
    const now = this.clock();
    if (!this.built || now - this.built.at >= MAX_STALENESS_MS) {
      const listings = this.build(now);
      const created = new Map(listings.map((listing) => [listing, this.rooms.get(listing.room_id)?.created_at ?? 0]));
      const newest = [...listings].sort((a, b) => created.get(b)! - created.get(a)! || (a.room_id < b.room_id ? -1 : 1));
      this.built = { at: now, listings, newest };
    }
    return sort === 'new' ? this.built.newest : this.built.listings;
  }

  private reload(): Promise<void> {
    // One query serves every request that arrives while it runs.
    this.loading ??= (async () => {
      try {
        this.stale = false;
        const rows = await this.repo.listLive(this.clock() - this.idleMs);
        this.rooms = new Map(rows.map((row) => [row.id, row]));
        this.built = undefined;
      } catch (err) {
        this.stale = true;
        throw err;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  /** The live rooms' rows, with their viewer counts (active ones only, as listed). */
  async liveRecords(): Promise<Array<{ room: RoomRecord; liveNum: number }>> {
    if (this.stale) await this.reload();
    const activeSince = this.clock() - this.idleMs;
    return [...this.rooms.values()]
      .filter((room) => room.last_activity_at > activeSince)
      .map((room) => ({ room, liveNum: this.presence.count(room.id) }));
  }

  private build(now: number): LiveListing[] {
    const activeSince = now - this.idleMs;
    const live = [...this.rooms.values()]
      .filter((room) => room.last_activity_at > activeSince)
      .map((room) => ({ room, liveNum: this.presence.count(room.id) }));
    live.sort(
      (a, b) =>
        b.liveNum - a.liveNum ||
        (b.room.last_ai_message_at ?? 0) - (a.room.last_ai_message_at ?? 0) ||
        b.room.created_at - a.room.created_at ||
        (a.room.id < b.room.id ? -1 : 1),
    );
    return live.map(({ room, liveNum }) => mapListing(room, liveNum));
  }
}
