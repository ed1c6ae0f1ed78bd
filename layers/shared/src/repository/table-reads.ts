import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CommentLookup } from '../domain/comment-repository.js';
import type { Comment } from '../domain/comment-schema.js';
import type { CallerRole, HistoryEntry, Ticket, TicketWithHistory } from '../domain/ticket.js';
import type { IdempotencyRecord } from '../domain/ticket-repository.js';
import { commentFromItem, unexpiredCommentRecordFromItem, type CommentIdempotencyRecord } from './comment-item.js';
import { unexpiredRecordFromItem } from './idempotency.js';
import { RESPONSE_ENTRIES_BUDGET_BYTES, responseBytes } from './response-size.js';
import { translatingErrors } from './sdk-errors.js';
import {
  commentIdempotencyKey,
  commentKey,
  HISTORY_SK_PREFIX,
  idempotencyKey,
  TICKET_SK,
  ticketKey,
  visibilitiesIn,
  type Item,
} from './table-layout.js';
import { historyEntryFromItem, ticketFromItem } from './ticket-item.js';

/** Where the repository reads; every read is strongly consistent. */
export interface TicketTable {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** The clock a ticket's service levels are read against (which targets are breached); the system's by default. */
  now?: () => Date;
}

/**
 * The ticket and its history as `seenBy`'s role sees them, oldest change
 * first, from its partition (HISTORY# sorts before TICKET). Every update adds
 * an entry and nothing bounds how many a ticket gets, so the history is read
 * newest first and holds the most recent entries that fit in one response
 * with the ticket (response-size.ts): a ticket with thousands of changes
 * answers with its latest ones rather than not at all. `wholeHistory` reads
 * all of it, for decisions that are never answered to a client.
 */
export async function readTicketWithHistory(
  table: TicketTable,
  id: string,
  seenBy: CallerRole,
  { wholeHistory = false } = {},
): Promise<TicketWithHistory | null> {
  let ticket: Ticket | undefined;
  const history: HistoryEntry[] = [];
  let bytes = 0;
  // TICKET sorts after every HISTORY# key, so newest first the ticket comes before its history.
  for await (const item of readPartitionNewestFirst(table, id)) {
    if (item.sk === TICKET_SK) {
      ticket = ticketFromItem(item, seenBy, table.now?.() ?? new Date());
      bytes = responseBytes(ticket);
    } else if (ticket && typeof item.sk === 'string' && item.sk.startsWith(HISTORY_SK_PREFIX)) {
      const entry = historyEntryFromItem(item);
      bytes += responseBytes(entry) + 1;
      if (!wholeHistory && bytes > RESPONSE_ENTRIES_BUDGET_BYTES) break;
      history.push(entry);
    }
  }
  if (!ticket) return null;
  return { ...ticket, history: history.reverse() };
}

/** The ticket alone, as `seenBy`'s role sees it. */
export async function readTicket(
  { client, tableName, now }: TicketTable,
  id: string,
  seenBy: CallerRole,
): Promise<Ticket | null> {
  const { Item } = await translatingErrors(
    client.send(new GetCommand({ TableName: tableName, Key: ticketKey(id), ConsistentRead: true })),
  );
  return Item ? ticketFromItem(Item, seenBy, now?.() ?? new Date()) : null;
}

/** The record an earlier create with this key left, unless it has expired. */
export async function readIdempotencyRecord(
  { client, tableName }: TicketTable,
  requesterId: string,
  key: string,
  nowSeconds: number,
): Promise<IdempotencyRecord | null> {
  const { Item } = await translatingErrors(
    client.send(new GetCommand({ TableName: tableName, Key: idempotencyKey(requesterId, key), ConsistentRead: true })),
  );
  return Item ? unexpiredRecordFromItem(Item, nowSeconds) : null;
}

/** One comment of a ticket, or null; its visibility says under which key it is stored. */
export async function readComment(
  { client, tableName }: TicketTable,
  { ticketId, id, visibility }: Pick<Comment, 'ticketId' | 'id' | 'visibility'>,
): Promise<Comment | null> {
  const { Item } = await translatingErrors(
    client.send(
      new GetCommand({ TableName: tableName, Key: commentKey(ticketId, id, visibility), ConsistentRead: true }),
    ),
  );
  return Item ? commentFromItem(Item) : null;
}

/**
 * One comment of a ticket in the view asked for, whichever of the view's keys
 * it is under, or null. The keys are read at once: a customer's view has the
 * public key alone, so an internal note is never read for them.
 */
export async function readCommentInView(
  table: TicketTable,
  { ticketId, id, visibility }: CommentLookup,
): Promise<Comment | null> {
  const found = await Promise.all(
    visibilitiesIn(visibility).map((kept) => readComment(table, { ticketId, id, visibility: kept })),
  );
  return found.find((comment) => comment !== null) ?? null;
}

/** The record an earlier add of a comment with this key left, unless it has expired. */
export async function readCommentIdempotencyRecord(
  { client, tableName }: TicketTable,
  { authorId, ticketId, key }: { authorId: string; ticketId: string; key: string },
  nowSeconds: number,
): Promise<CommentIdempotencyRecord | null> {
  const { Item } = await translatingErrors(
    client.send(
      new GetCommand({
        TableName: tableName,
        Key: commentIdempotencyKey(authorId, ticketId, key),
        ConsistentRead: true,
      }),
    ),
  );
  return Item ? unexpiredCommentRecordFromItem(Item, nowSeconds) : null;
}

/**
 * The ticket's item, then its history's items newest first: one Query page at
 * a time (a page holds at most 1 MB), so a reader that stops early reads no
 * further.
 */
async function* readPartitionNewestFirst({ client, tableName }: TicketTable, id: string): AsyncGenerator<Item> {
  let startKey: Item | undefined;
  do {
    const page = await translatingErrors(
      client.send(
        new QueryCommand({
          TableName: tableName,
          // From HISTORY# on: the ticket and its history, not its comments (COMMENT# sorts before).
          KeyConditionExpression: 'pk = :pk AND sk >= :history',
          ExpressionAttributeValues: { ':pk': ticketKey(id).pk, ':history': HISTORY_SK_PREFIX },
          ScanIndexForward: false,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    yield* page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
