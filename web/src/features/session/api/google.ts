/**
 * "Sign in with Google": whether the site offers it, and the linked Google account of the signed-in
 * viewer. Signing in and linking are page loads (the server redirects to Google and back).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request, requestData } from '../../../shared/api/client.ts';

const SIGN_IN_METHODS_KEY = ['sign-in-methods'] as const;
const IDENTITIES_KEY = ['linked-identities'] as const;

/** true when the server has Google sign-in configured; false until it answers. */
export function useGoogleSignInOffered(): boolean {
  const { data } = useQuery({
    queryKey: SIGN_IN_METHODS_KEY,
    queryFn: () => requestData('get', '/api/users/sign_in_methods'),
    staleTime: Infinity,
  });
  return data?.google === true;
}

/** Where the Google button leads: Google, then back to the page it was pressed on. */
export function googleSignInUrl(returnTo: string): string {
  return `/api/users/google/login?return_to=${encodeURIComponent(returnTo)}`;
}

export const GOOGLE_LINK_URL = '/api/users/google/link';

export function useLinkedIdentities(enabled: boolean) {
  return useQuery({ queryKey: IDENTITIES_KEY, queryFn: () => requestData('get', '/api/users/identities'), enabled });
}

export function useUnlinkGoogle() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      await request('delete', '/api/users/identities/google');
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: IDENTITIES_KEY }),
  });
}

/** After a first password is set, the account page asks for it from then on. */
export function useRefreshIdentities() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: IDENTITIES_KEY });
}
