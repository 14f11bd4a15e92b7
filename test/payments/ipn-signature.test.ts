/**
 * The IPN signature against fixed test vectors. The expected signatures were computed outside this
 * code, from the canonical text written out by hand:
 *   printf '%s' '<canonical text>' | openssl dgst -sha512 -hmac 'vector-secret-7b1e'
 * so a change to both the signing and the checking code cannot pass unnoticed.
 */
import { describe, expect, it } from 'vitest';
import { canonicalIpnJson, isValidIpnSignature, signIpnBody } from '../../src/payments/ipn-signature.js';

const SECRET = 'vector-secret-7b1e';

/** A NOWPayments callback with its keys in the order they arrive, not sorted. */
const FLAT_BODY = {
  payment_status: 'finished',
  payment_id: 5524759814,
  parent_payment_id: null,
  order_id: '5d7e1c1a-0000-4000-8000-000000000001',
  price_amount: 50,
  price_currency: 'usd',
  pay_amount: 49.791,
  pay_currency: 'usdttrc20',
  actually_paid: 50,
  fee: { withdrawalFee: 0, serviceFee: 0.05, depositFee: 0.1, currency: 'usdttrc20' },
};
const FLAT_CANONICAL =
  '{"actually_paid":50,"fee":{"currency":"usdttrc20","depositFee":0.1,"serviceFee":0.05,"withdrawalFee":0},' +
  '"order_id":"5d7e1c1a-0000-4000-8000-000000000001","parent_payment_id":null,"pay_amount":49.791,' +
  '"pay_currency":"usdttrc20","payment_id":5524759814,"payment_status":"finished","price_amount":50,"price_currency":"usd"}';
const FLAT_SIGNATURE =
  'ae93d342686be199796259eecbb866a3d4f07496c18d70c8d6b8f2db8727823ba289a29bda2a1ca8784940df1121d5e3de9958aa10962dd794be09517309bf07';

/** A callback with an array (payment_extra_ids), whose objects' keys are not sorted either. */
const ARRAY_BODY = {
  parent_payment_id: null,
  payment_status: 'finished',
  payment_extra_ids: [{ id: 2, currency: 'usdttrc20' }],
  payment_id: 5524759815,
  order_id: '5d7e1c1a-0000-4000-8000-000000000002',
};
/** Signed over the canonical text, arrays kept as arrays. */
const ARRAY_SIGNATURE =
  '58cfd298afcf2689099332d3ebbb96191a6f7feb22f2c43da18c138ed4757cf4972b52ed647162a2b768bc4ffef79738e8f6efac1aab3682184e25f48dfe6f05';
/**
 * Signed the way NOWPayments' published Node.js example does it, which turns the array into an
 * index-keyed object: ...,"payment_extra_ids":{"0":{"currency":"usdttrc20","id":2}},...
 */
const ARRAY_SIGNATURE_REFERENCE_WAY =
  'a1ca7d4adcfc20365202eb5f72e6c1811ff8212d8aae87f61b0e62d711a5bce3020a9792afeeffcc9978cfa3af8b5f7c3c680b4f7349868f1c165e40f76b247c';

describe('IPN signature (fixed test vectors)', () => {
  it('signs the JSON of the body with its keys sorted at every level, as NOWPayments does', () => {
    expect(canonicalIpnJson(FLAT_BODY)).toBe(FLAT_CANONICAL);
    expect(signIpnBody(FLAT_BODY, SECRET)).toBe(FLAT_SIGNATURE);
    expect(signIpnBody(ARRAY_BODY, SECRET)).toBe(ARRAY_SIGNATURE);
  });

  it('accepts the signature NOWPayments computes, in either hex case', () => {
    expect(isValidIpnSignature(FLAT_BODY, FLAT_SIGNATURE, SECRET)).toBe(true);
    expect(isValidIpnSignature(FLAT_BODY, FLAT_SIGNATURE.toUpperCase(), SECRET)).toBe(true);
  });

  it('accepts a body with arrays signed either way: arrays kept, or turned into objects like the reference example', () => {
    expect(isValidIpnSignature(ARRAY_BODY, ARRAY_SIGNATURE, SECRET)).toBe(true);
    expect(isValidIpnSignature(ARRAY_BODY, ARRAY_SIGNATURE_REFERENCE_WAY, SECRET)).toBe(true);
    // Either signature still covers the whole body.
    const tampered = { ...ARRAY_BODY, payment_extra_ids: [{ id: 3, currency: 'usdttrc20' }] };
    expect(isValidIpnSignature(tampered, ARRAY_SIGNATURE, SECRET)).toBe(false);
    expect(isValidIpnSignature(tampered, ARRAY_SIGNATURE_REFERENCE_WAY, SECRET)).toBe(false);
  });

  it('refuses a signature made with another secret, or over another body', () => {
    expect(isValidIpnSignature(FLAT_BODY, signIpnBody(FLAT_BODY, 'another-secret'), SECRET)).toBe(false);
    expect(isValidIpnSignature({ ...FLAT_BODY, price_amount: 5 }, FLAT_SIGNATURE, SECRET)).toBe(false);
    expect(isValidIpnSignature({ ...FLAT_BODY, fee: { ...FLAT_BODY.fee, depositFee: 0 } }, FLAT_SIGNATURE, SECRET)).toBe(false);
  });

  it('accepts surrounding whitespace but nothing else besides the 128 hex digits', () => {
    expect(isValidIpnSignature(FLAT_BODY, ` ${FLAT_SIGNATURE}\n`, SECRET)).toBe(true);
    for (const signature of [
      undefined,
      '',
      FLAT_SIGNATURE.slice(0, 127),
      `${FLAT_SIGNATURE}0`,
      `${FLAT_SIGNATURE}zz`,
      `zz${FLAT_SIGNATURE}`,
      `${FLAT_SIGNATURE} ${FLAT_SIGNATURE}`,
      `${FLAT_SIGNATURE.slice(0, 127)}g`,
    ]) {
      expect(isValidIpnSignature(FLAT_BODY, signature, SECRET), String(signature)).toBe(false);
    }
  });
});
