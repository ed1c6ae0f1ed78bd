import type { HistoryEntry, TicketWithHistory } from '../../../layers/shared/src/domain/ticket.js';
import { formatInstant, formatValue } from '../format.js';

const FIELD_NAMES: Record<HistoryEntry['changes'][number]['field'], string> = {
  status: 'status',
  priority: 'priority',
  assigneeId: 'assignee',
  category: 'category',
  tags: 'tags',
  analysis: 'analysis',
};

/** Who changed what and when, oldest first, starting with the ticket's creation. */
export function HistoryList({ ticket }: { ticket: TicketWithHistory }) {
  return (
    <ol class="history">
      <li>
        <time dateTime={ticket.createdAt}>{formatInstant(ticket.createdAt)}</time> created by {ticket.requester.id}
      </li>
      {ticket.history.map((entry) => (
        <li key={entry.version}>
          <time dateTime={entry.at}>{formatInstant(entry.at)}</time> {entry.by.id}{' '}
          <span class="muted">({entry.by.role})</span>
          <ul class="plain">
            {entry.changes.map((change) => (
              <li key={change.field}>
                {FIELD_NAMES[change.field]}: {formatValue(change.from)} → {formatValue(change.to)}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}
