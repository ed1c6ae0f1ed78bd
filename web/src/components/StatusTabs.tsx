import { TICKET_STATUSES, type TicketStatus } from '../../../layers/shared/src/domain/ticket-vocabulary.js';
import { labelOf } from '../format.js';

export const tabId = (status: TicketStatus): string => `tab-${status}`;
export const QUEUE_PANEL_ID = 'queue-panel';

/**
 * The agent's status queues as tabs (WAI-ARIA tabs with automatic activation):
 * one tab stop, arrow keys, Home and End move between them and open the queue.
 */
export function StatusTabs({ current, onSelect }: { current: TicketStatus; onSelect: (status: TicketStatus) => void }) {
  const onKeyDown = (event: KeyboardEvent) => {
    const index = TICKET_STATUSES.indexOf(current);
    const last = TICKET_STATUSES.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? (index + 1) % TICKET_STATUSES.length
        : event.key === 'ArrowLeft'
          ? (index + last) % TICKET_STATUSES.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    const status = next === null ? undefined : TICKET_STATUSES[next];
    if (status === undefined) return;
    event.preventDefault();
    onSelect(status);
    document.getElementById(tabId(status))?.focus();
  };
  return (
    <div role="tablist" aria-label="Status" class="tabs" onKeyDown={onKeyDown}>
      {TICKET_STATUSES.map((status) => (
        <button
          key={status}
          type="button"
          role="tab"
          id={tabId(status)}
          aria-selected={status === current}
          aria-controls={QUEUE_PANEL_ID}
          tabIndex={status === current ? 0 : -1}
          onClick={() => {
            onSelect(status);
          }}
        >
          {labelOf(status)}
        </button>
      ))}
    </div>
  );
}
