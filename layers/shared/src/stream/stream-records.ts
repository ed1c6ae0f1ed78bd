import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { AnalysisSubject } from '../domain/comment-repository.js';
import { logger } from '../logger.js';

/*
 * Reads a batch of the table's stream records as the tickets and comments
 * they name, and answers Lambda's partial batch response. Which ticket or
 * comment a record names is the repository's to say (its key layout): the
 * composition root hands that reading in. What is done with them works with
 * their ids.
 */

/** What a stream record is about, or undefined when it names no ticket or comment. Typed as what may arrive. */
export type SubjectOfRecord = (record: Partial<DynamoDBRecord> | null) => AnalysisSubject | undefined;

/** Works through the subjects a batch names; answers those still owed work, to be retried. */
export type SubjectsProcessor = (subjects: AnalysisSubject[]) => Promise<readonly AnalysisSubject[]>;

export interface SubjectStreamRecord {
  subject: AnalysisSubject;
  /** What Lambda's partial batch response names a DynamoDB stream record by. */
  sequenceNumber: string;
}

/** One key per ticket or comment, so that records naming the same one are worked through once. */
export const subjectKey = (subject: AnalysisSubject) =>
  subject.kind === 'ticket'
    ? `ticket ${subject.ticketId}`
    : `comment ${subject.comment.ticketId} ${subject.comment.id}`;

/**
 * The records among `records` that name a ticket or a comment, in order, and
 * how many named none at all or cannot be retried by name (no sequence number).
 */
export function subjectsOfRecords(
  records: readonly (Partial<DynamoDBRecord> | null)[],
  subjectOf: SubjectOfRecord,
): { named: SubjectStreamRecord[]; malformed: number } {
  const named: SubjectStreamRecord[] = [];
  let malformed = 0;
  for (const record of records) {
    const subject = subjectOf(record);
    const sequenceNumber = record?.dynamodb?.SequenceNumber;
    if (subject === undefined || typeof sequenceNumber !== 'string') {
      malformed += 1;
      continue;
    }
    named.push({ subject, sequenceNumber });
  }
  return { named, malformed };
}

/**
 * Works through the tickets and comments a batch of stream records names,
 * each once, and answers with Lambda's partial batch response: the sequence
 * numbers of the records whose subject `processSubjects` reports as still
 * owed work, so that Lambda retries from the first of them. Records that name
 * neither are logged and passed over: retrying them could never succeed.
 */
export async function batchResponseFor(
  records: readonly DynamoDBRecord[],
  subjectOf: SubjectOfRecord,
  processSubjects: SubjectsProcessor,
): Promise<DynamoDBBatchResponse> {
  const { named, malformed } = subjectsOfRecords(records, subjectOf);
  if (malformed > 0) logger.error('Stream records without a ticket or comment were skipped', { malformed });
  const distinct = new Map(named.map(({ subject }) => [subjectKey(subject), subject]));
  const retry = new Set((await processSubjects([...distinct.values()])).map(subjectKey));
  const batchItemFailures = named
    .filter(({ subject }) => retry.has(subjectKey(subject)))
    .map(({ sequenceNumber }) => ({ itemIdentifier: sequenceNumber }));
  return { batchItemFailures };
}
