import { useMutation } from '@tanstack/react-query';
import { requestData, type OkData } from '../../../shared/api/client.ts';
import { useSession } from '../../session/index.ts';

export type SubscribeResult = OkData<'/api/live/subscribe', 'post'>;

/** `amount` is the price the viewer was shown; a different current price is refused (price_changed). */
export function subscribeToAnchor(anchorId: string, amount: number): Promise<SubscribeResult> {
  return requestData('post', '/api/live/subscribe', { body: { anchor_id: anchorId, amount } });
}

/** Subscribes to an anchor (all their paid rooms); the header shows the balance the answer reports. */
export function useSubscribeToAnchor() {
  const { setBalance } = useSession();
  return useMutation({
    mutationFn: ({ anchorId, amount }: { anchorId: string; amount: number }) => subscribeToAnchor(anchorId, amount),
    onSuccess: (result) => setBalance(result.coin_num),
  });
}
