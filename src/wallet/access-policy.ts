/**
 * The real room gate: a viewer may enter a paid room (room_type ≠ 0) when it is their own, when they
 * unlocked it with pay_vip_coin, or while they hold an active subscription to its anchor.
 *
 * Every room page, history request and WebSocket join asks this policy, so its three lookups
 * (room unlocked? subscription expiry? anchor's price?) are cached. The wallet announces each
 * change as an `access_changed` event after its transaction commits; the event reaches this cache
 * on every instance, so a viewer who just paid is let in everywhere. The short maximum age only
 * bounds staleness should an event be lost (Redis pub/sub is at-most-once).
 */
import type { Kysely } from 'kysely';
import type { Viewer } from '../accounts/index.js';
import type { Database } from '../db/schema.js';
import { ReadThroughCache } from '../infra/read-through-cache.js';
import type { DomainEvent, EventBus } from '../realtime/index.js';
import { isOpenWithoutPayment, type RoomAccessPolicy, type RoomAccessSubject, type SubscriptionInfo } from '../rooms/index.js';
import { WalletRepository } from './repository.js';

const ACCESS_CACHE_MAX_AGE_MS = 1000;
const ACCESS_CACHE_ENTRIES = 20_000;
/** Cached for a viewer without a subscription (a cache keeps no `undefined`). */
const NO_SUBSCRIPTION = 0;

export interface WalletAccessOptions {
  defaultSubscriptionPrice: number;
  clock?: () => number;
}

export class WalletRoomAccessPolicy implements RoomAccessPolicy {
  private readonly repo: WalletRepository;
  private readonly clock: () => number;
  /** `uid|room_id` → whether the viewer unlocked the room. */
  private readonly unlocked: ReadThroughCache<boolean>;
  /** `uid|anchor_id` → subscription expiry (ms), NO_SUBSCRIPTION when none was ever bought. */
  private readonly expiries: ReadThroughCache<number>;
  /** anchor_id → the anchor's own price; absent when the anchor never set one. */
  private readonly prices: ReadThroughCache<{ price: number | undefined }>;
  private readonly unsubscribe: () => void;

  constructor(
    db: Kysely<Database>,
    eventBus: EventBus,
    private readonly options: WalletAccessOptions,
  ) {
    this.repo = new WalletRepository(db);
    this.clock = options.clock ?? Date.now;
    const cacheOptions = { clock: this.clock, maxAgeMs: ACCESS_CACHE_MAX_AGE_MS, maxEntries: ACCESS_CACHE_ENTRIES };
    this.unlocked = new ReadThroughCache(cacheOptions);
    this.expiries = new ReadThroughCache(cacheOptions);
    this.prices = new ReadThroughCache(cacheOptions);
    this.unsubscribe = eventBus.subscribe((event) => this.onEvent(event));
  }

  async canEnter(viewer: Viewer, room: RoomAccessSubject): Promise<boolean> {
    if (isOpenWithoutPayment(viewer, room)) return true;
    if (viewer.kind !== 'user') return false;
    const userId = viewer.user.id;
    const unlocked = await this.unlocked.get(pairKey(userId, room.id), () => this.repo.hasRoomAccess(userId, room.id));
    if (unlocked) return true;
    return (await this.subscriptionExpiry(userId, room.anchor_id)) > this.clock();
  }

  async subscriptionInfo(viewer: Viewer, anchorId: string): Promise<SubscriptionInfo> {
    const own = await this.prices.get(anchorId, async () => ({ price: await this.repo.subscriptionPrice(anchorId) }));
    const amount = own?.price ?? this.options.defaultSubscriptionPrice;
    if (viewer.kind !== 'user') return { subscription_status: false, amount, expires_at: null };
    const expiresAt = await this.subscriptionExpiry(viewer.user.id, anchorId);
    const active = expiresAt > this.clock();
    return { subscription_status: active, amount, expires_at: active ? new Date(expiresAt).toISOString() : null };
  }

  /** Asked only for archived rooms, which few open: read directly, not cached. */
  async paidInto(viewer: Viewer, roomId: string): Promise<boolean> {
    if (viewer.kind !== 'user') return false;
    return this.repo.hasPaidInto(viewer.user.id, roomId);
  }

  close(): void {
    this.unsubscribe();
  }

  private async subscriptionExpiry(userId: string, anchorId: string): Promise<number> {
    const load = async () => (await this.repo.subscriptionExpiry(userId, anchorId)) ?? NO_SUBSCRIPTION;
    return (await this.expiries.get(pairKey(userId, anchorId), load)) ?? NO_SUBSCRIPTION;
  }

  private onEvent(event: DomainEvent): void {
    if (event.type !== 'access_changed') return;
    const { uid, anchor_id: anchorId } = event.data;
    if (uid === null) {
      this.prices.invalidate(anchorId);
    } else if (event.room_id === null) {
      this.expiries.invalidate(pairKey(uid, anchorId));
    } else {
      this.unlocked.invalidate(pairKey(uid, event.room_id));
    }
  }
}

// Ids are opaque strings without '|'.
function pairKey(a: string, b: string): string {
  return `${a}|${b}`;
}
