import { useMutation } from '@tanstack/react-query';
import { requestData, type OkData } from '../../../shared/api/client.ts';

export type SentUserMessage = OkData<'/api/live/save_user_chat_history', 'post'>;

/** The body's `username` is informational; the server posts as the session user or guest. */
export function sendUserMessage(room: { room_id: string; room_name: string }, username: string, userMessage: string): Promise<SentUserMessage> {
  return requestData('post', '/api/live/save_user_chat_history', {
    body: { room_id: room.room_id, room_name: room.room_name, username, user_message: userMessage },
  });
}

export interface OutgoingMessage {
  username: string;
  text: string;
}

export function useSendUserMessage(room: { room_id: string; room_name: string }, onSent: (sent: SentUserMessage, message: OutgoingMessage) => void) {
  return useMutation({
    mutationFn: ({ username, text }: OutgoingMessage) => sendUserMessage(room, username, text),
    onSuccess: onSent,
  });
}
