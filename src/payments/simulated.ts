/**
 * Offline stand-in for NOWPayments so `npm start` works without an account: realistic TRON
 * addresses and numeric payment ids, and IPN bodies in NOWPayments' exact shape that the simulate
 * endpoint signs and feeds through the real IPN handler.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import {
  parsePaymentReport,
  type CreatedPayment,
  type CreatePaymentRequest,
  type PaymentProvider,
  type PaymentReport,
} from './provider.js';

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58(bytes: Buffer): string {
  let value = BigInt(`0x${bytes.toString('hex')}`);
  let text = '';
  while (value > 0n) {
    text = BASE58_ALPHABET[Number(value % 58n)] + text;
    value /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    text = `1${text}`;
  }
  return text;
}

/** A valid-looking TRON address: base58check of 0x41 + 20 random bytes (starts with T, 34 chars). */
export function randomTronAddress(): string {
  const payload = Buffer.concat([Buffer.from([0x41]), randomBytes(20)]);
  const checksum = createHash('sha256').update(createHash('sha256').update(payload).digest()).digest().subarray(0, 4);
  return base58(Buffer.concat([payload, checksum]));
}

export interface SimulatedPaymentState {
  orderId: string;
  paymentId: string;
  payAddress: string;
  priceAmount: string;
  priceCurrency: string;
  payAmount: string;
  payCurrency: string;
  description: string;
  createdAt: string;
}

export class SimulatedProvider implements PaymentProvider {
  readonly name = 'simulated' as const;
  private readonly lastReported = new Map<string, Record<string, unknown>>();

  async createPayment(request: CreatePaymentRequest): Promise<CreatedPayment> {
    return {
      paymentId: String(randomInt(4_000_000_000, 9_999_999_999)),
      status: 'waiting',
      payAddress: randomTronAddress(),
      // A stablecoin priced in USD: the amount to send equals the price.
      payAmount: request.priceAmount,
      payCurrency: request.payCurrency,
    };
  }

  /** What the last simulated callback said; null for payments never simulated (still waiting). */
  async getPayment(paymentId: string): Promise<PaymentReport | null> {
    const body = this.lastReported.get(paymentId);
    return body ? parsePaymentReport(body) : null;
  }

  /** An IPN body as NOWPayments sends it (numeric payment_id, nested fee, extra fields). */
  ipnBody(payment: SimulatedPaymentState, status: string, actuallyPaid: string): Record<string, unknown> {
    const now = new Date().toISOString();
    const body = {
      payment_id: Number(payment.paymentId),
      parent_payment_id: null,
      invoice_id: null,
      payment_status: status,
      pay_address: payment.payAddress,
      payin_extra_id: null,
      price_amount: Number(payment.priceAmount),
      price_currency: payment.priceCurrency,
      pay_amount: Number(payment.payAmount),
      actually_paid: Number(actuallyPaid),
      actually_paid_at_fiat: Number(actuallyPaid),
      pay_currency: payment.payCurrency,
      order_id: payment.orderId,
      order_description: payment.description,
      purchase_id: payment.paymentId,
      outcome_amount: Number(actuallyPaid),
      outcome_currency: payment.payCurrency,
      payment_extra_ids: null,
      fee: { currency: payment.payCurrency, depositFee: 0, withdrawalFee: 0, serviceFee: 0 },
      created_at: payment.createdAt,
      updated_at: now,
    };
    this.lastReported.set(payment.paymentId, body);
    return body;
  }
}
