/**
 * The real room gate: a viewer may enter a paid room (room_type ≠ 0) when it is their own, when they
 * unlocked it with pay_vip_coin, or while they hold an active subscription to its anchor.
 */
import type { Kysely } from 'kysely';
import type { Viewer } from '../accounts/service.js';
import type { Database } from '../db/schema.js';
import { isOpenWithoutPayment, type RoomAccessPolicy, type RoomAccessSubject, type SubscriptionInfo } from '../rooms/access.js';
import { WalletRepository } from './repository.js';

export interface WalletAccessOptions {
  defaultSubscriptionPrice: number;
  clock?: () => number;
}

export class WalletRoomAccessPolicy implements RoomAccessPolicy {
  private readonly repo: WalletRepository;
  private readonly clock: () => number;

  constructor(
    db: Kysely<Database>,
    private readonly options: WalletAccessOptions,
  ) {
    this.repo = new WalletRepository(db);
    this.clock = options.clock ?? Date.now;
  }

  async canEnter(viewer: Viewer, room: RoomAccessSubject): Promise<boolean> {
    if (isOpenWithoutPayment(viewer, room)) return true;
    if (viewer.kind !== 'user') return false;
    if (await this.repo.hasRoomAccess(viewer.user.id, room.id)) return true;
    return this.isSubscribed(viewer.user.id, room.anchor_id);
  }

  async subscriptionInfo(viewer: Viewer, anchorId: string): Promise<SubscriptionInfo> {
    const amount = (await this.repo.subscriptionPrice(anchorId)) ?? this.options.defaultSubscriptionPrice;
    if (viewer.kind !== 'user') return { subscription_status: false, amount, expires_at: null };
    const expiresAt = await this.repo.subscriptionExpiry(viewer.user.id, anchorId);
    const active = expiresAt !== undefined && expiresAt > this.clock();
    return { subscription_status: active, amount, expires_at: active ? new Date(expiresAt).toISOString() : null };
  }

  private async isSubscribed(userId: string, anchorId: string): Promise<boolean> {
    const expiresAt = await this.repo.subscriptionExpiry(userId, anchorId);
    return expiresAt !== undefined && expiresAt > this.clock();
  }
}
