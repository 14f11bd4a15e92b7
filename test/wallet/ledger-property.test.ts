/**
 * Property test: random interleavings of grants, take-backs, VIP payments, subscriptions and
 * renewals by several users at once, checked against a simple sequential model per user.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../src/accounts/service.js';
import { AppError } from '../../src/http/errors.js';
import { WalletRoomAccessPolicy } from '../../src/wallet/access-policy.js';
import { balanceOf, earningsAccount, SYSTEM_ACCOUNTS, verifyLedger, walletAccount } from '../../src/wallet/ledger.js';
import { SUBSCRIPTION_PERIOD_MS, WalletService } from '../../src/wallet/service.js';
import { GiftService } from '../../src/wallet/gifts.js';
import { paymentTransactions } from '../../src/wallet/charge.js';
import { RoomLeaderboards } from '../../src/wallet/leaderboard.js';
import { adjustDiamonds } from '../../src/wallet/index.js';
import { DEFAULT_GIFTS } from '../../src/config.js';
import { createTestDatabase, type TestDatabase } from '../helpers/app.js';
import { createRoom, insertUser, ROOM_PRIVATE, ROOM_VIP } from './fixtures.js';
import { MemoryEventBus } from '../../src/realtime/memory-event-bus.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const FEE_PERCENT = 10;
const DEFAULT_SUBSCRIPTION_PRICE = 100;
const USERS_PER_RUN = 3;

type Op =
  | { kind: 'grant'; amount: number }
  | { kind: 'take'; amount: number }
  | { kind: 'pay'; room: number }
  | { kind: 'subscribe'; anchor: number }
  | { kind: 'gift'; room: number; gift: number; count: number };

interface Phase {
  ops: Op[][];
  advanceDays: number;
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('grant' as const), amount: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('take' as const), amount: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ kind: fc.constant('pay' as const), room: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('subscribe' as const), anchor: fc.integer({ min: 0, max: 1 }) }),
  fc.record({
    kind: fc.constant('gift' as const),
    room: fc.integer({ min: 0, max: 3 }),
    gift: fc.integer({ min: 0, max: 3 }),
    count: fc.integer({ min: 1, max: 3 }),
  }),
);
const phaseArb: fc.Arbitrary<Phase> = fc.record({
  ops: fc.array(fc.array(opArb, { maxLength: 5 }), { minLength: USERS_PER_RUN, maxLength: USERS_PER_RUN }),
  advanceDays: fc.integer({ min: 0, max: 40 }),
});

let database: TestDatabase;
let now = Date.now();
let wallet: WalletService;
let gifts: GiftService;
let leaderboards: RoomLeaderboards;
let policy: WalletRoomAccessPolicy;
let anchors: SessionUser[];
let subscriptionPrices: number[];
let rooms: Array<{ id: string; anchorIndex: number; price: number; roomType: number }>;

beforeAll(async () => {
  database = await createTestDatabase({ pgPoolSize: 6 });
  const clock = () => now;
  // Shared, as in the app: the wallet's announcements keep the policy's caches current.
  const eventBus = new MemoryEventBus();
  leaderboards = new RoomLeaderboards(database.db, eventBus, { utcOffsetMinutes: 0, clock });
  const payments = paymentTransactions(database.db);
  wallet = new WalletService(database.db, {
    eventBus,
    platformFeePercent: FEE_PERCENT,
    defaultSubscriptionPrice: DEFAULT_SUBSCRIPTION_PRICE,
    leaderboards,
    payments,
    clock,
  });
  gifts = new GiftService({ gifts: DEFAULT_GIFTS, platformFeePercent: FEE_PERCENT, eventBus, leaderboards, payments, clock });
  policy = new WalletRoomAccessPolicy(database.db, eventBus, { defaultSubscriptionPrice: DEFAULT_SUBSCRIPTION_PRICE, clock });
  anchors = [await insertUser(database.db, { anchor: true }), await insertUser(database.db, { anchor: true })];
  await wallet.setSubscriptionPrice(anchors[1]!, 40);
  subscriptionPrices = [DEFAULT_SUBSCRIPTION_PRICE, 40];
  const specs = [
    { anchorIndex: 0, price: 30, roomType: ROOM_VIP },
    { anchorIndex: 0, price: 55, roomType: ROOM_VIP },
    { anchorIndex: 0, price: 0, roomType: ROOM_PRIVATE },
    { anchorIndex: 1, price: 20, roomType: ROOM_VIP },
  ];
  rooms = [];
  for (const spec of specs) {
    const room = await createRoom(database.db, { anchorId: anchors[spec.anchorIndex]!.id, price: spec.price, roomType: spec.roomType });
    rooms.push({ id: room.id, ...spec });
  }
});
afterAll(async () => {
  leaderboards.close();
  await database.close();
});

const fee = (price: number) => Math.floor((price * FEE_PERCENT) / 100);

interface UserModel {
  balance: number;
  unlocked: Set<number>;
  subscribedUntil: number[];
}

/** What one op must do according to the model; mutates the model like the real thing should. */
function expectedOutcome(model: UserModel, op: Op, at: number, earnings: number[], platform: { total: number }): string {
  switch (op.kind) {
    case 'grant':
      model.balance += op.amount;
      return 'ok';
    case 'take':
      if (model.balance < op.amount) return 'insufficient_balance';
      model.balance -= op.amount;
      return 'ok';
    case 'pay': {
      const room = rooms[op.room]!;
      if (room.price === 0) return 'room_not_for_sale';
      if (model.unlocked.has(op.room)) return 'charged:0';
      if (model.balance < room.price) return 'insufficient_balance';
      model.balance -= room.price;
      model.unlocked.add(op.room);
      earnings[room.anchorIndex]! += room.price - fee(room.price);
      platform.total += fee(room.price);
      return `charged:${room.price}`;
    }
    case 'subscribe': {
      const price = subscriptionPrices[op.anchor]!;
      if (model.balance < price) return 'insufficient_balance';
      model.balance -= price;
      model.subscribedUntil[op.anchor] = Math.max(model.subscribedUntil[op.anchor]!, at) + SUBSCRIPTION_PERIOD_MS;
      earnings[op.anchor]! += price - fee(price);
      platform.total += fee(price);
      return `charged:${price} until ${new Date(model.subscribedUntil[op.anchor]!).toISOString()}`;
    }
    case 'gift': {
      const room = rooms[op.room]!;
      if (!model.unlocked.has(op.room) && model.subscribedUntil[room.anchorIndex]! <= at) return 'vip_required';
      const total = DEFAULT_GIFTS[op.gift]!.price * op.count;
      if (model.balance < total) return 'insufficient_balance';
      model.balance -= total;
      earnings[room.anchorIndex]! += total - fee(total);
      platform.total += fee(total);
      return `charged:${total}`;
    }
  }
}

async function actualOutcome(user: SessionUser, op: Op): Promise<string> {
  try {
    switch (op.kind) {
      case 'grant':
      case 'take':
        await adjustDiamonds(database.db, { userId: user.id, amount: op.kind === 'grant' ? op.amount : -op.amount, reason: 'property test', now });
        return 'ok';
      case 'pay': {
        const room = rooms[op.room]!;
        const result = await wallet.payVipRoom(user, { anchorId: anchors[room.anchorIndex]!.id, roomId: room.id, amount: Math.max(room.price, 1) });
        return `charged:${result.charged}`;
      }
      case 'subscribe': {
        const result = await wallet.subscribe(user, { anchorId: anchors[op.anchor]!.id });
        return `charged:${result.charged} until ${result.expires_at}`;
      }
      case 'gift': {
        const room = rooms[op.room]!;
        const amount = DEFAULT_GIFTS[op.gift]!.price * op.count;
        const result = await gifts.send(user, { roomId: room.id, giftId: DEFAULT_GIFTS[op.gift]!.id, count: op.count, amount });
        return `charged:${result.charged}`;
      }
    }
  } catch (err) {
    if (err instanceof AppError) return err.error;
    throw err;
  }
}

describe('ledger under random concurrent operations', () => {
  it('matches the model and verifies after every run', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(phaseArb, { minLength: 1, maxLength: 4 }), async (phases) => {
        const users = await Promise.all(Array.from({ length: USERS_PER_RUN }, () => insertUser(database.db)));
        const models: UserModel[] = users.map(() => ({ balance: 0, unlocked: new Set(), subscribedUntil: [0, 0] }));
        const earnings = await Promise.all(anchors.map((a) => balanceOf(database.db, earningsAccount(a.id))));
        const platform = { total: await balanceOf(database.db, SYSTEM_ACCOUNTS.platform.id) };

        for (const phase of phases) {
          const at = now;
          // Users act concurrently; each user's own operations run in order.
          const actual = await Promise.all(
            users.map(async (user, i) => {
              const outcomes: string[] = [];
              for (const op of phase.ops[i]!) outcomes.push(await actualOutcome(user, op));
              return outcomes;
            }),
          );
          const expected = users.map((_, i) => phase.ops[i]!.map((op) => expectedOutcome(models[i]!, op, at, earnings, platform)));
          expect(actual).toEqual(expected);
          now += phase.advanceDays * DAY_MS;
        }

        expect(await verifyLedger(database.db)).toEqual([]);
        for (const [i, user] of users.entries()) {
          const model = models[i]!;
          expect(await balanceOf(database.db, walletAccount(user.id))).toBe(model.balance);
          const viewer = { kind: 'user' as const, user };
          for (const [r, room] of rooms.entries()) {
            const subscribed = model.subscribedUntil[room.anchorIndex]! > now;
            const subject = { id: room.id, anchor_id: anchors[room.anchorIndex]!.id, room_type: room.roomType, coin_num: room.price };
            expect(await policy.canEnter(viewer, subject)).toBe(model.unlocked.has(r) || subscribed);
          }
        }
        for (const [a, anchor] of anchors.entries()) {
          expect(await balanceOf(database.db, earningsAccount(anchor.id))).toBe(earnings[a]);
        }
        expect(await balanceOf(database.db, SYSTEM_ACCOUNTS.platform.id)).toBe(platform.total);
      }),
      { numRuns: 12 },
    );
    // Each run is dozens of transactions; on a busy shared machine that needs more than the default.
  }, 90_000);
});
