import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { toast } from 'sonner';
import { useI18n } from '../../i18n/i18n-context.js';
import { backend, describeError, isUnauthorized, type Principal } from '../../lib/backend.js';
import { AuthContext, type AuthContextValue } from './auth-context.js';
import { SignInForm } from './SignInForm.js';

type Session =
  { kind: 'checking' } | { kind: 'signed-out' } | { kind: 'signed-in'; principal: Principal };

/**
 * Shows the sign-in form or the app. On load it asks `me()` whether the session cookie is
 * still valid; any 401 later (through `handleUnauthorized`) returns here with a toast.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session>({ kind: 'checking' });
  const { t } = useI18n();
  // The latest translator, for callbacks that must stay stable across a language switch.
  const translate = useRef(t);
  translate.current = t;

  useEffect(() => {
    let active = true;
    backend.me().then(
      (principal) => {
        if (active) setSession({ kind: 'signed-in', principal });
      },
      (error: unknown) => {
        if (!active) return;
        if (!isUnauthorized(error))
          toast.error(translate.current('auth.unreachable', { error: describeError(error) }));
        setSession({ kind: 'signed-out' });
      },
    );
    return () => {
      active = false;
    };
  }, []);

  const handleUnauthorized = useCallback((error: unknown): boolean => {
    if (!isUnauthorized(error)) return false;
    setSession((current) => {
      if (current.kind === 'signed-in')
        toast.error(translate.current('auth.sessionExpired'), { id: 'session-expired' });
      return { kind: 'signed-out' };
    });
    return true;
  }, []);

  const signOut = useCallback(async (): Promise<void> => {
    try {
      await backend.logout();
    } catch (error) {
      if (!isUnauthorized(error))
        toast.error(translate.current('auth.signOutFailed', { error: describeError(error) }));
    }
    setSession({ kind: 'signed-out' });
  }, []);

  const value = useMemo<AuthContextValue | undefined>(
    () =>
      session.kind === 'signed-in'
        ? { principal: session.principal, signOut, handleUnauthorized }
        : undefined,
    [session, signOut, handleUnauthorized],
  );

  if (session.kind === 'checking') {
    return (
      <p role="status" className="p-8 text-center text-slate-500">
        {t('common.loading')}
      </p>
    );
  }
  if (value === undefined) {
    return <SignInForm onSignedIn={(principal) => setSession({ kind: 'signed-in', principal })} />;
  }
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
