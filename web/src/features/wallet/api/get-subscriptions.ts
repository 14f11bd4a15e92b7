import { useQuery } from '@tanstack/react-query';
import { requestData, type OkData } from '../../../shared/api/client.ts';
import { useSession } from '../../session/index.ts';

/** A running subscription: the anchor and when it ends. */
export type ActiveSubscription = OkData<'/api/wallet/subscriptions', 'get'>['subscriptions'][number];

export async function getSubscriptions(): Promise<ActiveSubscription[]> {
  return (await requestData('get', '/api/wallet/subscriptions')).subscriptions;
}

/** The logged-in viewer's running subscriptions, soonest to end first (nothing is asked for guests). */
export function useSubscriptions() {
  const { user, loggedIn } = useSession();
  return useQuery({ queryKey: ['subscriptions', user?.uid], queryFn: getSubscriptions, enabled: loggedIn });
}
