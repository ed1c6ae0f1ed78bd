import {
  QUEUE_ORDERS,
  TICKET_ID_PATTERN,
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
  /** The page size, when the address sets one (`?limit=10`, 1–100); the console's own otherwise. */
  limit?: number;
}
export type Route = QueueRoute | { name: 'ticket'; id: string };

export const DEFAULT_ROUTE: QueueRoute = { name: 'queue', status: 'open', sort: 'priority' };

const isStatus = (value: string): value is TicketStatus => (TICKET_STATUSES as readonly string[]).includes(value);
const isOrder = (value: string): value is QueueOrder => (QUEUE_ORDERS as readonly string[]).includes(value);
const TICKET_ID = new RegExp(TICKET_ID_PATTERN);

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path.split('/').filter((part) => part !== '');
  // Only a ticket id (a ULID, which needs no decoding) names a ticket: anything else, a malformed
  // escape or a path segment such as `..` among them, never reaches the API's paths.
  if (parts[0] === 'tickets' && parts[1] !== undefined && parts.length === 2) {
    return TICKET_ID.test(parts[1]) ? { name: 'ticket', id: parts[1] } : DEFAULT_ROUTE;
  }
  if (parts[0] !== 'queue' && parts.length > 0) return DEFAULT_ROUTE;
  const status = parts[1] !== undefined && isStatus(parts[1]) ? parts[1] : DEFAULT_ROUTE.status;
  const params = new URLSearchParams(query);
  const sort = params.get('sort') ?? '';
  const limit = params.get('limit') ?? '';
  return {
    name: 'queue',
    status,
    sort: isOrder(sort) ? sort : DEFAULT_ROUTE.sort,
    ...(/^[1-9]\d{0,2}$/.test(limit) && Number(limit) <= 100 ? { limit: Number(limit) } : {}),
  };
}

export function queueHash({ status, sort, limit }: Omit<QueueRoute, 'name'>): string {
  const params = new URLSearchParams();
  if (sort !== DEFAULT_ROUTE.sort) params.set('sort', sort);
  if (limit !== undefined) params.set('limit', String(limit));
  const query = params.toString();
  return `#/queue/${status}${query === '' ? '' : `?${query}`}`;
}

export const ticketHash = (id: string): string => `#/tickets/${encodeURIComponent(id)}`;
