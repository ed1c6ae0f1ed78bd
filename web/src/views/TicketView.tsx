import { useEffect, useRef, useState } from 'preact/hooks';
import type { Comment, CommentPage } from '../../../layers/shared/src/domain/comment-schema.js';
import type { Ticket, TicketWithHistory } from '../../../layers/shared/src/domain/ticket.js';
import { ApiError } from '../api/problem.js';
import { commentsPath, ticketPath } from '../api/queries.js';
import { AnalysisPanel } from '../components/AnalysisPanel.js';
import { CommentView } from '../components/CommentView.js';
import { ConflictNotice } from '../components/ConflictNotice.js';
import { DescriptionText } from '../components/DescriptionText.js';
import { HistoryList } from '../components/HistoryList.js';
import { ReplyForm, type Draft } from '../components/ReplyForm.js';
import { ErrorNotice, Loading } from '../components/States.js';
import { TriageForm } from '../components/TriageForm.js';
import { dueState, formatInstant, labelOf } from '../format.js';
import { useNow } from '../hooks.js';
import { useSession } from '../session-context.js';
import { changesAgainst, editsStillApply, type EditableField, type TicketEdits } from '../triage.js';

interface Loaded {
  ticket: TicketWithHistory;
  etag: string;
}

/** The version the user's unsaved edits were made on: what a save sends as `If-Match`. */
interface Base {
  version: number;
  etag: string;
}

interface Conflict {
  /** The version the user's edits were made on. */
  baseVersion: number;
}

const toApiError = (error: unknown): ApiError =>
  error instanceof ApiError ? error : new ApiError(0, 'Something went wrong', String(error));

/** The API exposes `ETag` through CORS: an answer without one cannot be saved against, so it is an error. */
const requireEtag = (etag: string | null): string => {
  if (etag === null || etag === '') {
    throw new ApiError(0, 'The ticket came without its version', 'The answer had no ETag header. Try again.');
  }
  return etag;
};

function TicketFacts({ ticket, now }: { ticket: TicketWithHistory; now: number }) {
  const due = dueState(ticket, now);
  return (
    <dl class="facts summary">
      <div>
        <dt>Status</dt>
        <dd>
          <span class={`status status-${ticket.status}`}>{labelOf(ticket.status)}</span>
        </dd>
      </div>
      <div>
        <dt>Priority</dt>
        <dd>
          <span class={`priority priority-${ticket.priority}`}>{labelOf(ticket.priority)}</span>
        </dd>
      </div>
      <div>
        <dt>Category</dt>
        <dd>{labelOf(ticket.category)}</dd>
      </div>
      <div>
        <dt>Assignee</dt>
        <dd>{ticket.assigneeId ?? <span class="muted">unassigned</span>}</dd>
      </div>
      <div>
        <dt>Requester</dt>
        <dd>{ticket.requester.email ?? ticket.requester.id}</dd>
      </div>
      <div>
        <dt>Created</dt>
        <dd>
          <time dateTime={ticket.createdAt}>{formatInstant(ticket.createdAt)}</time>
        </dd>
      </div>
      <div>
        <dt>Updated</dt>
        <dd>
          <time dateTime={ticket.updatedAt}>{formatInstant(ticket.updatedAt)}</time>
        </dd>
      </div>
      <div>
        <dt>Due</dt>
        <dd class={due.overdue ? 'due overdue' : 'due'}>
          <time dateTime={due.at} title={formatInstant(due.at)}>
            {due.text}
          </time>
        </dd>
      </div>
    </dl>
  );
}

export function TicketView({ id }: { id: string }) {
  const { api, identity, announce, queueHash } = useSession();
  const agent = identity.agent;
  const now = useNow();
  const heading = useRef<HTMLHeadingElement>(null);

  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [edits, setEdits] = useState<TicketEdits>({});
  const [base, setBase] = useState<Base | null>(null);
  /** A re-read after a reply, or a reply being sent: a save now would race it. */
  const [refreshing, setRefreshing] = useState(false);
  // The edits as of now, for a re-read that ends after they changed.
  const editsNow = useRef(edits);
  editsNow.current = edits;
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [comments, setComments] = useState<Comment[] | null>(null);
  const [commentsCursor, setCommentsCursor] = useState<string | null>(null);
  const [commentsError, setCommentsError] = useState<ApiError | null>(null);
  const [commentsLoading, setCommentsLoading] = useState(false);

  const show = (fresh: Loaded) => {
    setLoaded(fresh);
    setBase({ version: fresh.ticket.version, etag: fresh.etag });
  };

  /**
   * Shows the ticket as it is now. Unsaved edits keep the version they were made on, so a save
   * meets the 412 and the conflict notice when someone else changed the ticket meanwhile; only
   * the user's own reply moving a field they did not edit lets them move on with it. With no
   * unsaved edits there is nothing to keep: the version shown is the one a save is made on.
   */
  const readTicket = async (): Promise<Loaded> => {
    const { body, etag } = await api.get<TicketWithHistory>(ticketPath(id));
    const fresh = { ticket: body, etag: requireEtag(etag) };
    setLoaded(fresh);
    setBase((previous) =>
      previous === null ||
      Object.keys(editsNow.current).length === 0 ||
      editsStillApply(body, previous.version, editsNow.current, identity.id)
        ? { version: body.version, etag: fresh.etag }
        : previous,
    );
    return fresh;
  };

  const loadTicket = async () => {
    setLoadError(null);
    try {
      await readTicket();
    } catch (caught) {
      setLoadError(toApiError(caught));
    }
  };

  const loadComments = async (cursor: string | null) => {
    setCommentsLoading(true);
    setCommentsError(null);
    try {
      const { body } = await api.get<CommentPage>(commentsPath(id, cursor));
      setComments((previous) => (cursor === null || previous === null ? body.items : [...previous, ...body.items]));
      setCommentsCursor(body.nextCursor);
    } catch (caught) {
      setCommentsError(toApiError(caught));
    } finally {
      setCommentsLoading(false);
    }
  };

  useEffect(() => {
    setLoaded(null);
    setBase(null);
    setEdits({});
    setConflict(null);
    setSaveError(null);
    setComments(null);
    setCommentsCursor(null);
    void loadTicket();
    void loadComments(null);
  }, [id]);

  // The subject becomes the screen's heading once it is known; focus goes there, as on every new screen.
  const headingShown = loaded !== null;
  useEffect(() => {
    if (headingShown) heading.current?.focus();
  }, [headingShown]);

  /** Sends the edits that change the ticket as shown, with the ETag they were made on; a 412 re-reads it and asks. */
  const save = async (wanted: TicketEdits) => {
    if (loaded === null || base === null || saving || refreshing) return;
    const changes = changesAgainst(loaded.ticket, wanted);
    if (Object.keys(changes).length === 0) {
      setBase({ version: loaded.ticket.version, etag: loaded.etag });
      setEdits({});
      setConflict(null);
      announce('No changes to save');
      return;
    }
    setSaving(true);
    setSaveError(null);
    try {
      const { body, etag } = await api.patch<TicketWithHistory>(ticketPath(id), changes, base.etag);
      show({ ticket: body, etag: requireEtag(etag) });
      setEdits({});
      setConflict(null);
      announce('Saved');
    } catch (caught) {
      const error = toApiError(caught);
      if (error.status !== 412) {
        setSaveError(error);
        return;
      }
      try {
        const { body, etag } = await api.get<TicketWithHistory>(ticketPath(id));
        // The user has now seen the current version: applying their changes goes against it.
        show({ ticket: body, etag: requireEtag(etag) });
        setEdits(changes);
        setConflict({ baseVersion: base.version });
        announce('Not saved: the ticket changed meanwhile');
      } catch (rereadError) {
        setSaveError(toApiError(rereadError));
      }
    } finally {
      setSaving(false);
    }
  };

  const onEdit = <F extends EditableField>(field: F, value: Ticket[F]) => {
    setEdits((previous) => ({ ...previous, [field]: value }));
  };

  const send = async (draft: Draft) => {
    setRefreshing(true);
    try {
      const { body: comment } = await api.post<Comment>(
        `${ticketPath(id)}/comments`,
        { body: draft.body, visibility: draft.visibility },
        draft.idempotencyKey,
      );
      if (commentsCursor === null) {
        setComments((previous) =>
          previous === null || previous.some((known) => known.id === comment.id) ? previous : [...previous, comment],
        );
      }
      announce(draft.visibility === 'internal' ? 'Internal note added' : 'Reply sent');
      // A public reply may move the status on and bumps the version: the ticket shown is stale now.
      await readTicket().catch((caught: unknown) => {
        setLoadError(toApiError(caught));
      });
    } finally {
      setRefreshing(false);
    }
  };

  const back = (
    <p class="back">
      <a href={queueHash}>Back to tickets</a>
    </p>
  );

  if (loaded === null) {
    return (
      <>
        {back}
        {loadError === null ? (
          <Loading label="Loading the ticket…" />
        ) : (
          <ErrorNotice
            error={loadError}
            onRetry={() => {
              void loadTicket();
            }}
          />
        )}
      </>
    );
  }

  const { ticket } = loaded;
  const closed = ticket.status === 'closed';
  return (
    <>
      {back}
      <h1 ref={heading} tabIndex={-1} class="subject-heading">
        {ticket.subject}
      </h1>
      <TicketFacts ticket={ticket} now={now} />
      {loadError !== null && (
        <ErrorNotice
          error={loadError}
          onRetry={() => {
            void loadTicket();
          }}
        />
      )}
      {conflict !== null && (
        <ConflictNotice
          current={ticket}
          baseVersion={conflict.baseVersion}
          edits={edits}
          me={identity.id}
          busy={saving || refreshing}
          onApply={() => {
            void save(edits);
          }}
          onDiscard={() => {
            setBase({ version: ticket.version, etag: loaded.etag });
            setEdits({});
            setConflict(null);
            announce('Your changes were discarded');
          }}
        />
      )}
      {saveError !== null && (
        <ErrorNotice
          error={saveError}
          onRetry={() => {
            void save(edits);
          }}
        />
      )}
      {!agent && (
        <p class="actions">
          {!closed && (
            <button
              type="button"
              disabled={saving || refreshing}
              onClick={() => {
                void save({ status: 'closed' });
              }}
            >
              Close ticket
            </button>
          )}
          {ticket.status === 'resolved' && (
            <button
              type="button"
              disabled={saving || refreshing}
              onClick={() => {
                void save({ status: 'open' });
              }}
            >
              Reopen
            </button>
          )}
        </p>
      )}
      <div class="ticket-layout">
        <div class="ticket-main">
          <section aria-labelledby="description-heading">
            <h2 id="description-heading">Description</h2>
            <DescriptionText text={ticket.description} />
          </section>
          <section aria-labelledby="conversation-heading">
            <h2 id="conversation-heading">Conversation</h2>
            {comments === null && commentsError === null && <Loading label="Loading the conversation…" />}
            {comments !== null && comments.length === 0 && <p class="muted">No comments yet.</p>}
            {comments?.map((comment) => (
              <CommentView key={comment.id} comment={comment} />
            ))}
            {commentsError !== null && (
              <ErrorNotice
                error={commentsError}
                onRetry={() => {
                  void loadComments(comments === null ? null : commentsCursor);
                }}
              />
            )}
            {comments !== null && commentsCursor !== null && (
              <p class="more">
                <button
                  type="button"
                  disabled={commentsLoading}
                  onClick={() => {
                    void loadComments(commentsCursor);
                  }}
                >
                  Load more comments
                </button>
              </p>
            )}
            {closed ? (
              <p class="muted">This ticket is closed: it takes no more comments.</p>
            ) : (
              <ReplyForm agent={agent} onSend={send} />
            )}
          </section>
        </div>
        <div class="ticket-side">
          {agent && (
            <section aria-labelledby="triage-heading">
              <h2 id="triage-heading">Triage</h2>
              <TriageForm
                ticket={ticket}
                edits={edits}
                me={identity.id}
                busy={saving || refreshing}
                onEdit={onEdit}
                onSave={() => {
                  void save(edits);
                }}
              />
            </section>
          )}
          {/* The analysis is the team's triage aid (sentiment scores of the customer's own words, signals): agents only. */}
          {agent && (
            <section aria-labelledby="analysis-heading">
              <h2 id="analysis-heading">Analysis</h2>
              <AnalysisPanel analysis={ticket.analysis} />
            </section>
          )}
          <section aria-labelledby="history-heading">
            <h2 id="history-heading">History</h2>
            <HistoryList ticket={ticket} />
          </section>
        </div>
      </div>
    </>
  );
}
