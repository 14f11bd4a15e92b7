/**
 * Recharge order progress in plain words: which message to show for a provider status, whether
 * polling can stop, and how long until the payment window closes.
 */
import type { MessageKey } from '../../../shared/i18n/dictionaries.ts';

export type StatusTone = 'pending' | 'success' | 'warning' | 'error';

export interface StatusView {
  /** i18n key of the plain-words explanation. */
  key: MessageKey;
  tone: StatusTone;
  /** No further change expected: stop polling. */
  final: boolean;
}

const VIEWS: Record<string, StatusView> = {
  waiting: { key: 'payment.status.waiting', tone: 'pending', final: false },
  confirming: { key: 'payment.status.confirming', tone: 'pending', final: false },
  confirmed: { key: 'payment.status.confirmed', tone: 'pending', final: false },
  sending: { key: 'payment.status.sending', tone: 'pending', final: false },
  partially_paid: { key: 'payment.status.partially_paid', tone: 'warning', final: false },
  finished: { key: 'payment.status.finished', tone: 'success', final: true },
  failed: { key: 'payment.status.failed', tone: 'error', final: true },
  refunded: { key: 'payment.status.refunded', tone: 'error', final: true },
  expired: { key: 'payment.status.expired', tone: 'error', final: true },
};

export function paymentStatusView(status: string): StatusView {
  return VIEWS[status] ?? { key: 'payment.status.unknown', tone: 'pending', final: false };
}

/** Whole seconds left until `expiresAt` (ISO string), never negative; null when unknown. */
export function secondsLeft(expiresAt: string | undefined, now: number): number | null {
  if (!expiresAt) return null;
  const end = Date.parse(expiresAt);
  if (Number.isNaN(end)) return null;
  return Math.max(0, Math.floor((end - now) / 1000));
}

/** `1:05:09`, `4:07` or `0:59`. */
export function formatCountdown(totalSeconds: number): string {
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${minutes}:${two(seconds)}`;
}
