import { requestData, type RequestBody } from '../../../shared/api/client.ts';

/** Unlocks a VIP or private room for good; `amount` is the price the viewer was shown. */
export function payVip(payment: RequestBody<'/api/live/pay_vip_coin', 'post'>) {
  return requestData('post', '/api/live/pay_vip_coin', { body: payment });
}
