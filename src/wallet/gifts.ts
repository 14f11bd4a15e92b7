/**
 * Gifts: a viewer spends diamonds on a gift for the anchor of a room they may enter. Each send is one
 * ledger transfer (platform fee included) committed together with the room's supporter totals;
 * the room hears of it (a `gift` frame, then its new leaderboard) only after the commit.
 */
import { assertNotBanned, type SessionUser } from '../accounts/index.js';
import type { GiftDefinition } from '../config.js';
import { newId } from '../db/ids.js';
import { badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import type { EventBus } from '../realtime/index.js';
import { announceBalanceChanged } from './balance-cache.js';
import { chargeViewer, paymentEvent, runIdempotent, type PaymentTransactions, type RoomPaymentMade } from './charge.js';
import type { RoomLeaderboards } from './leaderboard.js';
import type { WalletRepository } from './repository.js';
import { roomArchived } from './limits.js';
import { MAX_GIFT_COUNT, type GiftCatalogue, type GiftSent } from './schemas.js';

export interface GiftRequest {
  roomId: string;
  giftId: string;
  count: number;
  /** The total the viewer agreed to pay. */
  amount: number;
}

export interface GiftOptions {
  gifts: readonly GiftDefinition[];
  platformFeePercent: number;
  eventBus: EventBus;
  leaderboards: RoomLeaderboards;
  /** Shared with the other payments: see paymentTransactions. */
  payments: PaymentTransactions;
  clock: () => number;
}

export class GiftService {
  private readonly byId: Map<string, GiftDefinition>;

  constructor(private readonly options: GiftOptions) {
    this.byId = new Map(options.gifts.map((gift) => [gift.id, gift]));
  }

  catalogue(): GiftCatalogue {
    return { gifts: this.options.gifts.map((gift) => ({ ...gift })) };
  }

  async send(user: SessionUser, request: GiftRequest, idempotencyKey?: string): Promise<GiftSent> {
    assertNotBanned(user);
    const gift = this.byId.get(request.giftId);
    if (!gift) throw notFound('gift_not_found', 'No such gift');
    if (!Number.isSafeInteger(request.count) || request.count < 1 || request.count > MAX_GIFT_COUNT) {
      throw badRequest('invalid_count', `count must be a whole number from 1 to ${MAX_GIFT_COUNT}`);
    }
    const total = gift.price * request.count;
    const fingerprint = JSON.stringify(['send_gift', request.roomId, request.giftId, request.count, request.amount]);
    const now = this.options.clock();
    let sent: { result: GiftSent; fresh: boolean; payment: RoomPaymentMade } | undefined;
    const result = await this.options.payments(user.id, async ({ wallet: repo, trx }) => {
      sent = undefined;
      return runIdempotent(repo, { userId: user.id, key: idempotencyKey, fingerprint, now }, async () => {
        const room = await repo.findRoom(request.roomId);
        if (!room) throw notFound('room_not_found', 'No such room');
        if (room.anchorId === user.id) throw badRequest('cannot_gift_self', 'Anchors cannot send gifts in their own rooms');
        if (room.archived) throw roomArchived();
        if (room.roomType !== 0 && !(await this.mayEnterPaidRoom(repo, user.id, room.id, room.anchorId, now))) {
          throw forbidden('vip_required', 'This room is for paying viewers: unlock it first to send gifts here');
        }
        if (request.amount !== total) {
          throw conflict('price_changed', `${request.count} × ${gift.id} now costs ${total} diamonds`, { amount: total });
        }
        const charge = await chargeViewer(trx, this.options.platformFeePercent, {
          // Each call is a new gift; retries are made safe by the client's Idempotency-Key.
          idempotencyKey: `gift:${user.id}:${newId()}`,
          type: 'gift',
          payerId: user.id,
          anchorId: room.anchorId,
          price: total,
          metadata: { room_id: room.id, room_name: room.roomName, gift_id: gift.id, count: request.count },
          now,
        });
        await repo.addRoomSupport(room.id, user.id, this.options.leaderboards.today(), total);
        const answer: GiftSent = { gift_id: gift.id, count: request.count, charged: total, coin_num: charge.balance };
        sent = {
          result: answer,
          fresh: true,
          payment: {
            roomId: room.id,
            anchorId: room.anchorId,
            payer: { id: user.id, username: user.username },
            type: 'gift',
            transferId: charge.transferId,
            amount: total,
            earned: charge.earned,
            gift: { id: gift.id, count: request.count },
            now,
          },
        };
        return answer;
      });
    });
    // A replayed Idempotency-Key changed nothing, so the room hears nothing new.
    if (sent?.fresh) {
      await announceBalanceChanged(this.options.eventBus, user.id);
      await this.options.eventBus.publish({
        type: 'gift',
        room_id: request.roomId,
        data: {
          uid: user.id,
          username: user.username,
          gift_id: gift.id,
          count: request.count,
          diamonds: total,
          send_date: new Date(now).toISOString(),
        },
      });
      await this.options.eventBus.publish(paymentEvent(sent.payment));
      this.options.leaderboards.changed(request.roomId);
    }
    return result;
  }

  /** The same rule as the room gate: unlocked by this viewer, or a running subscription to its anchor. */
  private async mayEnterPaidRoom(repo: WalletRepository, userId: string, roomId: string, anchorId: string, now: number): Promise<boolean> {
    if (await repo.hasRoomAccess(userId, roomId)) return true;
    return ((await repo.subscriptionExpiry(userId, anchorId)) ?? 0) > now;
  }
}
