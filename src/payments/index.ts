/** The payments feature's public face: the only module other features and the composition import. */
export { paymentsFeature } from './plugin.js';
export type { PaymentProvider } from './provider.js';
export type { PaymentOrder, UnmatchedPayment } from './repository.js';
export type { PaymentsService } from './service.js';
