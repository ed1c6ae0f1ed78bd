import { render } from 'preact';
import { useCallback, useState } from 'preact/hooks';
import {
  completeSignIn,
  currentIdentity,
  forgetIdentity,
  isSignInCallback,
  signOut,
  startSignIn,
  type Identity,
} from './auth/session.js';
import { loadConfig, type ConsoleConfig } from './config.js';
import { App } from './views/App.js';
import { SignedOut } from './views/SignedOut.js';
import './styles.css';

function Console({ config, initialMessage }: { config: ConsoleConfig; initialMessage: string | null }) {
  const [identity, setIdentity] = useState<Identity | null>(() => currentIdentity());
  const [message, setMessage] = useState(initialMessage);
  const onSessionEnded = useCallback((reason: string) => {
    forgetIdentity();
    setMessage(reason);
    setIdentity(null);
  }, []);
  if (identity === null) {
    return <SignedOut message={message} onSignIn={() => startSignIn(config)} />;
  }
  return (
    <App
      apiUrl={config.apiUrl}
      identity={identity}
      onSessionEnded={onSessionEnded}
      onSignOut={() => {
        signOut(config);
      }}
    />
  );
}

function Failure({ message }: { message: string }) {
  return (
    <main id="main">
      <h1>Support console</h1>
      <p role="alert" class="notice error">
        {message}
      </p>
    </main>
  );
}

async function boot(root: HTMLElement): Promise<void> {
  render(
    <main id="main">
      <p role="status" class="loading">
        Loading…
      </p>
    </main>,
    root,
  );
  let config: ConsoleConfig;
  try {
    config = await loadConfig();
  } catch (error) {
    render(<Failure message={`The console could not read its settings: ${String(error)}`} />, root);
    return;
  }
  let message: string | null = null;
  if (isSignInCallback(location.search)) {
    // The code in the address is single-use: it leaves the address whatever happens.
    const search = location.search;
    history.replaceState(null, '', '/');
    try {
      const returnHash = await completeSignIn(config, search);
      if (returnHash !== '') history.replaceState(null, '', `/${returnHash}`);
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
  }
  render(<Console config={config} initialMessage={message} />, root);
}

const root = document.getElementById('app');
if (root) void boot(root);
