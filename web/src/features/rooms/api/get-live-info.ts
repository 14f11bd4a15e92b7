import { useQuery } from '@tanstack/react-query';
import { requestData, type OkData } from '../../../shared/api/client.ts';

/** A room as its page shows it, with what this viewer may do there (enter, follow, subscribe). */
export type LiveInfo = OkData<'/api/live/get_live_info', 'get'>;

/** Every cached answer about a room, whoever asked. */
export function liveInfoKey(roomId: string) {
  return ['live-info', roomId] as const;
}

export function getLiveInfo(roomId: string): Promise<LiveInfo> {
  return requestData('get', '/api/live/get_live_info', { query: { room_id: roomId } });
}

/**
 * The room as this viewer may see it. Asked once when the page opens, at the same time as the
 * session (the server knows the viewer from the cookie); logging in or out asks again (the session
 * feature refreshes every answer then), while the page keeps showing the previous answer.
 */
export function useLiveInfo(roomId: string) {
  return useQuery(liveInfoQuery(roomId));
}

/** Fresh enough not to be asked again by the page that prefetched it. */
const LIVE_INFO_FRESH_MS = 10_000;

export function liveInfoQuery(roomId: string) {
  return { queryKey: liveInfoKey(roomId), queryFn: () => getLiveInfo(roomId), staleTime: LIVE_INFO_FRESH_MS };
}
