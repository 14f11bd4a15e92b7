import { requestData } from '../../../shared/api/client.ts';

/** `amount` is the price the viewer was shown; a different current price is refused (price_changed). */
export function subscribeToAnchor(anchorId: string, amount: number) {
  return requestData('post', '/api/live/subscribe', { body: { anchor_id: anchorId, amount } });
}
