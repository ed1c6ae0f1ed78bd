import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../logger.js';
import { businessMetrics } from '../metrics.js';
import { traceInvocations } from '../tracer.js';
import { batchResponseFor, type SubjectOfRecord, type SubjectsProcessor } from './stream-records.js';

/**
 * The middleware stack of the functions that consume the table's stream
 * (the HTTP functions have theirs in http/http-handler.ts): trace segment,
 * logger context, then `handle` with the batch's records; the records left
 * for retry are counted (StreamRecordsRetried). The event source mappings use
 * ReportBatchItemFailures, so the answer names the records to retry; an
 * error thrown here fails the whole batch, which Lambda then retries
 * (bisecting it) as a unit.
 */
export function streamBatchHandler(handle: (records: DynamoDBRecord[]) => Promise<DynamoDBBatchResponse>) {
  // Typed as what may arrive: a malformed event is an empty batch, not a crash.
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>(async (event: Partial<DynamoDBStreamEvent> | null) => {
    const records = Array.isArray(event?.Records) ? event.Records : [];
    const response = await handle(records);
    if (response.batchItemFailures.length > 0) {
      businessMetrics.streamRecordsRetried(response.batchItemFailures.length);
      logger.warn('Records left for Lambda to retry', {
        records: records.length,
        retried: response.batchItemFailures.length,
      });
    }
    return response;
  })
    .use(traceInvocations())
    .use(injectLambdaContext(logger, { resetKeys: true }));
}

/** The stack for work on the tickets and comments a batch's records name, read with `subjectOf`. */
export function streamHandler(subjectOf: SubjectOfRecord, processSubjects: SubjectsProcessor) {
  return streamBatchHandler((records) => batchResponseFor(records, subjectOf, processSubjects));
}
