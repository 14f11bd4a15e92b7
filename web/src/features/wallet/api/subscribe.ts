import { useMutation } from '@tanstack/react-query';
import { requestData, type OkData } from '../../../shared/api/client.ts';
import { useSession } from '../../session/index.ts';

export type SubscribeResult = OkData<'/api/live/subscribe', 'post'>;

/**
 * `amount` is the price the viewer was shown; a different current price is refused (price_changed).
 * `roomId`: the room it was bought from, which credits that room (its leaderboard, its anchor's dashboard).
 */
export function subscribeToAnchor(anchorId: string, amount: number, roomId?: string): Promise<SubscribeResult> {
  return requestData('post', '/api/live/subscribe', { body: { anchor_id: anchorId, amount, ...(roomId ? { room_id: roomId } : {}) } });
}

/** Subscribes to an anchor (all their paid rooms); the header shows the balance the answer reports. */
export function useSubscribeToAnchor() {
  const { setBalance } = useSession();
  return useMutation({
    mutationFn: ({ anchorId, amount, roomId }: { anchorId: string; amount: number; roomId?: string }) => subscribeToAnchor(anchorId, amount, roomId),
    onSuccess: (result) => setBalance(result.coin_num),
  });
}
