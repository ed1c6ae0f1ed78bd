import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../logger.js';
import type { EventPublisher } from './event-publisher.js';

/**
 * The middleware stack of the function that publishes the table's changes:
 * logger context, then the batch, answered with Lambda's partial batch
 * response (the mapping uses ReportBatchItemFailures). An error thrown here
 * fails the whole batch, which Lambda retries (bisecting it) as a unit.
 */
export function publishEventsHandler(publisher: EventPublisher) {
  // Typed as what may arrive: a malformed event is an empty batch, not a crash.
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>((event: Partial<DynamoDBStreamEvent> | null) =>
    publisher.publish(Array.isArray(event?.Records) ? event.Records : []),
  ).use(injectLambdaContext(logger, { resetKeys: true }));
}
