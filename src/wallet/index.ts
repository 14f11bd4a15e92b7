/**
 * The wallet's public face: the only module other features and the composition import. The
 * ledger stays private: other features read balances and credit diamonds through diamonds.ts.
 */
export { WalletRoomAccessPolicy } from './access-policy.js';
export { announceBalanceChanged, CachedBalances } from './balance-cache.js';
export { adjustDiamonds, adjustDiamondsWithin, creditRecharge, walletBalance, type Adjustment, type RechargeCredit } from './diamonds.js';
export { walletFeature } from './plugin.js';
export type { WalletService } from './service.js';
export { WalletTransaction } from './schemas.js';
export { verifyLedger, type LedgerProblem } from './ledger.js';
export { dailyMoneySummary } from './money-summary.js';
