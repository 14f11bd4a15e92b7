import { requestFields, type Ok } from '../../../shared/api/client.ts';

export type PaymentStatusResult = Omit<Ok<'/api/payment/check_payment_status/{order_id}', 'get'>, 'code'>;

export function getPaymentStatus(orderId: string): Promise<PaymentStatusResult> {
  return requestFields('get', '/api/payment/check_payment_status/{order_id}', { params: { order_id: orderId } });
}
