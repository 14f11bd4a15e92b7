/** Who is watching: the session (user or guest, and the diamond balance), logging in and out. */
export { prefetchSession, useSession, type UserInfo } from './api/get-session.ts';
export { useLogout } from './api/login.ts';
export { openLogin } from './components/LoginDialog.tsx';
export { useChangePassword, useChangeUsername, useDeleteAccount } from './api/manage-account.ts';
export { GOOGLE_LINK_URL, googleSignInUrl, useGoogleSignInOffered, useLinkedIdentities, useRefreshIdentities, useUnlinkGoogle } from './api/google.ts';
