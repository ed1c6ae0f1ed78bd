import { useState } from 'preact/hooks';
import { useFocusOnMount } from '../hooks.js';

/** Before sign-in: what the console is and the way in. */
export function SignedOut({ message, onSignIn }: { message: string | null; onSignIn: () => Promise<void> }) {
  const [starting, setStarting] = useState(false);
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <main id="main" class="signed-out">
      <h1 ref={heading} tabIndex={-1}>
        Support console
      </h1>
      <p>Triage, answer and follow support tickets. Sign in to continue.</p>
      {message !== null && (
        <p role="alert" class="notice error">
          {message}
        </p>
      )}
      <button
        type="button"
        class="primary"
        disabled={starting}
        onClick={() => {
          setStarting(true);
          onSignIn().catch(() => {
            setStarting(false);
          });
        }}
      >
        Sign in
      </button>
    </main>
  );
}
