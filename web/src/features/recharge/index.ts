/** Buying diamonds with USDT: packages, orders and their payment status. */
export { getOrders, type OrderSummary } from './api/get-orders.ts';
export { openRecharge } from './components/RechargeDialog.tsx';
export { paymentStatusView } from './state/payment.ts';
