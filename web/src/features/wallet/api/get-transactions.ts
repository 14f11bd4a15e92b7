import { requestData, type OkData } from '../../../shared/api/client.ts';

export type TransactionsPage = OkData<'/api/wallet/transactions', 'get'>;
export type WalletTransaction = TransactionsPage['transactions'][number];

/** The newest transactions first; `cursor` (a page's `next_cursor`) continues with older ones. */
export function getTransactions(cursor?: string): Promise<TransactionsPage> {
  return requestData('get', '/api/wallet/transactions', { query: { cursor } });
}
