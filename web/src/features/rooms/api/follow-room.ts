import { useMutation, useQueryClient } from '@tanstack/react-query';
import { requestData } from '../../../shared/api/client.ts';
import { liveInfoKey } from './get-live-info.ts';

export async function followRoom(roomId: string, follow: boolean): Promise<boolean> {
  return (await requestData('post', '/api/live/follow', { body: { room_id: roomId, follow_status: follow } })).follow_status;
}

/** Follows or unfollows; pending until the room's answer has been read again. */
export function useFollowRoom(roomId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (follow: boolean) => followRoom(roomId, follow),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: liveInfoKey(roomId) }),
  });
}
