import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api/client.js';
import type { Identity } from './auth/session.js';

/** What every view of the signed-in console uses: the API as this user, who they are, and the live region. */
export interface ConsoleSession {
  api: ApiClient;
  identity: Identity;
  /** Says something in the polite live region ("Saved"). */
  announce: (message: string) => void;
  /** The queue the user came from, for "Back to tickets". */
  queueHash: string;
}

export const SessionContext = createContext<ConsoleSession | null>(null);

export function useSession(): ConsoleSession {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession outside a signed-in console');
  return session;
}
