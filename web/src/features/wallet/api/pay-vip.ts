import { useMutation, type UseMutationOptions } from '@tanstack/react-query';
import { requestData, type OkData, type RequestBody } from '../../../shared/api/client.ts';
import { useSession } from '../../session/index.ts';

export type PayVipRequest = RequestBody<'/api/live/pay_vip_coin', 'post'>;
export type PayVipResult = OkData<'/api/live/pay_vip_coin', 'post'>;

/** Unlocks a VIP or private room for good; `amount` is the price the viewer was shown. */
export function payVip(payment: PayVipRequest): Promise<PayVipResult> {
  return requestData('post', '/api/live/pay_vip_coin', { body: payment });
}

/** Pays for a room; the header shows the balance the answer reports. `onSettled` runs before the payment stops being pending. */
export function usePayVip(options: Pick<UseMutationOptions<PayVipResult, Error, PayVipRequest>, 'onSettled'> = {}) {
  const { setBalance } = useSession();
  return useMutation({ ...options, mutationFn: payVip, onSuccess: (result) => setBalance(result.coin_num) });
}
