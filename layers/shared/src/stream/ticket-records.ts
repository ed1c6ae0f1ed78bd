import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { logger } from '../logger.js';

/*
 * Reads the table's stream records (template.yaml, TicketsTable's stream):
 * which ticket each one is about, by the ticket item's key as the
 * repository writes it. What is done with the tickets works with their ids.
 */

const TICKET_PK_PREFIX = 'TICKET#';
const TICKET_SK = 'TICKET';

export interface TicketStreamRecord {
  ticketId: string;
  /** What Lambda's partial batch response names a DynamoDB stream record by. */
  sequenceNumber: string;
}

/**
 * The ticket items among `records`, in order, and how many records named no
 * ticket at all. Typed as what may arrive: any part of a record may be missing.
 */
export function ticketIdsOfRecords(records: readonly (Partial<DynamoDBRecord> | null)[]): {
  tickets: TicketStreamRecord[];
  malformed: number;
} {
  const tickets: TicketStreamRecord[] = [];
  let malformed = 0;
  for (const record of records) {
    const change = record?.dynamodb;
    const pk = change?.Keys?.pk?.S;
    const sk = change?.Keys?.sk?.S;
    const sequenceNumber = change?.SequenceNumber;
    if (
      typeof pk !== 'string' ||
      !pk.startsWith(TICKET_PK_PREFIX) ||
      sk !== TICKET_SK ||
      typeof sequenceNumber !== 'string'
    ) {
      malformed += 1;
      continue;
    }
    const ticketId = pk.slice(TICKET_PK_PREFIX.length);
    if (ticketId === '') {
      malformed += 1;
      continue;
    }
    tickets.push({ ticketId, sequenceNumber });
  }
  return { tickets, malformed };
}

/**
 * Works through the tickets a batch of stream records names, each once, and
 * answers with Lambda's partial batch response: the sequence numbers of the
 * records whose ticket `processTickets` reports as still owed work, so that
 * Lambda retries from the first of them. Records that name no ticket are
 * logged and passed over: retrying them could never succeed.
 */
export async function batchResponseFor(
  records: readonly DynamoDBRecord[],
  processTickets: (ticketIds: string[]) => Promise<readonly string[]>,
): Promise<DynamoDBBatchResponse> {
  const { tickets, malformed } = ticketIdsOfRecords(records);
  if (malformed > 0) logger.error('Stream records without a ticket were skipped', { malformed });
  const retry = new Set(await processTickets([...new Set(tickets.map((ticket) => ticket.ticketId))]));
  const batchItemFailures = tickets
    .filter((ticket) => retry.has(ticket.ticketId))
    .map((ticket) => ({ itemIdentifier: ticket.sequenceNumber }));
  return { batchItemFailures };
}
