import { useMutation, useQueryClient } from '@tanstack/react-query';
import { request, requestData } from '../../../shared/api/client.ts';
import { SESSION_KEY } from './get-session.ts';

export interface Credentials {
  username: string;
  password: string;
}

export async function login({ username, password }: Credentials) {
  return (await requestData('post', '/api/users/login', { body: { username, password } })).user_info;
}

export async function register({ username, password }: Credentials) {
  return (await requestData('post', '/api/users/register', { body: { username, password } })).user_info;
}

export async function logout(): Promise<void> {
  await request('get', '/api/users/login_out');
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: login, onSuccess: (user) => queryClient.setQueryData(SESSION_KEY, user) });
}

export function useRegister() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: register, onSuccess: (user) => queryClient.setQueryData(SESSION_KEY, user) });
}

/** Logs out, then reads the session again: the viewer is a guest from then on. */
export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: logout, onSettled: () => queryClient.refetchQueries({ queryKey: SESSION_KEY }) });
}
