import type { DynamoDBRecord } from 'aws-lambda';
import type { AnalysisSubject } from '../domain/comment-repository.js';
import { commentOfSortKey, HISTORY_SK_PREFIX, TABLE_KEY_ATTRIBUTES, ticketKey } from './table-layout.js';

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
  const ticketId = typeof pk === 'string' ? ticketIdOfPartition(pk) : undefined;
  if (ticketId === undefined || typeof sk !== 'string') return undefined;
  if (sk === ticketKey(ticketId).sk) return { kind: 'ticket', ticketId };
  const comment = commentOfSortKey(sk);
  return comment && { kind: 'comment', comment: { ticketId, ...comment } };
}

/** Which item of a ticket's partition a record's keys name (for the events it becomes); undefined for any other item. */
export function itemOfStreamKeys(
  pk: string,
  sk: string,
): { kind: 'ticket' | 'history' | 'comment'; ticketId: string } | undefined {
  const ticketId = ticketIdOfPartition(pk);
  if (ticketId === undefined) return undefined;
  if (sk === ticketKey(ticketId).sk) return { kind: 'ticket', ticketId };
  if (sk.startsWith(HISTORY_SK_PREFIX)) return { kind: 'history', ticketId };
  if (commentOfSortKey(sk)) return { kind: 'comment', ticketId };
  return undefined;
}

function ticketIdOfPartition(pk: string): string | undefined {
  if (!pk.startsWith(TICKET_PARTITION_PREFIX)) return undefined;
  const ticketId = pk.slice(TICKET_PARTITION_PREFIX.length);
  return ticketId !== '' && ticketKey(ticketId).pk === pk ? ticketId : undefined;
}
