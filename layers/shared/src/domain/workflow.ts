import { ConflictError, ForbiddenError } from './errors.js';
import type { Caller, CommentVisibility, Ticket, TicketStatus } from './ticket.js';
import type { TicketChanges } from './ticket-inputs.js';

/** Agents see every ticket; a customer only their own (another's is answered as missing). */
export function canSee(caller: Caller, ticket: Ticket): boolean {
  return caller.role === 'agent' || ticket.requester.id === caller.id;
}

/**
 * The status workflow. Agents may move a ticket between any two statuses except
 * out of `closed`, which is final. A requester may only close their own ticket
 * or reopen a resolved one, and may change nothing else.
 */
export function assertChangeAllowed(caller: Caller, ticket: Ticket, changes: TicketChanges): void {
  if (caller.role !== 'agent') {
    assertRequesterChange(ticket, changes);
  }
  if (ticket.status === 'closed' && changedFields(ticket, changes).length > 0) {
    throw new ConflictError('The ticket is closed; a closed ticket cannot be reopened or changed.');
  }
}

function assertRequesterChange(ticket: Ticket, changes: TicketChanges): void {
  const { status, ...others } = changes;
  const changedOthers = changedFields(ticket, others);
  if (changedOthers.length > 0) {
    throw new ForbiddenError(`Only an agent may change ${changedOthers.join(', ')}.`);
  }
  if (status === undefined || status === ticket.status) return;
  if (status === 'closed' || (ticket.status === 'resolved' && status === 'open')) return;
  throw new ForbiddenError(
    `A requester may only close their ticket or reopen a resolved one, not move it from ${ticket.status} to ${status}.`,
  );
}

/**
 * The fields an update writes: those whose requested value differs, and,
 * while the ticket's analysis is pending, the priority and category an agent
 * sends even unchanged. The analysis has not decided them yet, so the agent's
 * choice is recorded in the history, and completing the analysis keeps it.
 */
export function fieldsToWrite(caller: Caller, ticket: Ticket, changes: TicketChanges): (keyof TicketChanges)[] {
  const fields = changedFields(ticket, changes);
  if (caller.role !== 'agent' || ticket.analysis.status !== 'pending' || ticket.status === 'closed') return fields;
  const confirmed = (['priority', 'category'] as const).filter(
    (field) => changes[field] !== undefined && !fields.includes(field),
  );
  return [...fields, ...confirmed];
}

/** The fields whose requested value differs from the ticket's current one. */
export function changedFields(ticket: Ticket, changes: TicketChanges): (keyof TicketChanges)[] {
  return (Object.keys(changes) as (keyof TicketChanges)[]).filter(
    (field) => changes[field] !== undefined && !sameValue(ticket[field], changes[field]),
  );
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((value, index) => value === b[index]);
  }
  return a === b;
}

/**
 * Whether `caller`, who may see `ticket`, may comment on it: a requester
 * only publicly (an internal note is an agent's), and nobody on a closed ticket.
 */
export function assertCommentAllowed(caller: Caller, ticket: Ticket, visibility: CommentVisibility): void {
  if (caller.role !== 'agent' && visibility === 'internal') {
    throw new ForbiddenError('Only an agent may add an internal note.');
  }
  if (ticket.status === 'closed') {
    throw new ConflictError('The ticket is closed; a closed ticket takes no more comments.');
  }
}

/**
 * Status follows the conversation: an agent's public reply waits on the
 * customer, and the requester's answer puts the ticket back in the queue.
 * Null when the comment leaves the status as it is.
 */
export function statusAfterComment(caller: Caller, ticket: Ticket, visibility: CommentVisibility): TicketStatus | null {
  if (caller.role === 'agent') {
    const awaitingAgent = ticket.status === 'open' || ticket.status === 'in_progress';
    return visibility === 'public' && awaitingAgent ? 'waiting_on_customer' : null;
  }
  const awaitingCustomer = ticket.status === 'waiting_on_customer' || ticket.status === 'resolved';
  return ticket.requester.id === caller.id && awaitingCustomer ? 'open' : null;
}
