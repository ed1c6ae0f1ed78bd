import {
  QUEUE_ORDERS,
  TICKET_STATUSES,
  type QueueOrder,
  type TicketStatus,
} from '../../layers/shared/src/domain/ticket-vocabulary.js';

/**
 * The console's routes live in the URL's hash (`#/queue/open?sort=due`,
 * `#/tickets/<id>`): the static host needs no fallback for deep links, and the
 * sign-in's callback is always the root.
 */
export interface QueueRoute {
  name: 'queue';
  status: TicketStatus;
  sort: QueueOrder;
}
export type Route = QueueRoute | { name: 'ticket'; id: string };

export const DEFAULT_ROUTE: QueueRoute = { name: 'queue', status: 'open', sort: 'priority' };

const isStatus = (value: string): value is TicketStatus => (TICKET_STATUSES as readonly string[]).includes(value);
const isOrder = (value: string): value is QueueOrder => (QUEUE_ORDERS as readonly string[]).includes(value);

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path.split('/').filter((part) => part !== '');
  if (parts[0] === 'tickets' && parts[1] !== undefined && parts.length === 2) {
    return { name: 'ticket', id: decodeURIComponent(parts[1]) };
  }
  if (parts[0] === 'queue') {
    const status = parts[1] !== undefined && isStatus(parts[1]) ? parts[1] : DEFAULT_ROUTE.status;
    const sort = new URLSearchParams(query).get('sort') ?? '';
    return { name: 'queue', status, sort: isOrder(sort) ? sort : 'priority' };
  }
  return DEFAULT_ROUTE;
}

export const queueHash = (status: TicketStatus, sort: QueueOrder): string =>
  `#/queue/${status}${sort === 'due' ? '?sort=due' : ''}`;

export const ticketHash = (id: string): string => `#/tickets/${encodeURIComponent(id)}`;
