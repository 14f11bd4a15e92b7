import { useInfiniteQuery } from '@tanstack/react-query';
import { requestData, type OkData } from '../../../shared/api/client.ts';
import { useSession } from '../../session/index.ts';

export type TransactionsPage = OkData<'/api/wallet/transactions', 'get'>;
export type WalletTransaction = TransactionsPage['transactions'][number];

/** The newest transactions first; `cursor` (a page's `next_cursor`) continues with older ones. */
export function getTransactions(cursor?: string): Promise<TransactionsPage> {
  return requestData('get', '/api/wallet/transactions', { query: { cursor } });
}

/** The logged-in viewer's transactions, a page at a time (nothing is asked for guests). */
export function useTransactions() {
  const { user, loggedIn } = useSession();
  return useInfiniteQuery({
    queryKey: ['transactions', user?.uid],
    queryFn: ({ pageParam }) => getTransactions(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    enabled: loggedIn,
  });
}
