import { describe, expect, it } from 'vitest';
import { translate } from '../../../shared/i18n/language.ts';
import { formatCountdown, paymentStatusView, secondsLeft } from './payment.ts';

const ALL_STATUSES = ['waiting', 'confirming', 'confirmed', 'sending', 'partially_paid', 'finished', 'failed', 'refunded', 'expired'];

describe('payment status wording', () => {
  it('has its own plain-words sentence for every provider status, in both languages', () => {
    const english = ALL_STATUSES.map((status) => translate('en', paymentStatusView(status).key));
    const chinese = ALL_STATUSES.map((status) => translate('zh-CN', paymentStatusView(status).key));
    expect(new Set(english).size).toBe(ALL_STATUSES.length);
    expect(new Set(chinese).size).toBe(ALL_STATUSES.length);
    expect(translate('en', paymentStatusView('finished').key)).toMatch(/credited/);
    expect(translate('zh-CN', paymentStatusView('partially_paid').key)).toMatch(/部分/);
  });

  it('stops polling only at a final status', () => {
    const finals = ALL_STATUSES.filter((status) => paymentStatusView(status).final);
    expect(finals).toEqual(['finished', 'failed', 'refunded', 'expired']);
  });

  it('marks success, trouble and failure visibly differently', () => {
    expect(paymentStatusView('finished').tone).toBe('success');
    expect(paymentStatusView('partially_paid').tone).toBe('warning');
    expect(paymentStatusView('expired').tone).toBe('error');
    expect(paymentStatusView('waiting').tone).toBe('pending');
  });

  it('keeps polling with a neutral sentence for a status it does not know', () => {
    expect(paymentStatusView('some_new_status')).toEqual({ key: 'payment.status.unknown', tone: 'pending', final: false });
  });
});

describe('payment countdown', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('counts whole seconds to the expiry and never below zero', () => {
    expect(secondsLeft('2026-01-01T00:20:00Z', now)).toBe(1200);
    expect(secondsLeft('2025-12-31T23:00:00Z', now)).toBe(0);
    expect(secondsLeft(undefined, now)).toBeNull();
    expect(secondsLeft('not a date', now)).toBeNull();
  });
  it('formats minutes and hours', () => {
    expect(formatCountdown(59)).toBe('0:59');
    expect(formatCountdown(247)).toBe('4:07');
    expect(formatCountdown(3909)).toBe('1:05:09');
  });
});
