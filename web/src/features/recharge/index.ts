/** Buying diamonds with USDT: packages, orders and their payment status. */
export { OpenOrders } from './components/OpenOrders.tsx';
export { openRecharge } from './components/RechargeDialog.tsx';
