import type { DynamoDBRecord } from 'aws-lambda';
import { TABLE_KEY_ATTRIBUTES, ticketKey } from './table-layout.js';

/*
 * Reads the table's stream records (template.yaml, TicketsTable's stream):
 * which ticket each one is about, by the ticket item's key as table-layout.ts
 * writes it. The key layout is read here, next to the repository that writes
 * it, so nothing else has to know it.
 */

const [PARTITION_KEY, SORT_KEY] = TABLE_KEY_ATTRIBUTES;
/** Every ticket item's partition key starts so: it is the key of a ticket with an empty id. */
const TICKET_PARTITION_PREFIX = ticketKey('').pk;

/**
 * The id of the ticket whose item `record` is about; undefined for any other
 * item (a history entry, an idempotency record) and for a malformed record.
 * Typed as what may arrive: any part of a record may be missing.
 */
export function ticketIdOfStreamRecord(record: Partial<DynamoDBRecord> | null): string | undefined {
  const keys = record?.dynamodb?.Keys;
  const pk = keys?.[PARTITION_KEY]?.S;
  const sk = keys?.[SORT_KEY]?.S;
  if (typeof pk !== 'string' || !pk.startsWith(TICKET_PARTITION_PREFIX)) return undefined;
  const ticketId = pk.slice(TICKET_PARTITION_PREFIX.length);
  const written = ticketKey(ticketId);
  return ticketId !== '' && written.pk === pk && written.sk === sk ? ticketId : undefined;
}
