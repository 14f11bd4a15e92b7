import { useQuery } from '@tanstack/react-query';
import { requestFields, type Ok } from '../../../shared/api/client.ts';
import { useSession } from '../../session/index.ts';
import { paymentStatusView } from '../state/payment.ts';

export type PaymentStatusResult = Omit<Ok<'/api/payment/check_payment_status/{order_id}', 'get'>, 'code'>;

export const PAYMENT_POLL_MS = 5_000;

export function paymentStatusKey(orderId: string) {
  return ['payment-status', orderId] as const;
}

export function getPaymentStatus(orderId: string): Promise<PaymentStatusResult> {
  return requestFields('get', '/api/payment/check_payment_status/{order_id}', { params: { order_id: orderId } });
}

/**
 * An order's status, polled until it is final, also while the tab is hidden (the viewer may be in
 * their wallet app, paying); every answer carries the balance, which the header then shows.
 */
export function usePaymentStatus(orderId: string) {
  const { setBalance } = useSession();
  return useQuery({
    queryKey: paymentStatusKey(orderId),
    queryFn: async () => {
      const status = await getPaymentStatus(orderId);
      setBalance(status.coin_num);
      return status;
    },
    refetchInterval: (query) => (query.state.data && paymentStatusView(query.state.data.status).final ? false : PAYMENT_POLL_MS),
    refetchIntervalInBackground: true,
  });
}
