/**
 * Who is watching: the `is_logged_in` answer (user name and diamond balance, or 游客), kept fresh
 * after anything that changes it.
 */
import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { getSession, type UserInfo } from '../api/get-session.ts';
import { logout } from '../api/login.ts';

export interface Session {
  /** null until the first answer arrives. */
  user: UserInfo | null;
  loggedIn: boolean;
  refresh(): Promise<void>;
  setUser(user: UserInfo): void;
  setBalance(coins: number): void;
  logout(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<UserInfo | null>(null);

  const refresh = useCallback(async () => {
    try {
      setUser(await getSession());
    } catch {
      // Keep what we had; the header keeps showing the last known state.
    }
  }, []);

  useEffect(() => {
    getSession().then(setUser, () => undefined);
  }, []);

  const value = useMemo<Session>(
    () => ({
      user,
      loggedIn: user?.status === true,
      refresh,
      setUser,
      setBalance: (coins) => setUser((current) => (current ? { ...current, coin_num: coins } : current)),
      logout: async () => {
        await logout();
        await refresh();
      },
    }),
    [user, refresh],
  );
  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): Session {
  const value = use(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
