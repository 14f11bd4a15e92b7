/**
 * The order status machine. Statuses only move forward; the provider's final statuses end an order,
 * our own local expiry does not (NOWPayments keeps accepting money for days after we gave up).
 */
export const PROVIDER_STATUSES = [
  'waiting',
  'confirming',
  'confirmed',
  'sending',
  'partially_paid',
  'finished',
  'failed',
  'refunded',
  'expired',
] as const;
export type ProviderStatus = (typeof PROVIDER_STATUSES)[number];

/** Before the provider answered the create call. */
export const CREATING = 'creating';

const PROGRESS: Record<string, number> = { [CREATING]: -1, waiting: 0, confirming: 1, confirmed: 2, sending: 3 };
const FINAL = new Set<string>(['partially_paid', 'finished', 'failed', 'refunded', 'expired']);

export const ACTIVE_STATUSES = [CREATING, 'waiting', 'confirming', 'confirmed', 'sending'];

export function isProviderStatus(status: string): status is ProviderStatus {
  return (PROVIDER_STATUSES as readonly string[]).includes(status);
}

export interface OrderState {
  status: string;
  localExpiredAt: number | null;
}

/** True once nothing the provider says can change the order any more. */
export function isFinal(order: OrderState): boolean {
  return FINAL.has(order.status) && order.localExpiredAt === null;
}

/** The status the order moves to on this report, or null when the report changes nothing. */
export function nextStatus(order: OrderState, reported: string): ProviderStatus | null {
  if (!isProviderStatus(reported) || isFinal(order)) return null;
  if (order.localExpiredAt !== null) return reported === 'waiting' ? null : reported;
  if (FINAL.has(reported)) return reported;
  return (PROGRESS[reported] ?? -1) > (PROGRESS[order.status] ?? Infinity) ? reported : null;
}

/** Whether an order in this status has been paid enough to credit its diamonds. */
export function isCreditable(status: string, creditOn: 'finished' | 'confirmed'): boolean {
  if (status === 'finished') return true;
  return creditOn === 'confirmed' && (status === 'confirmed' || status === 'sending');
}
