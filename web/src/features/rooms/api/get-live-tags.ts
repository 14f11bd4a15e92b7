import { useQuery } from '@tanstack/react-query';
import { requestData } from '../../../shared/api/client.ts';
import { LIVES_REFRESH_MS } from './get-all-lives.ts';

/** Tags of the live rooms, most used first: the home page's filter. */
export function useLiveTags() {
  return useQuery({
    queryKey: ['live-tags'],
    queryFn: async () => (await requestData('get', '/api/live/tags')).tags,
    staleTime: 5_000,
    refetchInterval: LIVES_REFRESH_MS,
  });
}
