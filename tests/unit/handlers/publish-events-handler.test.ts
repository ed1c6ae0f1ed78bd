/**
 * The publishing function as Lambda invokes it: stream records in, PutEvents
 * calls out (EventBridge mocked), the partial batch response back.
 */
import { beforeAll, beforeEach, expect, jest, test } from '@jest/globals';
import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { logger } from '../../../layers/shared/src/logger.js';
import { lambdaContext } from '../../support/api-gateway-event.js';

const logged: unknown[] = [];
for (const level of ['info', 'warn', 'error'] as const) {
  jest.spyOn(logger, level).mockImplementation((...args: unknown[]) => {
    logged.push(args);
  });
}

const eventBridge = mockClient(EventBridgeClient);

type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;
let handler: StreamHandler;

beforeAll(async () => {
  process.env.EVENT_BUS_NAME = 'tickets-bus';
  handler = (await import('../../../functions/publish-events/handler.js')).handler;
});

beforeEach(() => {
  eventBridge.reset();
  logged.length = 0;
});

const MARKER = 'ZZSECRETZZ';

/** A new ticket's record, its text and e-mail holding MARKER. */
function newTicket(index: number): DynamoDBRecord {
  const id = `01HZXPUBLISH${String(index).padStart(14, '0')}`;
  const item = {
    pk: `TICKET#${id}`,
    sk: 'TICKET',
    id,
    subject: `Subject ${MARKER}`,
    description: `Description ${MARKER}`,
    status: 'open',
    priority: 'normal',
    category: 'general',
    tags: [MARKER],
    requester: { id: 'alice', email: `${MARKER}@example.com` },
    assigneeId: null,
    channel: 'api',
    analysis: {
      status: 'complete',
      language: 'en',
      sentiment: null,
      keyPhrases: [MARKER],
      urgent: false,
      redactions: [],
    },
    createdAt: '2026-11-27T10:00:00.000Z',
    updatedAt: '2026-11-27T10:00:00.000Z',
    version: 1,
  };
  return {
    eventID: `change-${index}`,
    eventName: 'INSERT',
    dynamodb: {
      Keys: marshall({ pk: item.pk, sk: item.sk }) as never,
      NewImage: marshall(item) as never,
      SequenceNumber: String(1000 + index),
    },
  };
}

/** A record that is no event: a removal. */
const removal = (index: number): DynamoDBRecord => ({
  ...newTicket(index),
  eventName: 'REMOVE',
});

const batch = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => newTicket(from + index));
const entriesOf = (call: number) => eventBridge.commandCalls(PutEventsCommand)[call]!.args[0].input.Entries!;
const accepted = (input: PutEventsCommandInput) => ({
  FailedEntryCount: 0,
  Entries: input.Entries!.map((_entry, index) => ({ EventId: `event-${index}` })),
});

test('publishes every event in order, in calls of at most 10, on the bus with the source and detail type', async () => {
  eventBridge.on(PutEventsCommand).callsFake(accepted);
  const records = [...range(0, 12), removal(12), ...range(13, 25)];

  expect(await handler(batch(...records), lambdaContext())).toEqual({ batchItemFailures: [] });

  const calls = eventBridge.commandCalls(PutEventsCommand);
  expect(calls.map((_call, index) => entriesOf(index).length)).toEqual([10, 10, 4]);
  const published = calls.flatMap((_call, index) => entriesOf(index));
  expect(published.map((entry) => (JSON.parse(entry.Detail!) as { changeId: string }).changeId)).toEqual(
    records.filter((streamRecord) => streamRecord.eventName === 'INSERT').map((streamRecord) => streamRecord.eventID),
  );
  expect(published[0]).toMatchObject({
    EventBusName: 'tickets-bus',
    Source: 'aws-support-system',
    DetailType: 'Ticket Created',
    Time: new Date('2026-11-27T10:00:00.000Z'),
  });
  // Nothing a customer wrote reaches EventBridge or the logs.
  expect(JSON.stringify(calls.map((call) => call.args[0].input))).not.toContain(MARKER);
  expect(JSON.stringify(logged)).not.toContain(MARKER);
});

test('a call stays under 256 KB: large events are sent in fewer than 10 a call', async () => {
  eventBridge.on(PutEventsCommand).callsFake(accepted);
  // An assignee id of 30,000 characters makes each event about 60 KB (from and to).
  const large = 'a'.repeat(30_000);
  const records = Array.from({ length: 10 }, (_, index): DynamoDBRecord => {
    const item = {
      pk: 'TICKET#01HZXLARGE00000000000000',
      sk: `HISTORY#${String(index + 2).padStart(10, '0')}`,
      version: index + 2,
      at: '2026-11-27T10:05:00.000Z',
      by: { id: 'ada', role: 'agent' },
      changes: [{ field: 'assigneeId', from: large, to: large }],
    };
    return {
      eventID: `large-${index}`,
      eventName: 'INSERT',
      dynamodb: {
        Keys: marshall({ pk: item.pk, sk: item.sk }) as never,
        NewImage: marshall(item) as never,
        SequenceNumber: String(2000 + index),
      },
    };
  });

  expect(await handler(batch(...records), lambdaContext())).toEqual({ batchItemFailures: [] });
  const calls = eventBridge.commandCalls(PutEventsCommand);
  const sizes = calls.map((_call, index) =>
    entriesOf(index).reduce(
      (total, entry) =>
        total +
        14 +
        Buffer.byteLength(entry.Source!) +
        Buffer.byteLength(entry.DetailType!) +
        Buffer.byteLength(entry.Detail!),
      0,
    ),
  );
  expect(calls.length).toBeGreaterThan(1);
  for (const size of sizes) expect(size).toBeLessThanOrEqual(256 * 1024);
  expect(calls.reduce((total, _call, index) => total + entriesOf(index).length, 0)).toBe(10);
});

test('a refused entry names its record for Lambda to retry, and nothing after it is sent', async () => {
  eventBridge
    .on(PutEventsCommand)
    .resolvesOnce({
      FailedEntryCount: 0,
      Entries: Array.from({ length: 10 }, (_, index) => ({ EventId: `e${index}` })),
    })
    .resolvesOnce({
      FailedEntryCount: 1,
      Entries: [
        { EventId: 'e10' },
        { EventId: 'e11' },
        { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' },
        ...Array.from({ length: 7 }, (_, index) => ({ EventId: `e${13 + index}` })),
      ],
    });
  const records = range(0, 30);

  expect(await handler(batch(...records), lambdaContext())).toEqual({
    batchItemFailures: [{ itemIdentifier: records[12]!.dynamodb!.SequenceNumber }],
  });
  // The third call of 10 is never made: order per ticket holds.
  expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
  expect(JSON.stringify(logged)).not.toContain(MARKER);
});

test('a call that throws names the first record of that call; records that are no events before it are passed', async () => {
  eventBridge
    .on(PutEventsCommand)
    .resolvesOnce({
      FailedEntryCount: 0,
      Entries: Array.from({ length: 10 }, (_, index) => ({ EventId: `e${index}` })),
    })
    .rejectsOnce(Object.assign(new Error(`throttled ${MARKER}`), { name: 'ThrottlingException' }));
  const records = [...range(0, 10), removal(10), ...range(11, 15)];

  expect(await handler(batch(...records), lambdaContext())).toEqual({
    batchItemFailures: [{ itemIdentifier: records[11]!.dynamodb!.SequenceNumber }],
  });
  expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
  expect(JSON.stringify(logged)).toContain('ThrottlingException');
  expect(JSON.stringify(logged)).not.toContain(MARKER);
});

test('an answer missing an entry counts as a failure of that entry', async () => {
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e0' }] });
  const records = range(0, 3);
  expect(await handler(batch(...records), lambdaContext())).toEqual({
    batchItemFailures: [{ itemIdentifier: records[1]!.dynamodb!.SequenceNumber }],
  });
});

test('malformed records are logged without their content and skipped; a batch of none publishes nothing', async () => {
  eventBridge.on(PutEventsCommand).callsFake(accepted);
  const broken = newTicket(1);
  broken.dynamodb!.NewImage = marshall({ pk: 'TICKET#x', subject: MARKER, version: MARKER }) as never;
  const noSequence = newTicket(2);
  delete noSequence.dynamodb!.SequenceNumber;

  expect(await handler(batch(broken, noSequence, newTicket(3)), lambdaContext())).toEqual({ batchItemFailures: [] });
  expect(entriesOf(0)).toHaveLength(1);
  expect(JSON.stringify(logged)).toContain('Stream records skipped');
  expect(JSON.stringify(logged)).not.toContain(MARKER);

  eventBridge.reset();
  expect(await handler({ Records: [] }, lambdaContext())).toEqual({ batchItemFailures: [] });
  expect(await handler(null as unknown as DynamoDBStreamEvent, lambdaContext())).toEqual({ batchItemFailures: [] });
  expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
});
