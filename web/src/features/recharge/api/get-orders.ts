import { useQuery } from '@tanstack/react-query';
import { requestData, type OkData } from '../../../shared/api/client.ts';
import { useSession } from '../../session/index.ts';
import { paymentStatusView } from '../state/payment.ts';

/** A recharge order as the list shows it (no QR code: the address is shown instead). */
export type OrderSummary = OkData<'/api/payment/orders', 'get'>['orders'][number];

export async function getOrders(): Promise<OrderSummary[]> {
  return (await requestData('get', '/api/payment/orders')).orders;
}

/** The logged-in viewer's orders that may still be paid (nothing is asked for guests). */
export function useOpenOrders() {
  const { user, loggedIn } = useSession();
  return useQuery({
    queryKey: ['orders', user?.uid],
    queryFn: getOrders,
    select: (orders) => orders.filter((order) => !paymentStatusView(order.status).final),
    enabled: loggedIn,
  });
}
