/**
 * One cache for every server answer the app shows. A refusal is shown at once in the server's words
 * and the viewer decides to retry, so nothing retries behind their back; a query refetches when the
 * tab comes back only where its page asks for that.
 */
import { QueryClient } from '@tanstack/react-query';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: false, refetchOnWindowFocus: false },
    mutations: { retry: false },
  },
});
