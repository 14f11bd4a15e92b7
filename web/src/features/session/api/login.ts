import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { request, requestData, type RequestBody } from '../../../shared/api/client.ts';
import { SESSION_KEY } from './get-session.ts';

export type Credentials = RequestBody<'/api/users/login', 'post'>;

export async function login({ username, password }: Credentials) {
  return (await requestData('post', '/api/users/login', { body: { username, password } })).user_info;
}

export async function register({ username, password }: Credentials) {
  return (await requestData('post', '/api/users/register', { body: { username, password } })).user_info;
}

export async function logout(): Promise<void> {
  await request('get', '/api/users/login_out');
}

/**
 * Someone else is watching now: every other answer (room info, access, lists) may differ for them,
 * so all are asked again; what the page shows stays until the new answers arrive.
 */
function refreshForNewViewer(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (user) => {
      queryClient.setQueryData(SESSION_KEY, user);
      void refreshForNewViewer(queryClient);
    },
  });
}

export function useRegister() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: register,
    onSuccess: (user) => {
      queryClient.setQueryData(SESSION_KEY, user);
      void refreshForNewViewer(queryClient);
    },
  });
}

/** Logs out, then reads the session again: the viewer is a guest from then on. */
export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSettled: async () => {
      await queryClient.refetchQueries({ queryKey: SESSION_KEY });
      void refreshForNewViewer(queryClient);
    },
  });
}
