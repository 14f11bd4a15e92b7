import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { requestData, type OkData, type RequestBody } from '../../../shared/api/client.ts';
import { useSession } from '../../session/index.ts';

/** A viewer whose chat messages the signed-in user hides; users by uid, guests by guest name. */
export type BlockedViewer = OkData<'/api/users/blocks', 'get'>['blocks'][number];
export type BlockChange = RequestBody<'/api/users/blocks', 'post'>;

export async function getBlocks(): Promise<BlockedViewer[]> {
  return (await requestData('get', '/api/users/blocks')).blocks;
}

export async function setBlocked(change: BlockChange): Promise<boolean> {
  return (await requestData('post', '/api/users/blocks', { body: change })).blocked;
}

const blocksKey = (uid: string | undefined) => ['blocks', uid] as const;

/** The signed-in viewer's block list (guests have none). */
export function useBlocks() {
  const { user, loggedIn } = useSession();
  return useQuery({ queryKey: blocksKey(user?.uid), queryFn: getBlocks, enabled: loggedIn, staleTime: Infinity });
}

export function useSetBlocked() {
  const { user } = useSession();
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: setBlocked, onSuccess: () => queryClient.invalidateQueries({ queryKey: blocksKey(user?.uid) }) });
}

/** Whether a chat message's sender is on the list: users by uid, guests (no uid) by name. */
export function isBlocked(blocks: readonly BlockedViewer[] | undefined, sender: { uid: string; username: string }): boolean {
  if (!blocks?.length) return false;
  return blocks.some((block) => (sender.uid ? block.uid === sender.uid : block.guest_name !== '' && block.guest_name === sender.username));
}
