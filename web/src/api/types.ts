/**
 * Names for the server's answers, all taken from the types generated from its OpenAPI document
 * (schema.gen.ts): none is written by hand, so none can drift from what the server sends.
 */
import type { Ok, OkData } from './client.ts';

export type UserInfo = OkData<'/api/users/is_logged_in', 'get'>['user_info'];
export type LiveSummary = OkData<'/api/live/get_all_lives', 'get'>['lives_info'][number];
/** A followed room: listed even while stopped, so it says whether it is live. */
export type FollowedLive = OkData<'/api/live/get_followed_lives', 'get'>['lives_info'][number];
export type LiveInfo = OkData<'/api/live/get_live_info', 'get'>;
export type LiveChatHistory = OkData<'/api/live/get_live_chat_history', 'get'>;
/** One anchor (`is_user:true`) or AI message of the transcript. */
export type LiveMessage = LiveChatHistory['chat_info'][number];
export type UserChatHistory = OkData<'/api/live/get_user_chat_history', 'get'>;
/** A viewer's chat message. */
export type UserMessage = UserChatHistory['chat_info'][number];
export type RechargePackage = OkData<'/api/payment/packages', 'get'>['packages'][number];
export type RechargeOrder = Omit<Ok<'/api/payment/process_recharge', 'post'>, 'code'>;
export type PaymentStatusResult = Omit<Ok<'/api/payment/check_payment_status/{order_id}', 'get'>, 'code'>;
/** A recharge order as `/api/payment/orders` lists it (no QR code: the address is shown instead). */
export type OrderSummary = OkData<'/api/payment/orders', 'get'>['orders'][number];
export type WalletTransaction = OkData<'/api/wallet/transactions', 'get'>['transactions'][number];
export type TransactionsPage = OkData<'/api/wallet/transactions', 'get'>;
