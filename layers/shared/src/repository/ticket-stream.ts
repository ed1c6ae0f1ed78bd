import type { DynamoDBRecord } from 'aws-lambda';
import type { AnalysisSubject } from '../domain/comment-repository.js';
import { commentOfSortKey, TABLE_KEY_ATTRIBUTES, ticketKey } from './table-layout.js';

/*
 * Reads the table's stream records (template.yaml, TicketsTable's stream):
 * which ticket or comment each one is about, by the keys table-layout.ts
 * writes. The key layout is read here, next to the repository that writes
 * it, so nothing else has to know it.
 */

const [PARTITION_KEY, SORT_KEY] = TABLE_KEY_ATTRIBUTES;
/** Every ticket item's partition key starts so: it is the key of a ticket with an empty id. */
const TICKET_PARTITION_PREFIX = ticketKey('').pk;

/**
 * The ticket or comment whose item `record` is about; undefined for any other
 * item (a history entry, an idempotency record) and for a malformed record.
 * Typed as what may arrive: any part of a record may be missing.
 */
export function subjectOfStreamRecord(record: Partial<DynamoDBRecord> | null): AnalysisSubject | undefined {
  const keys = record?.dynamodb?.Keys;
  const pk = keys?.[PARTITION_KEY]?.S;
  const sk = keys?.[SORT_KEY]?.S;
  if (typeof pk !== 'string' || typeof sk !== 'string' || !pk.startsWith(TICKET_PARTITION_PREFIX)) return undefined;
  const ticketId = pk.slice(TICKET_PARTITION_PREFIX.length);
  if (ticketId === '' || ticketKey(ticketId).pk !== pk) return undefined;
  if (sk === ticketKey(ticketId).sk) return { kind: 'ticket', ticketId };
  const comment = commentOfSortKey(sk);
  return comment && { kind: 'comment', comment: { ticketId, ...comment } };
}
