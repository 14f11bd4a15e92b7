import { requestData, type OkData } from '../../../shared/api/client.ts';

/** A live room as the home page lists it. */
export type LiveSummary = OkData<'/api/live/get_all_lives', 'get'>['lives_info'][number];

export async function getAllLives(): Promise<LiveSummary[]> {
  return (await requestData('get', '/api/live/get_all_lives')).lives_info;
}
