import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { requestData, type OkData } from '../../../shared/api/client.ts';

/** A room found by search or tag, live or not. */
export type RoomHit = OkData<'/api/live/search', 'get'>['lives_info'][number];

export async function searchRooms(q: string, tag: string | null): Promise<RoomHit[]> {
  const query = { ...(q ? { q } : {}), ...(tag === null ? {} : { tag }) };
  return (await requestData('get', '/api/live/search', { query })).lives_info;
}

/** Results for the (already debounced) query; the previous results stay shown while the next load. */
export function useRoomSearch(q: string, tag: string | null) {
  return useQuery({
    queryKey: ['room-search', q, tag],
    queryFn: () => searchRooms(q, tag),
    enabled: q !== '',
    staleTime: 10_000,
    placeholderData: keepPreviousData,
  });
}
