import { requestData, type OkData } from '../../../shared/api/client.ts';

/** A recharge order as the list shows it (no QR code: the address is shown instead). */
export type OrderSummary = OkData<'/api/payment/orders', 'get'>['orders'][number];

export async function getOrders(): Promise<OrderSummary[]> {
  return (await requestData('get', '/api/payment/orders')).orders;
}
