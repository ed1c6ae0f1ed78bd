import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../logger.js';
import { batchResponseFor, type SubjectOfRecord, type SubjectsProcessor } from './stream-records.js';

/**
 * The middleware stack of the functions that consume the table's stream
 * (the HTTP functions have theirs in http/http-handler.ts): logger context,
 * then the tickets and comments the batch's records name, read with `subjectOf`. The
 * event source mapping uses ReportBatchItemFailures, so the answer names the
 * records to retry; an error thrown here fails the whole batch, which Lambda
 * then retries (bisecting it) as a unit.
 */
export function streamHandler(subjectOf: SubjectOfRecord, processSubjects: SubjectsProcessor) {
  // Typed as what may arrive: a malformed event is an empty batch, not a crash.
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>(async (event: Partial<DynamoDBStreamEvent> | null) => {
    const records = Array.isArray(event?.Records) ? event.Records : [];
    const response = await batchResponseFor(records, subjectOf, processSubjects);
    if (response.batchItemFailures.length > 0) {
      logger.warn('Records left for Lambda to retry', {
        records: records.length,
        retried: response.batchItemFailures.length,
      });
    }
    return response;
  }).use(injectLambdaContext(logger, { resetKeys: true }));
}
