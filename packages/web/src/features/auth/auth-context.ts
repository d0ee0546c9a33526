import { createContext, useContext } from 'react';
import type { Principal } from '../../lib/backend.js';

/** What the signed-in part of the app needs from the session. */
export interface AuthContextValue {
  principal: Principal;
  signOut: () => Promise<void>;
  /**
   * Handles a failed call: a 401 ends the session (back to sign-in with "Session expired");
   * returns true when it did, so the caller shows nothing else.
   */
  handleUnauthorized: (error: unknown) => boolean;
}

export const AuthContext = createContext<AuthContextValue | undefined>(undefined);

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (value === undefined) throw new Error('useAuth outside the signed-in app');
  return value;
}
