/** Spending diamonds (VIP rooms, subscriptions), the balance and the history of every change to it. */
export { usePayVip } from './api/pay-vip.ts';
export { useSubscribeToAnchor } from './api/subscribe.ts';
export { BalanceCard } from './components/BalanceCard.tsx';
export { Subscriptions } from './components/Subscriptions.tsx';
export { TransactionHistory } from './components/TransactionHistory.tsx';
