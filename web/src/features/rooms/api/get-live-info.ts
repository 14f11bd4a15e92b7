import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { requestData, type OkData } from '../../../shared/api/client.ts';
import { useSession } from '../../session/index.ts';

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
 * The room as this viewer may see it: asked again when they log in or out, while the page keeps
 * showing the previous answer.
 */
export function useLiveInfo(roomId: string) {
  const { user } = useSession();
  return useQuery({ queryKey: [...liveInfoKey(roomId), user?.uid], queryFn: () => getLiveInfo(roomId), placeholderData: keepPreviousData });
}
