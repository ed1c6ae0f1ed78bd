import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { logger } from '../logger.js';

/*
 * Reads a batch of the table's stream records as the tickets they name, and
 * answers Lambda's partial batch response. Which ticket a record names is
 * the repository's to say (its key layout): the composition root hands that
 * reading in. What is done with the tickets works with their ids.
 */

/** The id of the ticket a stream record is about, or undefined when it names none. Typed as what may arrive. */
export type TicketIdOfRecord = (record: Partial<DynamoDBRecord> | null) => string | undefined;

/** Works through the tickets a batch names; answers the ids of those still owed work, to be retried. */
export type TicketsProcessor = (ticketIds: string[]) => Promise<readonly string[]>;

export interface TicketStreamRecord {
  ticketId: string;
  /** What Lambda's partial batch response names a DynamoDB stream record by. */
  sequenceNumber: string;
}

/**
 * The records among `records` that name a ticket, in order, and how many
 * named no ticket at all or cannot be retried by name (no sequence number).
 */
export function ticketIdsOfRecords(
  records: readonly (Partial<DynamoDBRecord> | null)[],
  ticketIdOf: TicketIdOfRecord,
): { tickets: TicketStreamRecord[]; malformed: number } {
  const tickets: TicketStreamRecord[] = [];
  let malformed = 0;
  for (const record of records) {
    const ticketId = ticketIdOf(record);
    const sequenceNumber = record?.dynamodb?.SequenceNumber;
    if (ticketId === undefined || typeof sequenceNumber !== 'string') {
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
  ticketIdOf: TicketIdOfRecord,
  processTickets: TicketsProcessor,
): Promise<DynamoDBBatchResponse> {
  const { tickets, malformed } = ticketIdsOfRecords(records, ticketIdOf);
  if (malformed > 0) logger.error('Stream records without a ticket were skipped', { malformed });
  const retry = new Set(await processTickets([...new Set(tickets.map((ticket) => ticket.ticketId))]));
  const batchItemFailures = tickets
    .filter((ticket) => retry.has(ticket.ticketId))
    .map((ticket) => ({ itemIdentifier: ticket.sequenceNumber }));
  return { batchItemFailures };
}
