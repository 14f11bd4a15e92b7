import { useMutation } from '@tanstack/react-query';
import { requestData, type OkData, type RequestBody } from '../../../shared/api/client.ts';
import { useSession } from '../../session/index.ts';

export type SendGiftRequest = RequestBody<'/api/live/send_gift', 'post'>;
export type GiftSent = OkData<'/api/live/send_gift', 'post'>;

/**
 * `amount` is the total the viewer was shown. The Idempotency-Key belongs to this one attempt, so a
 * retry after a lost answer can never charge twice.
 */
export function sendGift(gift: SendGiftRequest, idempotencyKey: string): Promise<GiftSent> {
  return requestData('post', '/api/live/send_gift', { body: gift, headers: { 'idempotency-key': idempotencyKey } });
}

/** Sends a gift; the header shows the balance the answer reports. */
export function useSendGift() {
  const { setBalance } = useSession();
  return useMutation({
    mutationFn: ({ gift, key }: { gift: SendGiftRequest; key: string }) => sendGift(gift, key),
    onSuccess: (result) => setBalance(result.coin_num),
  });
}
