import { request, requestData } from '../../../shared/api/client.ts';

export async function login(username: string, password: string) {
  return (await requestData('post', '/api/users/login', { body: { username, password } })).user_info;
}

export async function register(username: string, password: string) {
  return (await requestData('post', '/api/users/register', { body: { username, password } })).user_info;
}

export async function logout(): Promise<void> {
  await request('get', '/api/users/login_out');
}
