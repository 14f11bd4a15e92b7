/**
 * What a viewer sees when opening a room: the room itself, or a paywall that explains the next step
 * (log in, pay the price, or recharge first because the balance is short).
 */
import type { UserInfo } from '../../session/index.ts';
import type { LiveInfo } from '../api/get-live-info.ts';

export type PaywallDecision =
  | { kind: 'open' }
  | { kind: 'login'; price: number; roomType: number }
  | { kind: 'pay'; price: number; balance: number; roomType: number }
  | { kind: 'recharge'; price: number; balance: number; shortBy: number; roomType: number };

export function decidePaywall(info: Pick<LiveInfo, 'vip_info'>, user: Pick<UserInfo, 'status' | 'coin_num'> | null): PaywallDecision {
  const { room_type: roomType, vip_status: mayEnter, amount: price } = info.vip_info;
  if (roomType === 0 || mayEnter) return { kind: 'open' };
  if (!user?.status) return { kind: 'login', price, roomType };
  if (user.coin_num >= price) return { kind: 'pay', price, balance: user.coin_num, roomType };
  return { kind: 'recharge', price, balance: user.coin_num, shortBy: price - user.coin_num, roomType };
}

/** Subscribing unlocks all of an anchor's paid rooms; offered when the anchor sells subscriptions. */
export function canSubscribe(
  info: { subscription_info: Pick<LiveInfo['subscription_info'], 'subscription_status' | 'amount'> },
  user: Pick<UserInfo, 'status' | 'uid'> | null, anchorId: string): boolean {
  if (info.subscription_info.subscription_status || info.subscription_info.amount <= 0) return false;
  return !user?.status || user.uid !== anchorId;
}
