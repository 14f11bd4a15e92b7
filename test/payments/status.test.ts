/**
 * The order status rules, as the provider's reports move an order: forward only, final statuses
 * end it, and only a paid status credits.
 */
import { describe, expect, it } from 'vitest';
import { ACTIVE_STATUSES, CREATING, isCreditable, isFinal, nextStatus, PROVIDER_STATUSES } from '../../src/payments/status.js';

const PROGRESS = [CREATING, 'waiting', 'confirming', 'confirmed', 'sending'];
const FINAL = ['partially_paid', 'finished', 'failed', 'refunded', 'expired'];
const open = (status: string) => ({ status, localExpiredAt: null });

describe('order status', () => {
  it('moves an open order forward through waiting, confirming, confirmed and sending, never back', () => {
    for (const [from, current] of PROGRESS.entries()) {
      for (const [to, reported] of PROGRESS.entries()) {
        if (reported === CREATING) continue;
        const expected = to > from ? reported : null;
        expect(nextStatus(open(current), reported), `${current} -> ${reported}`).toBe(expected);
      }
    }
  });

  it('ends an open order on any final report', () => {
    for (const current of PROGRESS) {
      for (const reported of FINAL) expect(nextStatus(open(current), reported), `${current} -> ${reported}`).toBe(reported);
    }
  });

  it('changes nothing after a final status, whatever comes later (a finished after failed or refunded credits nothing)', () => {
    for (const current of FINAL) {
      expect(isFinal(open(current))).toBe(true);
      for (const reported of PROVIDER_STATUSES) expect(nextStatus(open(current), reported), `${current} -> ${reported}`).toBeNull();
    }
    for (const current of PROGRESS) expect(isFinal(open(current)), current).toBe(false);
  });

  it("stores an order the provider has not answered yet as 'creating', the name existing databases and the operator console hold", () => {
    expect(CREATING).toBe('creating');
    expect(isFinal(open('creating'))).toBe(false);
    expect(nextStatus(open('creating'), 'waiting')).toBe('waiting');
  });

  it('ignores a status the provider does not have', () => {
    expect(nextStatus(open('waiting'), 'paid')).toBeNull();
    expect(nextStatus(open('waiting'), 'creating')).toBeNull();
  });

  it('revives a locally expired order on any news of money, but not on "waiting"', () => {
    const expiredHere = { status: 'expired', localExpiredAt: 1 };
    expect(isFinal(expiredHere)).toBe(false);
    expect(nextStatus(expiredHere, 'waiting')).toBeNull();
    for (const reported of ['confirming', 'confirmed', 'sending', 'partially_paid', 'finished', 'failed', 'refunded', 'expired']) {
      expect(nextStatus(expiredHere, reported), reported).toBe(reported);
    }
    expect(nextStatus(expiredHere, 'paid')).toBeNull();
  });

  it('credits at finished; with CREDIT_ON=confirmed also at confirmed and sending; never otherwise', () => {
    for (const status of [...PROGRESS, ...FINAL]) {
      expect(isCreditable(status, 'finished'), `finished mode, ${status}`).toBe(status === 'finished');
      expect(isCreditable(status, 'confirmed'), `confirmed mode, ${status}`).toBe(['confirmed', 'sending', 'finished'].includes(status));
    }
  });

  it('keeps an order open (holding its slot, polled, showing its QR code) exactly until a final status ends it', () => {
    for (const status of [...PROGRESS, ...FINAL]) expect(ACTIVE_STATUSES.includes(status), status).toBe(!isFinal(open(status)));
  });

});
