/**
 * The payment provider seen by the service: NOWPayments in production, a simulated one offline.
 * Ids are strings and amounts decimal strings here, whatever types the provider's JSON used.
 */
import { formatDecimal, parseDecimal } from '../infra/decimal.js';

export interface CreatePaymentRequest {
  orderId: string;
  priceAmount: string;
  priceCurrency: string;
  payCurrency: string;
  description: string;
  ipnCallbackUrl: string;
}

export interface CreatedPayment {
  paymentId: string;
  status: string;
  payAddress: string;
  payAmount: string;
  payCurrency: string;
}

/** A payment's state as reported by an IPN callback or a status poll (same shape at NOWPayments). */
export interface PaymentReport {
  paymentId: string;
  orderId: string | null;
  status: string;
  priceAmount: string | null;
  priceCurrency: string | null;
  payAmount: string | null;
  payCurrency: string | null;
  actuallyPaid: string | null;
  /** Set on a re-deposit: money sent again to an address that belonged to an earlier payment. */
  parentPaymentId: string | null;
}

export interface PaymentProvider {
  readonly name: 'nowpayments' | 'simulated';
  /** Throws ProviderUnavailableError on timeouts, 5xx and answers that do not make sense. */
  createPayment(request: CreatePaymentRequest): Promise<CreatedPayment>;
  /** The provider's current view of a payment; null when it has nothing to say. */
  getPayment(paymentId: string): Promise<PaymentReport | null>;
}

export class ProviderUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProviderUnavailableError';
  }
}

/** NOWPayments sends ids as strings in some answers and numbers in others. */
export function normalisePaymentId(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && /^[0-9A-Za-z_-]{1,64}$/.test(value.trim())) return value.trim();
  return null;
}

function optionalDecimal(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const parsed = parseDecimal(value);
  return parsed ? formatDecimal(parsed) : null;
}

function optionalText(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Reads an IPN body or a `GET /v1/payment/:id` answer; null when it lacks an id or a status. */
export function parsePaymentReport(body: unknown): PaymentReport | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const fields = body as Record<string, unknown>;
  const paymentId = normalisePaymentId(fields.payment_id);
  const status = optionalText(fields.payment_status);
  if (!paymentId || !status) return null;
  const orderId = fields.order_id;
  return {
    paymentId,
    orderId: typeof orderId === 'string' && orderId !== '' ? orderId : typeof orderId === 'number' ? String(orderId) : null,
    status: status.toLowerCase(),
    priceAmount: optionalDecimal(fields.price_amount),
    priceCurrency: optionalText(fields.price_currency)?.toLowerCase() ?? null,
    payAmount: optionalDecimal(fields.pay_amount),
    payCurrency: optionalText(fields.pay_currency)?.toLowerCase() ?? null,
    actuallyPaid: optionalDecimal(fields.actually_paid),
    parentPaymentId: normalisePaymentId(fields.parent_payment_id),
  };
}
