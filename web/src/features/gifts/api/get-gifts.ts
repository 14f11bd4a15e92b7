import { useQuery } from '@tanstack/react-query';
import { requestData, type OkData } from '../../../shared/api/client.ts';

export type Gift = OkData<'/api/live/gifts', 'get'>['gifts'][number];

export function getGifts(): Promise<Gift[]> {
  return requestData('get', '/api/live/gifts').then((data) => data.gifts);
}

/** The catalogue changes only when the operator restarts the site: read once per visit. */
export function useGifts(enabled = true) {
  return useQuery({ queryKey: ['gifts'], queryFn: getGifts, staleTime: Infinity, enabled });
}
