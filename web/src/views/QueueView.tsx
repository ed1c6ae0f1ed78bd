import { useEffect, useRef, useState } from 'preact/hooks';
import type { Ticket } from '../../../layers/shared/src/domain/ticket.js';
import type { QueueOrder, TicketStatus } from '../../../layers/shared/src/domain/ticket-vocabulary.js';
import { ApiError } from '../api/problem.js';
import { queuePath, type QueueQuery } from '../api/queries.js';
import { AGENT_COLUMNS, CUSTOMER_COLUMNS, QueueRow } from '../components/QueueRow.js';
import { ErrorNotice, Loading } from '../components/States.js';
import { QUEUE_PANEL_ID, StatusTabs, tabId } from '../components/StatusTabs.js';
import { labelOf } from '../format.js';
import { useFocusOnMount, useNow } from '../hooks.js';
import { queueHash, type QueueRoute } from '../route.js';
import { useSession } from '../session-context.js';

interface TicketPage {
  items: Ticket[];
  nextCursor: string | null;
}

/** Marked once per page load, when the first page of the queue is on screen: the console's time to first render. */
let queueRenderedMarked = false;

const toApiError = (error: unknown): ApiError =>
  error instanceof ApiError ? error : new ApiError(0, 'Something went wrong', String(error));

export function QueueView({ route }: { route: QueueRoute }) {
  const { status, sort, limit } = route;
  const { api, identity } = useSession();
  const agent = identity.agent;
  const query: QueueQuery = agent
    ? { role: 'agent', status, sort, ...(limit === undefined ? {} : { limit }) }
    : { role: 'customer', ...(limit === undefined ? {} : { limit }) };
  const firstPagePath = queuePath(query);

  const [items, setItems] = useState<Ticket[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState<'first' | 'more' | null>('first');
  const [error, setError] = useState<{ error: ApiError; retry: () => void } | null>(null);
  const latestRequest = useRef(0);
  const focusRowIndex = useRef<number | null>(null);
  const tableBody = useRef<HTMLTableSectionElement>(null);
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const now = useNow();

  const load = async (cursor: string | null) => {
    const request = ++latestRequest.current;
    setLoading(cursor === null ? 'first' : 'more');
    setError(null);
    try {
      const { body } = await api.get<TicketPage>(queuePath({ ...query, cursor }));
      if (request !== latestRequest.current) return;
      setItems((previous) => {
        if (cursor === null || previous === null) return body.items;
        focusRowIndex.current = previous.length;
        return [...previous, ...body.items];
      });
      setNextCursor(body.nextCursor);
    } catch (caught) {
      if (request !== latestRequest.current) return;
      setError({
        error: toApiError(caught),
        retry: () => {
          void load(cursor);
        },
      });
    } finally {
      if (request === latestRequest.current) setLoading(null);
    }
  };

  useEffect(() => {
    setItems(null);
    setNextCursor(null);
    void load(null);
    // The first page's path says everything the query depends on.
  }, [firstPagePath]);

  useEffect(() => {
    if (items === null) return;
    if (!queueRenderedMarked) {
      queueRenderedMarked = true;
      performance.mark('queue-rendered');
    }
    // After "Load more", keyboard users go on from the first new ticket.
    if (focusRowIndex.current !== null) {
      tableBody.current?.rows[focusRowIndex.current]?.querySelector('a')?.focus();
      focusRowIndex.current = null;
    }
  }, [items]);

  const columns = agent ? AGENT_COLUMNS : CUSTOMER_COLUMNS;
  const go = (nextStatus: TicketStatus, nextSort: QueueOrder) => {
    location.hash = queueHash({ status: nextStatus, sort: nextSort, ...(limit === undefined ? {} : { limit }) });
  };

  const results = (
    <>
      {items === null && loading === 'first' && <Loading label="Loading tickets…" />}
      {items !== null && items.length === 0 && (
        <div class="empty">
          <p>No tickets</p>
          {agent && <p class="muted">Nothing is {labelOf(status).toLowerCase()} right now.</p>}
        </div>
      )}
      {items !== null && items.length > 0 && (
        <table class="queue">
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody ref={tableBody}>
            {items.map((ticket) => (
              <QueueRow key={ticket.id} ticket={ticket} agent={agent} now={now} />
            ))}
          </tbody>
        </table>
      )}
      {error !== null && <ErrorNotice error={error.error} onRetry={error.retry} />}
      {items !== null && nextCursor !== null && (
        <p class="more">
          <button
            type="button"
            disabled={loading === 'more'}
            aria-busy={loading === 'more'}
            onClick={() => {
              void load(nextCursor);
            }}
          >
            Load more
          </button>
        </p>
      )}
    </>
  );

  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        Tickets
      </h1>
      {agent ? (
        <>
          <div class="queue-controls">
            <StatusTabs
              current={status}
              onSelect={(next) => {
                go(next, sort);
              }}
            />
            <div class="sort">
              <label for="queue-sort">Sort by</label>
              <select
                id="queue-sort"
                value={sort}
                onChange={(event) => {
                  go(status, event.currentTarget.value === 'due' ? 'due' : 'priority');
                }}
              >
                <option value="priority">Priority</option>
                <option value="due">Due time</option>
              </select>
            </div>
          </div>
          <div role="tabpanel" id={QUEUE_PANEL_ID} aria-labelledby={tabId(status)}>
            {results}
          </div>
        </>
      ) : (
        <>
          <p class="muted">Your tickets, newest first.</p>
          {results}
        </>
      )}
    </>
  );
}
