import { useState } from 'preact/hooks';
import type { CommentVisibility } from '../../../layers/shared/src/domain/ticket-vocabulary.js';
import { ApiError } from '../api/problem.js';
import { ErrorNotice } from './States.js';

export interface Draft {
  body: string;
  visibility: CommentVisibility;
  /** One per draft: a retry of the same draft is answered with the first comment, never posted twice. */
  idempotencyKey: string;
}

/** Answering the customer, or (agents) a note for agents only. */
export function ReplyForm({ agent, onSend }: { agent: boolean; onSend: (draft: Draft) => Promise<void> }) {
  const [body, setBody] = useState('');
  const [visibility, setVisibility] = useState<CommentVisibility>('public');
  // A new key whenever the draft changes: the API refuses a key reused with another body.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const edit = (change: () => void) => {
    change();
    setIdempotencyKey(crypto.randomUUID());
  };

  const send = async () => {
    if (body.trim() === '' || sending) return;
    setSending(true);
    setError(null);
    try {
      await onSend({ body, visibility, idempotencyKey });
      setBody('');
      setVisibility('public');
      setIdempotencyKey(crypto.randomUUID());
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'The message was not sent', String(caught)));
    } finally {
      setSending(false);
    }
  };

  return (
    <form
      class="reply"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <div class="field">
        <label for="reply-message">Message</label>
        <textarea
          id="reply-message"
          rows={5}
          required
          value={body}
          onInput={(event) => {
            const text = event.currentTarget.value;
            edit(() => {
              setBody(text);
            });
          }}
        />
      </div>
      {agent && (
        <fieldset class="visibility">
          <legend>Who sees it</legend>
          {(['public', 'internal'] as const).map((choice) => (
            <label key={choice}>
              <input
                type="radio"
                name="reply-visibility"
                value={choice}
                checked={visibility === choice}
                onChange={() => {
                  edit(() => {
                    setVisibility(choice);
                  });
                }}
              />{' '}
              {choice === 'public' ? 'Public reply' : 'Internal note'}
            </label>
          ))}
        </fieldset>
      )}
      {error !== null && (
        <ErrorNotice
          error={error}
          onRetry={() => {
            void send();
          }}
        />
      )}
      <button type="submit" class="primary" disabled={sending} aria-busy={sending}>
        Send
      </button>
    </form>
  );
}
