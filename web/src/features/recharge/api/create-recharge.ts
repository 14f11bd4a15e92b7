import { useMutation } from '@tanstack/react-query';
import { requestFields, type Ok } from '../../../shared/api/client.ts';

/** A new order: the exact USDT amount, the address and its QR code (base64 PNG). */
export type RechargeOrder = Omit<Ok<'/api/payment/process_recharge', 'post'>, 'code'>;

export function createRecharge(userId: string, cryptoAmount: number): Promise<RechargeOrder> {
  return requestFields('post', '/api/payment/process_recharge', { body: { user_id: userId, crypto_amount: cryptoAmount } });
}

export function useCreateRecharge() {
  return useMutation({ mutationFn: ({ userId, cryptoAmount }: { userId: string; cryptoAmount: number }) => createRecharge(userId, cryptoAmount) });
}
