import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient } from '../api/client.js';
import { EXPIRY_MARGIN_MS, type Identity } from '../auth/session.js';
import { DEFAULT_ROUTE, parseRoute, queueHash, type Route } from '../route.js';
import { SessionContext, type ConsoleSession } from '../session-context.js';
import { QueueView } from './QueueView.js';
import { TicketView } from './TicketView.js';

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onHashChange = () => {
      setRoute(parseRoute(location.hash));
    };
    addEventListener('hashchange', onHashChange);
    // The hash may have changed between the first render and this effect.
    onHashChange();
    return () => {
      removeEventListener('hashchange', onHashChange);
    };
  }, []);
  return route;
}

/** The signed-in console: the top bar, the screen the hash names, and the live region. */
export function App({
  apiUrl,
  identity,
  onSignOut,
  onSessionEnded,
}: {
  apiUrl: string;
  identity: Identity;
  onSignOut: () => void;
  onSessionEnded: (message: string) => void;
}) {
  const route = useRoute();
  const [announcement, setAnnouncement] = useState({ message: '', serial: 0 });
  const [lastQueue, setLastQueue] = useState(route.name === 'queue' ? queueHash(route) : queueHash(DEFAULT_ROUTE));

  useEffect(() => {
    if (route.name === 'queue') setLastQueue(queueHash(route));
  }, [route]);

  // The ID token lasts an hour and is not refreshed: when it ends, so does the session.
  useEffect(() => {
    const timer = setTimeout(
      () => {
        onSessionEnded('Your session has ended. Sign in again to go on.');
      },
      // setTimeout takes at most 2^31 - 1 ms (about 24 days); a longer token still ends the session then.
      Math.min(Math.max(0, identity.expiresAt - EXPIRY_MARGIN_MS - Date.now()), 2 ** 31 - 1),
    );
    return () => {
      clearTimeout(timer);
    };
  }, [identity.expiresAt, onSessionEnded]);

  const session = useMemo<Omit<ConsoleSession, 'queueHash'>>(
    () => ({
      identity,
      api: new ApiClient({
        baseUrl: apiUrl,
        idToken: identity.idToken,
        onUnauthorized: () => {
          onSessionEnded('The API no longer accepts your sign-in. Sign in again to go on.');
        },
        onBusy: (seconds) => {
          setAnnouncement((previous) => ({
            message: `The service is busy; retrying in ${seconds} s`,
            serial: previous.serial + 1,
          }));
        },
      }),
      announce: (message: string) => {
        setAnnouncement((previous) => ({ message, serial: previous.serial + 1 }));
      },
    }),
    [apiUrl, identity, onSessionEnded],
  );

  return (
    <SessionContext.Provider value={{ ...session, queueHash: lastQueue }}>
      <header class="topbar">
        <a class="brand" href={lastQueue}>
          Support console
        </a>
        <span class="who" title={identity.id}>
          {identity.name}
          {identity.agent ? ' (agent)' : ''}
        </span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main">
        {route.name === 'ticket' ? <TicketView key={route.id} id={route.id} /> : <QueueView route={route} />}
      </main>
      <div class="announcer" aria-live="polite" aria-atomic="true">
        <span key={announcement.serial}>{announcement.message}</span>
      </div>
    </SessionContext.Provider>
  );
}
