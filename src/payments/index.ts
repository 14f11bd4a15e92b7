/** The payments feature's public face: the only module other features and the composition import. */
export { createPaymentsService } from './factory.js';
export { ReconciliationJob } from './reconciliation.js';
export { paymentsRoutes } from './routes.js';
export { sharedSchemas as paymentsSharedSchemas } from './schemas.js';
export type { PaymentsService } from './service.js';
