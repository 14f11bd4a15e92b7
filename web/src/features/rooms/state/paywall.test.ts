import { describe, expect, it } from 'vitest';
import type { LiveInfo } from '../api/get-live-info.ts';
import { canSubscribe, decidePaywall } from './paywall.ts';

const vip = (vipStatus: boolean, price = 50, roomType: 0 | 1 | 2 = 1): Pick<LiveInfo, 'vip_info'> => ({
  vip_info: { room_type: roomType, vip_status: vipStatus, amount: roomType === 0 ? 0 : price },
});
const user = (coins: number) => ({ status: true, coin_num: coins, uid: 'u1' });
const guest = { status: false, coin_num: 0, uid: '' };

describe('paywall decision', () => {
  it('opens free rooms to everyone', () => {
    expect(decidePaywall(vip(true, 0, 0), guest)).toEqual({ kind: 'open' });
    expect(decidePaywall(vip(true, 0, 0), null)).toEqual({ kind: 'open' });
  });

  it('opens paid rooms the viewer already may enter (paid, subscribed or own room)', () => {
    expect(decidePaywall(vip(true), user(0))).toEqual({ kind: 'open' });
  });

  it('asks guests to log in before paying', () => {
    expect(decidePaywall(vip(false), guest)).toEqual({ kind: 'login', price: 50, roomType: 1 });
  });

  it('offers to pay when the balance covers the price, exactly or more', () => {
    expect(decidePaywall(vip(false), user(50))).toEqual({ kind: 'pay', price: 50, balance: 50, roomType: 1 });
    expect(decidePaywall(vip(false, 50, 2), user(80))).toMatchObject({ kind: 'pay', roomType: 2 });
  });

  it('offers a recharge with the missing amount when the balance is short', () => {
    expect(decidePaywall(vip(false), user(20))).toEqual({ kind: 'recharge', price: 50, balance: 20, shortBy: 30, roomType: 1 });
  });
});

describe('subscription offer', () => {
  const info = (status: boolean, amount: number) => ({ subscription_info: { subscription_status: status, amount } });
  it('is offered when the anchor sells subscriptions and the viewer has none', () => {
    expect(canSubscribe(info(false, 100), user(0), 'anchor')).toBe(true);
    expect(canSubscribe(info(false, 100), guest, 'anchor')).toBe(true);
  });
  it('is not offered when subscribed, when subscriptions are off, or on the own room', () => {
    expect(canSubscribe(info(true, 100), user(0), 'anchor')).toBe(false);
    expect(canSubscribe(info(false, 0), user(0), 'anchor')).toBe(false);
    expect(canSubscribe(info(false, 100), user(0), 'u1')).toBe(false);
  });
});
