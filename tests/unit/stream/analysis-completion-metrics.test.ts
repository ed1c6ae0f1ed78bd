/**
 * The analysis completion's metrics, written from the analyze-ticket
 * function as Lambda invokes it, with DynamoDB and Comprehend mocked: an
 * analysis counts as completed once it is stored, by its outcome.
 */
import { afterEach, beforeAll, beforeEach, expect, jest, test } from '@jest/globals';
import {
  BatchDetectDominantLanguageCommand,
  BatchDetectKeyPhrasesCommand,
  BatchDetectSentimentCommand,
  ComprehendClient,
  DetectPiiEntitiesCommand,
} from '@aws-sdk/client-comprehend';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { logger } from '../../../layers/shared/src/logger.js';
import { lambdaContext } from '../../support/api-gateway-event.js';
import { aTicket, storedTicketItem } from '../../support/tickets.js';

for (const level of ['info', 'warn', 'error'] as const) jest.spyOn(logger, level).mockImplementation(() => undefined);

const dynamodb = mockClient(DynamoDBDocumentClient);
const comprehend = mockClient(ComprehendClient);

type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;
let handler: StreamHandler;

// The function's environment as template.yaml's Globals set it, before the layer reads it.
Object.assign(process.env, {
  POWERTOOLS_SERVICE_NAME: 'support-tickets',
  TABLE_NAME: 'tickets',
  COMPLETION_MAX_ATTEMPTS: '1',
});
const { METRIC_NAMES } = await import('../../../layers/shared/src/metrics.js');

beforeAll(async () => {
  handler = (await import('../../../functions/analyze-ticket/handler.js')).handler;
});

let written: string[] = [];
let stdout: { mockRestore(): void } | undefined;
beforeEach(() => {
  dynamodb.reset();
  comprehend.reset();
  written = [];
  stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
});
afterEach(() => {
  stdout?.mockRestore();
});

/** Each metric written as EMF, with its value and the dimensions of its first dimension set. */
function emitted() {
  return written
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"_aws"'))
    .map(
      (line) =>
        JSON.parse(line) as Record<string, unknown> & {
          _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
        },
    )
    .flatMap((line) =>
      line._aws.CloudWatchMetrics.flatMap(({ Metrics, Dimensions }) =>
        Metrics.map(({ Name }) => ({
          name: Name,
          value: line[Name],
          dimensions: Object.fromEntries((Dimensions[0] ?? []).map((key) => [key, line[key]])),
        })),
      ),
    );
}

const ID = '01HZXMETRICSANALYZE0000000';
const pendingItem = storedTicketItem(
  aTicket({ id: ID, subject: 'Cannot log in', description: 'The login page rejects me since this morning.' }),
);
const event = (...sequenceNumbers: string[]): DynamoDBStreamEvent => ({
  Records: sequenceNumbers.map((SequenceNumber) => ({
    eventID: `id-${SequenceNumber}`,
    eventName: 'INSERT',
    dynamodb: { Keys: { pk: { S: `TICKET#${ID}` }, sk: { S: 'TICKET' } }, SequenceNumber },
  })),
});

function comprehendAnswers(): void {
  comprehend
    .on(BatchDetectDominantLanguageCommand)
    .resolves({ ResultList: [{ Index: 0, Languages: [{ LanguageCode: 'en', Score: 1 }] }], ErrorList: [] });
  comprehend
    .on(BatchDetectSentimentCommand)
    .resolves({ ResultList: [{ Index: 0, Sentiment: 'NEGATIVE', SentimentScore: {} }], ErrorList: [] });
  comprehend.on(BatchDetectKeyPhrasesCommand).resolves({ ResultList: [{ Index: 0, KeyPhrases: [] }], ErrorList: [] });
  comprehend.on(DetectPiiEntitiesCommand).resolves({ Entities: [] });
}

test('a pending analysis stored complete counts once as completed, by subject and outcome, with no id', async () => {
  dynamodb.on(QueryCommand).resolves({ Items: [pendingItem] });
  dynamodb.on(TransactWriteCommand).resolves({});
  comprehendAnswers();

  expect(await handler(event('101'), lambdaContext())).toEqual({ batchItemFailures: [] });
  expect(emitted()).toEqual([
    {
      name: METRIC_NAMES.analysisCompleted,
      value: 1,
      dimensions: { service: 'support-tickets', Subject: 'ticket', Outcome: 'complete' },
    },
  ]);
  expect(written.join('')).not.toContain(ID);
});

test('an analysis not stored counts nothing as completed; its records left to retry are counted', async () => {
  dynamodb.on(QueryCommand).resolves({ Items: [pendingItem] });
  comprehend
    .onAnyCommand()
    .rejects(Object.assign(new Error('down'), { name: 'InternalServerException', $metadata: { httpStatusCode: 500 } }));

  expect((await handler(event('201', '202'), lambdaContext())).batchItemFailures).toHaveLength(2);
  expect(emitted()).toEqual([
    { name: METRIC_NAMES.streamRecordsRetried, value: 2, dimensions: { service: 'support-tickets' } },
  ]);
});
