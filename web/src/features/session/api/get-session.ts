/**
 * Who is watching: the `is_logged_in` answer (user name and diamond balance, or 游客). Read once,
 * then kept current by what changes it: logging in or out, and every answer that reports a new
 * balance.
 */
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { requestData, type OkData } from '../../../shared/api/client.ts';

/** Who is watching: a user with their diamond balance, or a guest (`status:false`, 游客). */
export type UserInfo = OkData<'/api/users/is_logged_in', 'get'>['user_info'];

export const SESSION_KEY = ['session'] as const;

export async function getSession(): Promise<UserInfo> {
  return (await requestData('get', '/api/users/is_logged_in')).user_info;
}

export interface Session {
  /** null until the first answer arrives. */
  user: UserInfo | null;
  loggedIn: boolean;
  /** Asks the server again; a failure keeps the last known answer. */
  refresh(): Promise<void>;
  /** The balance an answer just reported (a payment, a subscription, a credited recharge). */
  setBalance(coins: number): void;
}

/** Asks who is watching before the app renders (the page preloads the request). */
export function prefetchSession(queryClient: QueryClient): Promise<void> {
  return queryClient.prefetchQuery({ queryKey: SESSION_KEY, queryFn: getSession, staleTime: Infinity });
}

export function useSession(): Session {
  const queryClient = useQueryClient();
  // Only the events above change the session, so it is never refetched just for being read.
  const { data } = useQuery({ queryKey: SESSION_KEY, queryFn: getSession, staleTime: Infinity });
  const refresh = useCallback(() => queryClient.refetchQueries({ queryKey: SESSION_KEY }), [queryClient]);
  const setBalance = useCallback(
    (coins: number) => queryClient.setQueryData<UserInfo>(SESSION_KEY, (current) => current && { ...current, coin_num: coins }),
    [queryClient],
  );
  const user = data ?? null;
  return { user, loggedIn: user?.status === true, refresh, setBalance };
}
