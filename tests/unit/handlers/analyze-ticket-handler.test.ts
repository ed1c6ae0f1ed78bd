/**
 * The stream function as Lambda invokes it: a batch of stream records in, the
 * partial batch response out, with DynamoDB and Comprehend mocked.
 */
import { beforeAll, beforeEach, expect, jest, test } from '@jest/globals';
import {
  BatchDetectDominantLanguageCommand,
  BatchDetectKeyPhrasesCommand,
  BatchDetectSentimentCommand,
  ComprehendClient,
  DetectPiiEntitiesCommand,
} from '@aws-sdk/client-comprehend';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
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

beforeAll(async () => {
  Object.assign(process.env, {
    TABLE_NAME: 'tickets',
    COMPLETION_MAX_ATTEMPTS: '1',
  });
  handler = (await import('../../../functions/analyze-ticket/handler.js')).handler;
});

beforeEach(() => {
  dynamodb.reset();
  comprehend.reset();
});

const ID = '01HZXANALYZE00000000000000';
const pendingItem = storedTicketItem(
  aTicket({
    id: ID,
    subject: 'Cannot log in',
    description: 'The login page rejects my password since this morning.',
  }),
);

const event = (...sequenceNumbers: string[]): DynamoDBStreamEvent => ({
  Records: sequenceNumbers.map((SequenceNumber) => ({
    eventID: `id-${SequenceNumber}`,
    eventName: 'INSERT',
    dynamodb: { Keys: { pk: { S: `TICKET#${ID}` }, sk: { S: 'TICKET' } }, SequenceNumber },
  })),
});

test('completes the pending ticket and reports nothing to retry', async () => {
  dynamodb.on(QueryCommand).resolves({ Items: [pendingItem] });
  dynamodb.on(TransactWriteCommand).resolves({});
  comprehend
    .on(BatchDetectDominantLanguageCommand)
    .resolves({ ResultList: [{ Index: 0, Languages: [{ LanguageCode: 'en', Score: 1 }] }], ErrorList: [] });
  comprehend
    .on(BatchDetectSentimentCommand)
    .resolves({ ResultList: [{ Index: 0, Sentiment: 'NEGATIVE', SentimentScore: {} }], ErrorList: [] });
  comprehend.on(BatchDetectKeyPhrasesCommand).resolves({ ResultList: [{ Index: 0, KeyPhrases: [] }], ErrorList: [] });
  // "password" could introduce a secret, so PII is asked for.
  comprehend.on(DetectPiiEntitiesCommand).resolves({ Entities: [] });

  expect(await handler(event('101'), lambdaContext())).toEqual({ batchItemFailures: [] });
  expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(1);
});

test('names the records to retry when Comprehend is down, and survives an event without records', async () => {
  dynamodb.on(QueryCommand).resolves({ Items: [pendingItem] });
  comprehend
    .onAnyCommand()
    .rejects(Object.assign(new Error('down'), { name: 'InternalServerException', $metadata: { httpStatusCode: 500 } }));

  expect(await handler(event('201', '202'), lambdaContext())).toEqual({
    batchItemFailures: [{ itemIdentifier: '201' }, { itemIdentifier: '202' }],
  });
  expect(await handler({} as DynamoDBStreamEvent, lambdaContext())).toEqual({ batchItemFailures: [] });
});

test('completes a pending comment its record names, writing the comment alone', async () => {
  const comment = {
    id: '01HZXANALYZEC0MMENT0000000',
    ticketId: ID,
    author: { id: 'alice', role: 'customer' },
    body: 'Still broken, and I am losing patience.',
    visibility: 'public',
    createdAt: '2026-03-02T09:00:00.000Z',
    analysis: { status: 'pending', language: null, sentiment: null, redactions: [] },
  };
  const key = { pk: { S: `TICKET#${ID}` }, sk: { S: `COMMENT#PUBLIC#${comment.id}` } };
  dynamodb.on(GetCommand).resolves({ Item: { pk: `TICKET#${ID}`, sk: `COMMENT#PUBLIC#${comment.id}`, ...comment } });
  dynamodb.on(UpdateCommand).resolves({});
  comprehend
    .on(BatchDetectDominantLanguageCommand)
    .resolves({ ResultList: [{ Index: 0, Languages: [{ LanguageCode: 'en', Score: 1 }] }], ErrorList: [] });
  comprehend
    .on(BatchDetectSentimentCommand)
    .resolves({ ResultList: [{ Index: 0, Sentiment: 'NEGATIVE', SentimentScore: {} }], ErrorList: [] });
  comprehend.on(BatchDetectKeyPhrasesCommand).resolves({ ResultList: [{ Index: 0, KeyPhrases: [] }], ErrorList: [] });

  const answer = await handler(
    { Records: [{ eventID: 'c', eventName: 'INSERT', dynamodb: { Keys: key, SequenceNumber: '301' } }] },
    lambdaContext(),
  );

  expect(answer).toEqual({ batchItemFailures: [] });
  expect(dynamodb.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
    Key: { pk: `TICKET#${ID}`, sk: `COMMENT#PUBLIC#${comment.id}` },
    ExpressionAttributeValues: {
      ':analysis': { status: 'complete', language: 'en', sentiment: { label: 'NEGATIVE' } },
    },
  });
  expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(0);
});
