import { describe, expect, it } from 'vitest';
import { initialPackage } from './packages.ts';

const packages = [
  { crypto_amount: 12, coin_num: 60 },
  { crypto_amount: 20, coin_num: 100 },
  { crypto_amount: 100, coin_num: 550 },
];

describe('initial recharge package', () => {
  it('is the smallest package covering the shortfall', () => {
    expect(initialPackage(packages, 50)?.coin_num).toBe(60);
    expect(initialPackage(packages, 60)?.coin_num).toBe(60);
    expect(initialPackage(packages, 61)?.coin_num).toBe(100);
    expect(initialPackage(packages, 120)?.coin_num).toBe(550);
  });

  it('is the largest when none covers it, and the middle one without a shortfall', () => {
    expect(initialPackage(packages, 10_000)?.coin_num).toBe(550);
    expect(initialPackage(packages)?.coin_num).toBe(100);
    expect(initialPackage([packages[0]!])?.coin_num).toBe(60);
    expect(initialPackage([], 5)).toBeUndefined();
  });
});
