import { requestData, type OkData } from '../../../shared/api/client.ts';

/** Who is watching: a user with their diamond balance, or a guest (`status:false`, 游客). */
export type UserInfo = OkData<'/api/users/is_logged_in', 'get'>['user_info'];

export async function getSession(): Promise<UserInfo> {
  return (await requestData('get', '/api/users/is_logged_in')).user_info;
}
