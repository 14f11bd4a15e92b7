/** Who is watching: the session (user or guest, and the diamond balance) and logging in and out. */
export type { UserInfo } from './api/get-session.ts';
export { LoginDialog } from './components/LoginDialog.tsx';
export { SessionProvider, useSession, type Dialog } from './components/SessionProvider.tsx';
