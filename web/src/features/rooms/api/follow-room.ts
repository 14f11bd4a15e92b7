import { requestData } from '../../../shared/api/client.ts';

export async function followRoom(roomId: string, follow: boolean): Promise<boolean> {
  return (await requestData('post', '/api/live/follow', { body: { room_id: roomId, follow_status: follow } })).follow_status;
}
