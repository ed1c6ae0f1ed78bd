import type { Ticket } from '../../../layers/shared/src/domain/ticket.js';
import { dueState, formatInstant, humanDuration, labelOf } from '../format.js';
import { ticketHash } from '../route.js';
import { SignalChips } from './SignalChips.js';

/** The queue's columns, per role: agents triage; customers follow their own tickets. */
export const AGENT_COLUMNS = ['Subject', 'Requester', 'Age', 'Priority', 'Category', 'Sentiment', 'Due', 'Signals'];
export const CUSTOMER_COLUMNS = ['Subject', 'Status', 'Age', 'Due'];
/** A row shows the first few signals behind the priority; the ticket shows them all. */
const QUEUE_SIGNALS_SHOWN = 3;

function DueCell({ ticket, now }: { ticket: Ticket; now: number }) {
  const due = dueState(ticket, now);
  return (
    <td data-label="Due" class={due.overdue ? 'due overdue' : 'due'}>
      <time dateTime={due.at} title={formatInstant(due.at)}>
        {due.text}
      </time>
    </td>
  );
}

function AgeCell({ ticket, now }: { ticket: Ticket; now: number }) {
  return (
    <td data-label="Age">
      <time dateTime={ticket.createdAt} title={formatInstant(ticket.createdAt)}>
        {humanDuration(now - Date.parse(ticket.createdAt))}
      </time>
    </td>
  );
}

function sentimentText(ticket: Ticket): string {
  if (ticket.analysis.sentiment !== null) return labelOf(ticket.analysis.sentiment.label);
  return ticket.analysis.status === 'pending' ? 'Pending' : '—';
}

/** One ticket of the queue. Every text is a text node: a subject holding markup shows as that markup. */
export function QueueRow({ ticket, agent, now }: { ticket: Ticket; agent: boolean; now: number }) {
  const subject = (
    <td data-label="Subject" class="subject">
      <a href={ticketHash(ticket.id)}>{ticket.subject}</a>
    </td>
  );
  if (!agent) {
    return (
      <tr>
        {subject}
        <td data-label="Status">
          <span class={`status status-${ticket.status}`}>{labelOf(ticket.status)}</span>
        </td>
        <AgeCell ticket={ticket} now={now} />
        <DueCell ticket={ticket} now={now} />
      </tr>
    );
  }
  return (
    <tr>
      {subject}
      <td data-label="Requester" class="requester">
        {ticket.requester.email ?? ticket.requester.id}
      </td>
      <AgeCell ticket={ticket} now={now} />
      <td data-label="Priority">
        <span class={`priority priority-${ticket.priority}`}>{labelOf(ticket.priority)}</span>
      </td>
      <td data-label="Category">{labelOf(ticket.category)}</td>
      <td data-label="Sentiment">
        <span class={`sentiment sentiment-${ticket.analysis.sentiment?.label.toLowerCase() ?? 'none'}`}>
          {sentimentText(ticket)}
        </span>
      </td>
      <DueCell ticket={ticket} now={now} />
      <td data-label="Signals" class="signals">
        <SignalChips signals={ticket.analysis.signals.priority} limit={QUEUE_SIGNALS_SHOWN} />
      </td>
    </tr>
  );
}
