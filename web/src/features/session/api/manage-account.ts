/** The signed-in viewer's own account: a new password, a new name, deleting it. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { request, requestData, type RequestBody } from '../../../shared/api/client.ts';
import { SESSION_KEY } from './get-session.ts';

export type PasswordChange = RequestBody<'/api/users/change_password', 'post'>;

export function useChangePassword() {
  return useMutation({
    mutationFn: async (change: PasswordChange) => {
      await request('post', '/api/users/change_password', { body: change });
    },
  });
}

/** The new name shows at once wherever the session is read. */
export function useChangeUsername() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (username: string) => (await requestData('post', '/api/users/change_username', { body: { username } })).user_info,
    onSuccess: (user) => queryClient.setQueryData(SESSION_KEY, user),
  });
}

/** After deletion the viewer is a guest: everything is asked again. */
export function useDeleteAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (password: string) => {
      await request('post', '/api/users/delete_account', { body: { password } });
    },
    onSuccess: async () => {
      await queryClient.refetchQueries({ queryKey: SESSION_KEY });
      void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
    },
  });
}
