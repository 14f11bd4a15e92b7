import { requestData, type OkData } from '../../../shared/api/client.ts';

/** A room as its page shows it, with what this viewer may do there (enter, follow, subscribe). */
export type LiveInfo = OkData<'/api/live/get_live_info', 'get'>;

export function getLiveInfo(roomId: string): Promise<LiveInfo> {
  return requestData('get', '/api/live/get_live_info', { query: { room_id: roomId } });
}
