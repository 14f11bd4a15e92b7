import { requestData, type OkData } from '../../../shared/api/client.ts';

export type LiveChatHistory = OkData<'/api/live/get_live_chat_history', 'get'>;
/** One anchor (`is_user:true`) or AI message of the transcript. */
export type LiveMessage = LiveChatHistory['chat_info'][number];

/** The latest page of the transcript, or the page before `beforeFloor`. */
export function getLiveChatHistory(roomId: string, page: { beforeFloor?: number; limit?: number } = {}): Promise<LiveChatHistory> {
  return requestData('get', '/api/live/get_live_chat_history', { query: { room_id: roomId, before_floor: page.beforeFloor, limit: page.limit } });
}
