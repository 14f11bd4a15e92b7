import { useQuery } from '@tanstack/react-query';
import { requestData, type OkData } from '../../../shared/api/client.ts';

export type RoomLeaderboard = OkData<'/api/live/leaderboard', 'get'>;
export type Supporter = RoomLeaderboard['today'][number];

export function getLeaderboard(roomId: string): Promise<RoomLeaderboard> {
  return requestData('get', '/api/live/leaderboard', { query: { room_id: roomId } });
}

/** The board when the room opens; the room socket's `leaderboard` frames replace it afterwards. */
export function useLeaderboard(roomId: string) {
  return useQuery({ queryKey: ['leaderboard', roomId], queryFn: () => getLeaderboard(roomId), staleTime: 60_000 });
}
