import type { QueueOrder, TicketStatus } from '../../../layers/shared/src/domain/ticket-vocabulary.js';

/** How many tickets a page of the queue asks for. */
export const QUEUE_PAGE_SIZE = 25;
/** How many comments a page of the conversation asks for. */
export const COMMENTS_PAGE_SIZE = 50;

export type QueueQuery =
  | { role: 'agent'; status: TicketStatus; sort: QueueOrder; cursor?: string | null; limit?: number }
  | { role: 'customer'; cursor?: string | null; limit?: number };

/**
 * `GET /tickets?…` for a queue: an agent's status queue in triage order (the
 * API's default, so `sort` is left out) or by due time; a customer's own
 * tickets, newest first, which take neither status nor sort.
 */
export function queuePath(query: QueueQuery): string {
  const params = new URLSearchParams();
  if (query.role === 'agent') {
    params.set('status', query.status);
    if (query.sort === 'due') params.set('sort', 'due');
  }
  params.set('limit', String(query.limit ?? QUEUE_PAGE_SIZE));
  if (query.cursor) params.set('cursor', query.cursor);
  return `/tickets?${params.toString()}`;
}

export function commentsPath(ticketId: string, cursor: string | null = null): string {
  const params = new URLSearchParams({ limit: String(COMMENTS_PAGE_SIZE) });
  if (cursor) params.set('cursor', cursor);
  return `/tickets/${encodeURIComponent(ticketId)}/comments?${params.toString()}`;
}

export const ticketPath = (ticketId: string): string => `/tickets/${encodeURIComponent(ticketId)}`;
