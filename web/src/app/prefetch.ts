/**
 * The first answers each page needs, asked for before the first render. The server preloads the
 * same requests with the page's HTML (src/web/page.ts), so these are answered from the browser's
 * preload cache, and the page is drawn once, complete, instead of first empty then filled in.
 */
import type { QueryClient } from '@tanstack/react-query';
import { prefetchLiveList, prefetchRoom } from '../features/rooms/index.ts';
import { prefetchSession } from '../features/session/index.ts';
import { matchRoute } from '../shared/router.tsx';

export function prefetchFirstPage(queryClient: QueryClient, pathname: string): Promise<unknown> {
  const route = matchRoute(pathname);
  return Promise.all([
    prefetchSession(queryClient),
    route.name === 'room' ? prefetchRoom(queryClient, route.roomId) : null,
    route.name === 'home' ? prefetchLiveList(queryClient) : null,
  ]);
}
