/** Spending diamonds (VIP rooms, subscriptions) and the history of every balance change. */
export { getTransactions, type TransactionsPage, type WalletTransaction } from './api/get-transactions.ts';
export { payVip } from './api/pay-vip.ts';
export { subscribeToAnchor } from './api/subscribe.ts';
