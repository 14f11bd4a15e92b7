import { useMutation, useQueryClient } from '@tanstack/react-query';
import { request, type RequestBody } from '../../../shared/api/client.ts';
import { paymentStatusKey } from './get-payment-status.ts';

export type SimulatedStatus = RequestBody<'/api/payment/simulate/{order_id}', 'post'>['status'];

/** Plays the provider's callback for an order; the route only exists with the simulated provider. */
export async function simulatePayment(orderId: string, status: SimulatedStatus): Promise<void> {
  await request('post', '/api/payment/simulate/{order_id}', { params: { order_id: orderId }, body: { status } });
}

/** Simulates a provider status, then reads the order's status again. */
export function useSimulatePayment(orderId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (status: SimulatedStatus) => simulatePayment(orderId, status),
    onSuccess: () => queryClient.refetchQueries({ queryKey: paymentStatusKey(orderId) }),
  });
}
