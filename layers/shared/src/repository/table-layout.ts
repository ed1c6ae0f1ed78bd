import { createHash } from 'node:crypto';
import { nextDueAt, type ServiceLevelClock } from '../domain/service-levels.js';
import { COMMENT_VISIBILITIES, priorityRank, type CommentVisibility, type Ticket } from '../domain/ticket.js';

/*
 * The single-table layout (template.yaml, TicketsTable):
 *
 *   ticket       pk TICKET#<id>                      sk TICKET            + the index keys below
 *   history      pk TICKET#<id>                      sk HISTORY#<version, 10 digits>
 *   comment      pk TICKET#<id>                      sk COMMENT#PUBLIC#<comment id, a ULID>    a reply
 *                                                    sk COMMENT#INTERNAL#<comment id, a ULID>  an agents' note
 *   idempotency  pk IDEMPOTENCY#<requester>#<sha256> sk IDEMPOTENCY       expiresAt (TTL)
 *     of a comment  pk IDEMPOTENCY#<author>#<sha256> sk IDEMPOTENCY#COMMENT#<ticket id>  expiresAt (TTL)
 *
 * A ticket, its history and its comments share a partition. COMMENT# sorts
 * before HISTORY# and TICKET, so one Query from HISTORY# on reads the ticket
 * with its history. Public comments and internal notes have prefixes of
 * their own, so a customer's Query of COMMENT#PUBLIC# never reads a note,
 * and an agent's merges both by id (ULIDs sort by time). Only ticket items
 * carry index keys, so the indexes hold tickets alone:
 *
 *   byRequester  gsi1pk REQUESTER#<requester id>  gsi1sk <createdAt>#<id>
 *   byStatus     gsi2pk STATUS#<status>           gsi2sk <priority rank>#<createdAt>#<id>
 *   byCreated    gsi3pk TICKET                    gsi3sk <createdAt>#<id>
 *   byDue        gsi2pk STATUS#<status>           gsi4sk <next due time>#<id>
 *
 * The next due time is the first response's until an agent has replied
 * publicly, then the resolution's (domain/service-levels.ts).
 */

/** An item as the document client reads and writes it (attribute values already unmarshalled). */
export type Item = Record<string, unknown>;

export interface IndexDefinition {
  name: string;
  hashKey: string;
  rangeKey: string;
}

export const INDEXES = {
  byRequester: { name: 'byRequester', hashKey: 'gsi1pk', rangeKey: 'gsi1sk' },
  byStatus: { name: 'byStatus', hashKey: 'gsi2pk', rangeKey: 'gsi2sk' },
  byCreated: { name: 'byCreated', hashKey: 'gsi3pk', rangeKey: 'gsi3sk' },
  byDue: { name: 'byDue', hashKey: 'gsi2pk', rangeKey: 'gsi4sk' },
} as const satisfies Record<string, IndexDefinition>;

export const TICKET_SK = 'TICKET';
export const HISTORY_SK_PREFIX = 'HISTORY#';
export const COMMENT_SK_PREFIX = 'COMMENT#';
const IDEMPOTENCY_SK = 'IDEMPOTENCY';
export const TABLE_KEY_ATTRIBUTES = ['pk', 'sk'] as const;

/** The table's own key, for paging a Query on the table as on an index. */
export const TABLE_KEY = { hashKey: 'pk', rangeKey: 'sk' } as const;

/** The partition of every ticket in the byCreated index. */
export const ALL_TICKETS_PARTITION = TICKET_SK;
export const requesterPartition = (requesterId: string) => `REQUESTER#${requesterId}`;
export const statusPartition = (status: Ticket['status']) => `STATUS#${status}`;
/** A byStatus range key prefix: the tickets of one priority within a status partition. */
export const priorityPrefix = (priority: Ticket['priority']) => `${priorityRank(priority)}#`;

export const ticketKey = (id: string) => ({ pk: `TICKET#${id}`, sk: TICKET_SK });

export const historyKey = (id: string, version: number) => ({
  pk: `TICKET#${id}`,
  sk: `${HISTORY_SK_PREFIX}${String(version).padStart(10, '0')}`,
});

export const ticketPartition = (id: string) => ticketKey(id).pk;

const COMMENT_VISIBILITY_PREFIXES = {
  public: `${COMMENT_SK_PREFIX}PUBLIC#`,
  internal: `${COMMENT_SK_PREFIX}INTERNAL#`,
} as const satisfies Record<CommentVisibility, string>;

/** The sort key prefix of a ticket's comments of one visibility. */
export const commentSortKeyPrefix = (visibility: CommentVisibility) => COMMENT_VISIBILITY_PREFIXES[visibility];

export const commentKey = (ticketId: string, commentId: string, visibility: CommentVisibility) => ({
  pk: ticketPartition(ticketId),
  sk: `${commentSortKeyPrefix(visibility)}${commentId}`,
});

/** The visibilities (hence key prefixes) a view reads: nothing in a request can add internal notes to a customer's. */
export const visibilitiesIn = (view: 'all' | 'public'): readonly CommentVisibility[] =>
  view === 'all' ? COMMENT_VISIBILITIES : ['public'];

/** The comment a sort key names (its id and visibility), or undefined when it names no comment. */
export function commentOfSortKey(sk: string): { id: string; visibility: CommentVisibility } | undefined {
  for (const visibility of COMMENT_VISIBILITIES) {
    const prefix = commentSortKeyPrefix(visibility);
    if (sk.startsWith(prefix) && sk.length > prefix.length) return { id: sk.slice(prefix.length), visibility };
  }
  return undefined;
}

/** The client's key is hashed: it is arbitrary text of arbitrary length. */
const idempotencyPartition = (callerId: string, key: string) =>
  `IDEMPOTENCY#${callerId}#${createHash('sha256').update(key, 'utf8').digest('hex')}`;

export const idempotencyKey = (requesterId: string, key: string) => ({
  pk: idempotencyPartition(requesterId, key),
  sk: IDEMPOTENCY_SK,
});

/** A comment's key is its author's for that ticket alone: the same key on another ticket is another request. */
export const commentIdempotencyKey = (authorId: string, ticketId: string, key: string) => ({
  pk: idempotencyPartition(authorId, key),
  sk: `${IDEMPOTENCY_SK}#${COMMENT_SK_PREFIX}${ticketId}`,
});

/** byStatus orders a status's tickets by priority rank, then oldest first. */
export const statusRangeKey = (priority: Ticket['priority'], createdAt: string, id: string) =>
  `${priorityPrefix(priority)}${createdAt}#${id}`;

/** byDue orders a status's tickets by the next due time they must meet, earliest first. */
export const dueRangeKey = (ticket: Pick<Ticket, 'id' | 'firstResponseAt'> & { sla: ServiceLevelClock }) =>
  `${nextDueAt(ticket.sla, ticket.firstResponseAt)}#${ticket.id}`;

/** The table key and the index keys of a ticket item, recomputed on every write. */
export function ticketItemKeys(ticket: Ticket): Item {
  const createdThenId = `${ticket.createdAt}#${ticket.id}`;
  return {
    ...ticketKey(ticket.id),
    [INDEXES.byRequester.hashKey]: requesterPartition(ticket.requester.id),
    [INDEXES.byRequester.rangeKey]: createdThenId,
    [INDEXES.byStatus.hashKey]: statusPartition(ticket.status),
    [INDEXES.byStatus.rangeKey]: statusRangeKey(ticket.priority, ticket.createdAt, ticket.id),
    [INDEXES.byCreated.hashKey]: ALL_TICKETS_PARTITION,
    [INDEXES.byCreated.rangeKey]: createdThenId,
    [INDEXES.byDue.rangeKey]: dueRangeKey(ticket),
  };
}
