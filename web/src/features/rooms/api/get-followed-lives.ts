import { useQuery } from '@tanstack/react-query';
import { requestData, type OkData } from '../../../shared/api/client.ts';
import { useSession } from '../../session/index.ts';

/** A followed room: listed even while stopped, so it says whether it is live. */
export type FollowedLive = OkData<'/api/live/get_followed_lives', 'get'>['lives_info'][number];

export async function getFollowedLives(): Promise<FollowedLive[]> {
  return (await requestData('get', '/api/live/get_followed_lives')).lives_info;
}

/** The rooms the logged-in viewer follows (nothing is asked for guests). */
export function useFollowedLives() {
  const { user, loggedIn } = useSession();
  return useQuery({ queryKey: ['followed-lives', user?.uid], queryFn: getFollowedLives, enabled: loggedIn });
}
