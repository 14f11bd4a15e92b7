/** Who is watching: the session (user or guest, and the diamond balance) and logging in and out. */
export type { UserInfo } from './api/get-session.ts';
export { openLogin } from './components/LoginDialog.tsx';
export { SessionProvider, useSession } from './components/SessionProvider.tsx';
