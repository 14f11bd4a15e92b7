/** Orders (exact decimal strings, epoch ms) to the wire shapes the contract shows (numbers, ISO dates). */
import type { PaymentOrder } from './repository.js';
import type { PaymentOrderView, PaymentStatus, RechargeStarted } from './schemas.js';

const amountOrNull = (value: string | null) => (value === null ? null : Number(value));
const iso = (ms: number) => new Date(ms).toISOString();

export function mapOrder(order: PaymentOrder): PaymentOrderView {
  return {
    order_id: order.id,
    status: order.status,
    crypto_amount: Number(order.priceAmount),
    coin_num: order.coinNum,
    coin_num_credited: order.coinsCredited,
    pay_currency: order.payCurrency,
    pay_amount: amountOrNull(order.payAmount),
    pay_address: order.payAddress,
    payment_id: order.paymentId,
    actually_paid: amountOrNull(order.actuallyPaid),
    created_at: iso(order.createdAt),
    expires_at: iso(order.expiresAt),
  };
}

/** A freshly created order, which has its payment (address and amount) by now. */
export function mapRechargeStarted(order: PaymentOrder, qrCode: string): RechargeStarted {
  return {
    code: 0,
    message: 'Recharge initiated, waiting for confirmation',
    order_id: order.id,
    payment_id: order.paymentId!,
    pay_address: order.payAddress!,
    pay_amount: Number(order.payAmount),
    qr_code: qrCode,
    pay_currency: order.payCurrency,
    coin_num: order.coinNum,
    expires_at: iso(order.expiresAt),
  };
}

export function mapPaymentStatus(order: PaymentOrder, balance: number): PaymentStatus {
  return {
    code: 0,
    status: order.status,
    message: 'Status retrieved',
    order_id: order.id,
    coin_num_credited: order.coinsCredited,
    coin_num: balance,
    actually_paid: amountOrNull(order.actuallyPaid),
    pay_amount: amountOrNull(order.payAmount),
    pay_currency: order.payCurrency,
    expires_at: iso(order.expiresAt),
  };
}
