import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { normaliseDecimal, parseDecimal, proRataFloor, sameAmount } from '../../src/infra/decimal.js';

describe('decimal amounts', () => {
  it('compares amounts exactly whatever their spelling', () => {
    expect(sameAmount(20, '20.000')).toBe(true);
    expect(sameAmount(19.916393, '19.916393')).toBe(true);
    expect(sameAmount(0.1 + 0.2, 0.3)).toBe(false);
    expect(sameAmount('1e-7', '0.0000001')).toBe(true);
    expect(sameAmount('12abc', 12)).toBe(false);
    expect(normaliseDecimal('0012.5000')).toBe('12.5');
    expect(normaliseDecimal(1.5e21)).toBe('1500000000000000000000');
    expect(parseDecimal(Number.NaN)).toBeNull();
    expect(parseDecimal(true)).toBeNull();
  });

  it('prorates diamonds without float rounding', () => {
    const d = (v: string) => parseDecimal(v)!;
    expect(proRataFloor(100, d('7.966552'), d('19.91638'))).toBe(40);
    expect(proRataFloor(100, d('7.9'), d('19.91638'))).toBe(39);
    expect(proRataFloor(60, d('0'), d('12'))).toBe(0);
  });
});

describe('RECHARGE_PACKAGES', () => {
  it('parses usd:diamonds pairs and refuses nonsense', () => {
    expect(loadConfig({ RECHARGE_PACKAGES: '9.99:50, 20:100' }).payments.packages).toEqual([
      { cryptoAmount: '9.99', coinNum: 50 },
      { cryptoAmount: '20', coinNum: 100 },
    ]);
    expect(() => loadConfig({ RECHARGE_PACKAGES: '12:sixty' })).toThrow(/RECHARGE_PACKAGES/);
    expect(() => loadConfig({ RECHARGE_PACKAGES: '12:60,12.0:70' })).toThrow(/duplicate/);
    expect(() => loadConfig({ NOWPAYMENTS_API_KEY: 'k' })).toThrow(/NOWPAYMENTS_IPN_SECRET/);
    expect(loadConfig({ NOWPAYMENTS_SANDBOX: 'true' }).payments.nowpaymentsBaseUrl).toBe('https://api-sandbox.nowpayments.io');
  });
});
