/**
 * What a page of this feature asks for first, asked before the app renders: the page preloads
 * these requests with its HTML, so the answers are usually there by the time the script runs.
 */
import type { QueryClient } from '@tanstack/react-query';
import { livesQuery } from './api/get-all-lives.ts';
import { liveInfoQuery } from './api/get-live-info.ts';
import { primeHistories } from './state/primed-histories.ts';

export function prefetchRoom(queryClient: QueryClient, roomId: string): Promise<unknown> {
  return Promise.all([queryClient.prefetchQuery(liveInfoQuery(roomId)), primeHistories(roomId)]);
}

export function prefetchLiveList(queryClient: QueryClient): Promise<unknown> {
  return queryClient.prefetchQuery(livesQuery);
}
