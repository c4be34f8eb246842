import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { onUnauthenticated } from '../api/client';
import { clearToken, currentSession, storeToken, type Session } from './token';

interface Auth {
  session: Session | undefined;
  /** Why the last session ended without the user signing out (the service refused the token, or it expired). */
  ended: 'expired' | undefined;
  signIn: (token: string) => void;
  signOut: () => void;
}

const AuthContext = createContext<Auth | undefined>(undefined);

/** The session of the token in sessionStorage (handed over with #token= or minted by the development sign-in). */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | undefined>(() => currentSession());
  const [ended, setEnded] = useState<'expired'>();

  const signIn = useCallback((token: string) => {
    storeToken(token);
    setEnded(undefined);
    setSession(currentSession());
  }, []);
  const signOut = useCallback(() => {
    clearToken();
    setSession(undefined);
  }, []);

  useEffect(
    () =>
      onUnauthenticated(() => {
        setEnded('expired');
        setSession(undefined);
      }),
    [],
  );

  // The token's own expiry ends the session too, without waiting for a refused request.
  useEffect(() => {
    if (!session) return undefined;
    const timer = setTimeout(() => {
      clearToken();
      setEnded('expired');
      setSession(undefined);
    }, Math.min(session.expiresAt - Date.now(), 2_147_483_647));
    return () => clearTimeout(timer);
  }, [session]);

  const value = useMemo(() => ({ session, ended, signIn, signOut }), [session, ended, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}

/** The signed-in session; for pages behind RequireSession only. */
export function useSession(): Session {
  const { session } = useAuth();
  if (!session) throw new Error('useSession without a session');
  return session;
}
