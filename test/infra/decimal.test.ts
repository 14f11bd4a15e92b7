import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { compareDecimal, normaliseDecimal, parseDecimal, proRataFloor, sameAmount } from '../../src/infra/decimal.js';

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

describe('decimal amounts: spelling and limits', () => {
  const text = (value: string | number) => normaliseDecimal(value);

  it('writes amounts below one with their leading zero, so they read back (a 0.5 USDT payment stays 0.5)', () => {
    expect(text('0.5')).toBe('0.5');
    expect(text(0.05)).toBe('0.05');
    expect(text('0.000001')).toBe('0.000001');
    expect(text('-0.5')).toBe('-0.5');
    expect(text('5e-1')).toBe('0.5');
    for (const value of ['0.5', '0.05', '-0.25', '1.5', '10', '0']) expect(text(text(value))).toBe(text(value));
  });

  it('writes nothing paid as 0, never -0, however it was spelt', () => {
    for (const value of ['0', '-0', '0.000', '+0', 0, -0, '0e5']) expect(text(value), String(value)).toBe('0');
  });

  it('reads whole numbers, fractions, signs and exponents exactly', () => {
    expect(text('123')).toBe('123');
    expect(text('100')).toBe('100');
    expect(text('12.345')).toBe('12.345');
    expect(text('+7')).toBe('7');
    expect(text('-12.50')).toBe('-12.5');
    expect(text('1.5E3')).toBe('1500');
    expect(text('15e-1')).toBe('1.5');
    expect(text('2e+2')).toBe('200');
    expect(text(' 20 ')).toBe('20');
    expect(text(-3)).toBe('-3');
  });

  it('refuses anything that is not a plain decimal number', () => {
    for (const value of ['abc12', 'x1', '12abc', '.5', '5.', '1.2.3', '--1', '1e', 'e5', '1 000', '0x10', '', ' ', 'Infinity']) {
      expect(parseDecimal(value), JSON.stringify(value)).toBeNull();
    }
    expect(parseDecimal(Number.POSITIVE_INFINITY)).toBeNull();
    expect(parseDecimal(null)).toBeNull();
    expect(parseDecimal({ units: 1n, scale: 0 })).toBeNull();
    expect(() => normaliseDecimal('twelve')).toThrow(/Not a decimal amount: twelve/);
  });

  it('refuses more than 60 digits or an exponent beyond ±60, instead of computing a huge power', () => {
    const sixty = '9'.repeat(60);
    expect(text(sixty)).toBe(sixty);
    expect(text(`${'1'.repeat(30)}.${'2'.repeat(30)}`)).toBe(`${'1'.repeat(30)}.${'2'.repeat(30)}`);
    expect(parseDecimal('9'.repeat(61))).toBeNull();
    expect(parseDecimal(`${'1'.repeat(31)}.${'2'.repeat(30)}`)).toBeNull();
    expect(text('1e60')).toBe(`1${'0'.repeat(60)}`);
    expect(text('1e-60')).toBe(`0.${'0'.repeat(59)}1`);
    for (const value of ['1e61', '1e-61', '1e999999999', '1e-999999999']) expect(parseDecimal(value), value).toBeNull();
  });

  it('orders amounts, whatever their spelling', () => {
    const d = (v: string) => parseDecimal(v)!;
    expect(compareDecimal(d('1.5'), d('2'))).toBe(-1);
    expect(compareDecimal(d('2'), d('1.50'))).toBe(1);
    expect(compareDecimal(d('2.0'), d('2'))).toBe(0);
    expect(compareDecimal(d('-3'), d('0.1'))).toBe(-1);
    expect(sameAmount('abc', 'abc')).toBe(false);
    expect(sameAmount('1', 'abc')).toBe(false);
  });

  it('gives no diamonds for nothing paid and refuses a pro-rata share of nothing expected', () => {
    const d = (v: string) => parseDecimal(v)!;
    expect(proRataFloor(100, d('-1'), d('10'))).toBe(0);
    expect(proRataFloor(100, d('10'), d('10'))).toBe(100);
    expect(proRataFloor(100, d('0.5'), d('1'))).toBe(50);
    expect(() => proRataFloor(100, d('1'), d('0'))).toThrow(/non-positive/);
    expect(() => proRataFloor(100, d('1'), d('-1'))).toThrow(/non-positive/);
  });
});
