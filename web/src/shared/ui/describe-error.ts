/** Turns a server refusal into words the viewer understands, in their language. */
import { ApiError } from '../api/client.ts';
import type { MessageKey } from '../i18n/dictionaries.ts';

const KNOWN: Record<string, MessageKey> = {
  network_error: 'error.network',
  rate_limited: 'error.rate_limited',
  muted: 'error.muted',
  message_too_long: 'error.message_too_long',
  empty_message: 'error.empty_message',
  invalid_message: 'error.invalid_message',
  vip_required: 'error.vip_required',
  insufficient_balance: 'error.insufficient_balance',
  price_changed: 'error.price_changed',
  invalid_credentials: 'error.invalid_credentials',
  too_many_attempts: 'error.too_many_attempts',
  username_taken: 'error.username_taken',
  invalid_username: 'error.invalid_username',
  weak_password: 'error.weak_password',
  wrong_password: 'error.wrong_password',
  anchor_account: 'error.anchor_account',
  room_not_found: 'error.room_not_found',
  subscriptions_disabled: 'error.subscriptions_disabled',
  invalid_package: 'error.invalid_package',
  too_many_open_orders: 'error.too_many_open_orders',
  payment_provider_unavailable: 'error.payment_provider_unavailable',
  cross_site_request: 'error.cross_site_request',
};

export type ErrorWords = { key: MessageKey; params?: Record<string, string | number> } | { text: string };

/**
 * A known machine code gets a translated sentence; 401 means "log in first"; anything else shows
 * the server's own message, which is always written for people.
 */
export function describeError(err: unknown): ErrorWords {
  if (!(err instanceof ApiError)) return { key: 'error.unexpected' };
  const known = KNOWN[err.error];
  if (known) {
    const retryAfter = err.details.retry_after;
    return typeof retryAfter === 'number' ? { key: known, params: { seconds: retryAfter } } : { key: known };
  }
  if (err.status === 401) return { key: 'error.login_required' };
  if (err.status === 429) return { key: 'error.rate_limited' };
  if (err.status >= 500) return { key: 'error.server' };
  return err.message ? { text: err.message } : { key: 'error.unexpected' };
}
