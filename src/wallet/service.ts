/**
 * What diamonds buy and where they come from: VIP room unlocks, anchor subscriptions, recharge
 * credits and operator adjustments. Every movement is one ledger transfer inside one database
 * transaction together with what it pays for, so a crash can never leave half a payment.
 */
import type { Kysely } from 'kysely';
import { assertNotBanned, type SessionUser } from '../accounts/index.js';
import { newId } from '../db/ids.js';
import type { Database } from '../db/schema.js';
import { badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import type { EventBus } from '../realtime/index.js';
import { balanceOf, earningsAccount, walletAccount } from './ledger.js';
import {
  chargeViewer,
  paymentEvent,
  runIdempotent,
  type Charge,
  type ChargeResult,
  type PaymentScope,
  type PaymentTransactions,
  type RoomPaymentMade,
} from './charge.js';
import { announceBalanceChanged } from './balance-cache.js';
import { walletBalance } from './diamonds.js';
import { assertAmount, MAX_DIAMONDS, roomArchived } from './limits.js';
import { entryReferences, mapActiveSubscription, mapEarningsEntry, mapTransaction } from './mappers.js';
import type { RoomLeaderboards } from './leaderboard.js';
import { WalletRepository } from './repository.js';
import type {
  ActiveSubscriptions,
  EarningsSummary,
  SubscriptionPriceSetting,
  SubscriptionResult,
  TransactionsPage,
  VipPaymentResult,
} from './schemas.js';

const DAY_MS = 24 * 60 * 60 * 1000;
export const SUBSCRIPTION_PERIOD_MS = 30 * DAY_MS;
const TRANSACTIONS_PAGE_MAX = 100;

export interface WalletOptions {
  /** Every change of who may enter paid rooms is announced here (access caches on all instances). */
  eventBus: EventBus;
  platformFeePercent: number;
  defaultSubscriptionPrice: number;
  /** Told of every payment into a room, so the room's leaderboard follows. */
  leaderboards: RoomLeaderboards;
  /** Shared with the gifts: see paymentTransactions. */
  payments: PaymentTransactions;
  clock?: () => number;
}

export interface VipPaymentRequest {
  /** The uid the client believes it is; only checked against the session, never trusted. */
  uid?: string;
  /** The original site's pages send the same claim as `user_id`; it is checked the same way. */
  userId?: string;
  anchorId: string;
  roomId: string;
  /** The price the viewer agreed to pay. */
  amount: number;
}


export class WalletService {
  private readonly clock: () => number;
  private readonly repo: WalletRepository;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: WalletOptions,
  ) {
    this.clock = options.clock ?? Date.now;
    this.repo = new WalletRepository(db);
  }

  /**
   * Drops idempotency records older than the retention: a client retries a payment within minutes,
   * so after that the stored answer only takes space. A key reused later counts as a new request.
   */
  pruneIdempotencyRecords(retentionMs: number): Promise<number> {
    return this.repo.deleteIdempotencyRecordsBefore(this.clock() - retentionMs);
  }

  balance(userId: string): Promise<number> {
    return walletBalance(this.db, userId);
  }

  /**
   * Unlocks a paid room for good (contract endpoint 8). Paying for a room the viewer already owns
   * charges nothing; `amount` must equal the current price so a price change is never a surprise.
   */
  async payVipRoom(user: SessionUser, request: VipPaymentRequest, idempotencyKey?: string): Promise<VipPaymentResult> {
    assertNotBanned(user);
    for (const claimed of [request.uid, request.userId]) {
      if (claimed !== undefined && claimed !== user.id) throw forbidden('uid_mismatch', 'uid does not match the logged-in user');
    }
    assertAmount(request.amount);
    const fingerprint = JSON.stringify(['pay_vip_coin', request.roomId, request.anchorId, request.amount]);
    let payment: RoomPaymentMade | undefined;
    const result = await this.options.payments(user.id, (scope) => {
      payment = undefined;
      return this.idempotent(scope, user.id, idempotencyKey, fingerprint, () =>
        this.unlockRoom(scope, user, request, (made) => (payment = made)),
      );
    });
    await this.announceAccess(request.roomId, user.id, request.anchorId);
    if (payment) {
      await this.balanceChanged(user.id);
      await this.options.eventBus.publish(paymentEvent(payment));
    }
    if (result.charged > 0) this.options.leaderboards.changed(request.roomId);
    return result;
  }

  private async unlockRoom(
    scope: PaymentScope,
    user: SessionUser,
    request: VipPaymentRequest,
    paid: (payment: RoomPaymentMade) => void,
  ): Promise<VipPaymentResult> {
    const { wallet: repo, trx } = scope;
    const wallet = walletAccount(user.id);
    const room = await repo.findRoomForBuyer(request.roomId, user.id);
    if (!room) throw notFound('room_not_found', 'No such room');
    if (room.anchorId !== request.anchorId) throw badRequest('anchor_mismatch', 'anchor_id is not the anchor of this room');
    if (room.roomType === 0) throw badRequest('room_is_free', 'This room is free to enter');
    if (room.price <= 0) throw badRequest('room_not_for_sale', 'This room is open to subscribers only');
    const unchanged = async (): Promise<VipPaymentResult> => ({ vip_status: true, charged: 0, coin_num: await balanceOf(trx, wallet) });
    if (room.anchorId === user.id || room.unlocked) return unchanged();
    if (room.archived) throw roomArchived();
    if (request.amount !== room.price) {
      throw conflict('price_changed', `The price of this room is now ${room.price} diamonds`, { amount: room.price });
    }

    const now = this.clock();
    const transfer = await this.charge(scope, {
      idempotencyKey: `vip:${user.id}:${room.id}`,
      type: 'vip_room',
      payerId: user.id,
      anchorId: room.anchorId,
      price: room.price,
      metadata: { room_id: room.id, room_name: room.roomName },
      now,
    });
    // A concurrent identical payment won the race and committed first: this one changes nothing.
    if (!transfer.applied) return unchanged();
    await repo.insertRoomAccess({ userId: user.id, roomId: room.id, transferId: transfer.transferId, amount: room.price, now });
    await repo.addRoomSupport(room.id, user.id, this.options.leaderboards.today(), room.price);
    paid({
      roomId: room.id,
      anchorId: room.anchorId,
      payer: { id: user.id, username: user.username },
      type: 'vip_room',
      transferId: transfer.transferId,
      amount: room.price,
      earned: transfer.earned,
      now,
    });
    return { vip_status: true, charged: room.price, coin_num: transfer.balance };
  }

  /**
   * Buys (or extends by) one 30-day period of access to all of an anchor's paid rooms. Bought in one
   * of the anchor's rooms (`roomId`), it counts for that room's leaderboard.
   */
  async subscribe(
    user: SessionUser,
    request: { anchorId: string; expectedPrice?: number; roomId?: string },
    idempotencyKey?: string,
  ): Promise<SubscriptionResult> {
    assertNotBanned(user);
    const { anchorId, expectedPrice, roomId } = request;
    if (expectedPrice !== undefined) assertAmount(expectedPrice);
    if (anchorId === user.id) throw badRequest('cannot_subscribe_to_self', 'You cannot subscribe to yourself');
    const fingerprint = JSON.stringify(['subscribe', anchorId, expectedPrice ?? null, roomId ?? null]);
    let payment: RoomPaymentMade | undefined;
    const result = await this.options.payments(user.id, (scope) => {
      payment = undefined;
      return this.idempotent(scope, user.id, idempotencyKey, fingerprint, async () => {
        const repo = scope.wallet;
        if (!(await repo.isAnchor(anchorId))) throw notFound('anchor_not_found', 'No such anchor');
        const price = await this.subscriptionPriceWith(repo, anchorId);
        if (price === 0) throw badRequest('subscriptions_disabled', 'This anchor does not offer subscriptions');
        if (expectedPrice !== undefined && expectedPrice !== price) {
          throw conflict('price_changed', `The subscription price is now ${price} diamonds`, { amount: price });
        }
        const room = roomId === undefined ? undefined : await repo.findRoom(roomId);
        if (roomId !== undefined && room?.anchorId !== anchorId) {
          throw badRequest('anchor_mismatch', 'room_id is not a room of this anchor');
        }
        if (room?.archived) throw roomArchived();
        const now = this.clock();
        const transfer = await this.charge(scope, {
          // Every call buys a period; retries are made safe by the client's Idempotency-Key.
          idempotencyKey: `subscription:${user.id}:${anchorId}:${newId()}`,
          type: 'subscription',
          payerId: user.id,
          anchorId,
          price,
          metadata: room ? { room_id: room.id, room_name: room.roomName } : {},
          now,
        });
        const expiresAt = await repo.extendSubscription(user.id, anchorId, SUBSCRIPTION_PERIOD_MS, now);
        if (room) {
          await repo.addRoomSupport(room.id, user.id, this.options.leaderboards.today(), price);
          payment = {
            roomId: room.id,
            anchorId,
            payer: { id: user.id, username: user.username },
            type: 'subscription',
            transferId: transfer.transferId,
            amount: price,
            earned: transfer.earned,
            now,
          };
        }
        return {
          subscription_status: true,
          charged: price,
          amount: price,
          expires_at: new Date(expiresAt).toISOString(),
          coin_num: transfer.balance,
        };
      });
    });
    await this.announceAccess(null, user.id, anchorId);
    if (payment) {
      await this.balanceChanged(user.id);
      await this.options.eventBus.publish(paymentEvent(payment));
    }
    if (roomId !== undefined) this.options.leaderboards.changed(roomId);
    return result;
  }

  async subscriptionPrice(anchorId: string): Promise<number> {
    return this.subscriptionPriceWith(this.repo, anchorId);
  }

  /** Anchors set their own price; 0 turns subscriptions off. */
  async setSubscriptionPrice(anchor: SessionUser, price: number): Promise<SubscriptionPriceSetting> {
    if (!anchor.isAnchor) throw forbidden('not_an_anchor', 'Only anchors can set a subscription price');
    if (!Number.isSafeInteger(price) || price < 0 || price > MAX_DIAMONDS) {
      throw badRequest('invalid_amount', `subscription_price must be an integer from 0 to ${MAX_DIAMONDS}`);
    }
    await this.repo.setSubscriptionPrice(anchor.id, price, this.clock());
    await this.announceAccess(null, null, anchor.id);
    return { subscription_price: price };
  }

  /**
   * For diamond movements made inside another feature's transaction (the operator console's
   * adjustments and partial credits): call after that transaction commits.
   */
  balanceChanged(userId: string): Promise<void> {
    return announceBalanceChanged(this.options.eventBus, userId);
  }

  /** After the commit, so no instance can reload the old state once it dropped its copy. */
  private announceAccess(roomId: string | null, uid: string | null, anchorId: string): Promise<void> {
    return this.options.eventBus.publish({ type: 'access_changed', room_id: roomId, data: { uid, anchor_id: anchorId } });
  }

  /** The viewer's wallet history, newest first; pass the returned `next_cursor` for older entries. */
  async transactions(userId: string, cursor: string | undefined, limit = 20): Promise<TransactionsPage> {
    const pageSize = Math.min(Math.max(1, Math.trunc(limit)), TRANSACTIONS_PAGE_MAX);
    const entries = await this.repo.accountEntries(walletAccount(userId), { before: cursor, limit: pageSize + 1 });
    const page = entries.slice(0, pageSize);
    const { roomIds, anchorIds, orderIds } = entryReferences(page);
    const details = await this.repo.entryDetails(roomIds, anchorIds, orderIds);
    return {
      transactions: page.map((entry) => mapTransaction(entry, details)),
      next_cursor: entries.length > pageSize ? (page.at(-1)?.transferId ?? null) : null,
    };
  }

  /** The user's running subscriptions with their expiry, soonest to end first. */
  async activeSubscriptions(userId: string): Promise<ActiveSubscriptions> {
    const rows = await this.repo.activeSubscriptions(userId, this.clock());
    return { subscriptions: rows.map(mapActiveSubscription) };
  }

  async earnings(anchor: SessionUser): Promise<EarningsSummary> {
    if (!anchor.isAnchor) throw forbidden('not_an_anchor', 'Only anchors have earnings');
    const repo = this.repo;
    const account = earningsAccount(anchor.id);
    const [coins, totals, recent, price, subscribers] = await Promise.all([
      balanceOf(this.db, account),
      repo.totalsByType(account),
      repo.accountEntries(account, { limit: 20 }),
      this.subscriptionPriceWith(repo, anchor.id),
      repo.countActiveSubscribers(anchor.id, this.clock()),
    ]);
    return {
      coin_num: coins,
      total_earned: [...totals.values()].filter((total) => total > 0).reduce((a, b) => a + b, 0),
      vip_total: totals.get('vip_room') ?? 0,
      subscription_total: totals.get('subscription') ?? 0,
      gift_total: totals.get('gift') ?? 0,
      subscription_price: price,
      active_subscribers: subscribers,
      recent: recent.map(mapEarningsEntry),
    };
  }

  private async subscriptionPriceWith(repo: WalletRepository, anchorId: string): Promise<number> {
    return (await repo.subscriptionPrice(anchorId)) ?? this.options.defaultSubscriptionPrice;
  }

  private charge({ trx }: PaymentScope, payment: Charge): Promise<ChargeResult> {
    return chargeViewer(trx, this.options.platformFeePercent, payment);
  }

  private idempotent<T>(scope: PaymentScope, userId: string, key: string | undefined, fingerprint: string, operation: () => Promise<T>): Promise<T> {
    return runIdempotent(scope.wallet, { userId, key, fingerprint, now: this.clock() }, operation);
  }
}
