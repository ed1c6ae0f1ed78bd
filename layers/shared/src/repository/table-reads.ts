import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CallerRole, Ticket, TicketWithHistory } from '../domain/ticket.js';
import type { IdempotencyRecord } from '../domain/ticket-repository.js';
import { unexpiredRecordFromItem } from './idempotency.js';
import { translatingErrors } from './sdk-errors.js';
import { HISTORY_SK_PREFIX, idempotencyKey, TICKET_SK, ticketKey, type Item } from './table-layout.js';
import { historyEntryFromItem, ticketFromItem } from './ticket-item.js';

/** Where the repository reads; every read is strongly consistent. */
export interface TicketTable {
  client: DynamoDBDocumentClient;
  tableName: string;
}

/** The ticket and its history as `seenBy`'s role sees them, oldest change first, from its partition (HISTORY# sorts before TICKET). */
export async function readTicketWithHistory(
  table: TicketTable,
  id: string,
  seenBy: CallerRole,
): Promise<TicketWithHistory | null> {
  const items = await readPartition(table, id);
  const ticketItem = items.find((item) => item.sk === TICKET_SK);
  if (!ticketItem) return null;
  const history = items
    .filter((item) => typeof item.sk === 'string' && item.sk.startsWith(HISTORY_SK_PREFIX))
    .map(historyEntryFromItem);
  return { ...ticketFromItem(ticketItem, seenBy), history };
}

/** The ticket alone, as `seenBy`'s role sees it. */
export async function readTicket(
  { client, tableName }: TicketTable,
  id: string,
  seenBy: CallerRole,
): Promise<Ticket | null> {
  const { Item } = await translatingErrors(
    client.send(new GetCommand({ TableName: tableName, Key: ticketKey(id), ConsistentRead: true })),
  );
  return Item ? ticketFromItem(Item, seenBy) : null;
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

/** Every item of a ticket's partition: one Query, unless the history outgrows a Query's 1 MB page. */
async function readPartition({ client, tableName }: TicketTable, id: string): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await translatingErrors(
      client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': ticketKey(id).pk },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}
