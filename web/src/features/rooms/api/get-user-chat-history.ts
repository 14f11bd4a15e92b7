import { requestData, type OkData } from '../../../shared/api/client.ts';

export type UserChatHistory = OkData<'/api/live/get_user_chat_history', 'get'>;
/** A viewer's chat message. */
export type UserMessage = UserChatHistory['chat_info'][number];

/** The last viewer messages of a room, oldest first. */
export function getUserChatHistory(roomId: string): Promise<UserChatHistory> {
  return requestData('get', '/api/live/get_user_chat_history', { query: { room_id: roomId } });
}
