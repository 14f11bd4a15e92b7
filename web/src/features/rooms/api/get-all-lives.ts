import { useQuery } from '@tanstack/react-query';
import { requestData, type OkData } from '../../../shared/api/client.ts';

/** A live room as the home page lists it. */
export type LiveSummary = OkData<'/api/live/get_all_lives', 'get'>['lives_info'][number];

/** How often the list refreshes while the page is visible (and once more when it becomes visible). */
export const LIVES_REFRESH_MS = 10_000;

export async function getAllLives(): Promise<LiveSummary[]> {
  return (await requestData('get', '/api/live/get_all_lives')).lives_info;
}

/** The list; fresh for a few seconds so the page that prefetched it does not ask again at once. */
export const livesQuery = { queryKey: ['lives'], queryFn: getAllLives, staleTime: 5_000 } as const;

export function useAllLives() {
  return useQuery({ ...livesQuery, refetchInterval: LIVES_REFRESH_MS, refetchOnWindowFocus: true });
}

export type LiveSort = 'popular' | 'new';

/** A home page section: live rooms most watched or newest first, only those with `tag` when given. */
export function useLiveSection(sort: LiveSort, tag: string | null) {
  const plain = sort === 'popular' && tag === null;
  return useQuery({
    // The plain list shares its cache with useAllLives and the prefetch.
    queryKey: plain ? livesQuery.queryKey : ['lives', sort, tag],
    queryFn: plain
      ? getAllLives
      : async () => (await requestData('get', '/api/live/get_all_lives', { query: { sort, ...(tag === null ? {} : { tag }) } })).lives_info,
    staleTime: 5_000,
    refetchInterval: LIVES_REFRESH_MS,
    refetchOnWindowFocus: true,
  });
}
