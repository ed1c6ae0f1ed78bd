import type { DynamoDBRecord } from 'aws-lambda';

/*
 * Reads the table's stream records (template.yaml, TicketsTable's stream):
 * which ticket each one is about. The key layout lives here, next to the
 * repository that writes it, so nothing else has to know it.
 */

const TICKET_PK_PREFIX = 'TICKET#';
const TICKET_SK = 'TICKET';

export interface TicketStreamRecord {
  ticketId: string;
  /** What Lambda's partial batch response names a DynamoDB stream record by. */
  sequenceNumber: string;
}

/** The ticket items among `records`, in order, and how many records named no ticket at all. */
export function ticketIdsOfRecords(records: readonly DynamoDBRecord[]): {
  tickets: TicketStreamRecord[];
  malformed: number;
} {
  const tickets: TicketStreamRecord[] = [];
  let malformed = 0;
  for (const record of Array.isArray(records) ? records : []) {
    const change = (record as Partial<DynamoDBRecord> | null)?.dynamodb;
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
