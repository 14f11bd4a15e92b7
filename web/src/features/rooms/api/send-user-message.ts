import { requestData } from '../../../shared/api/client.ts';

/** The body's `username` is informational; the server posts as the session user or guest. */
export function sendUserMessage(room: { room_id: string; room_name: string }, username: string, userMessage: string) {
  return requestData('post', '/api/live/save_user_chat_history', {
    body: { room_id: room.room_id, room_name: room.room_name, username, user_message: userMessage },
  });
}
