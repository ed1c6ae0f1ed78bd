/**
 * The four handlers with DynamoDB and Comprehend mocked at the SDK: the error
 * paths that DynamoDB Local cannot produce on demand.
 */
import { beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import {
  ComprehendClient,
  DetectDominantLanguageCommand,
  DetectKeyPhrasesCommand,
  DetectPiiEntitiesCommand,
  DetectSentimentCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-comprehend';
import { ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { agent, apiEvent, customer, lambdaContext } from '../../support/api-gateway-event.js';
import { comprehendAnswersNeutralEnglish } from '../../support/comprehend-answers.js';
import { expectProblem } from '../../support/problem-details.js';
import { attributesSetBy } from '../../support/update-expressions.js';
import { loadHandlers, routes, type TicketHandlers } from '../../support/ticket-api-harness.js';
import { mockCursorSecret, TEST_CURSOR_SECRET_ARN } from '../../support/cursor-secret-mock.js';

const dynamodb = mockClient(DynamoDBDocumentClient);
const comprehend = mockClient(ComprehendClient);
mockCursorSecret();
let api: ReturnType<typeof routes>;
let handlers: TicketHandlers;

const TICKET_ID = '01JDQ0Z7S1X7M3V9K2B4N6P8R0';
const storedTicket = {
  pk: `TICKET#${TICKET_ID}`,
  sk: 'TICKET',
  id: TICKET_ID,
  subject: 'Cannot log in',
  description: 'The login page says my password is wrong.',
  status: 'open',
  priority: 'high',
  category: 'account',
  tags: [],
  requester: { id: 'alice', email: 'alice@example.com' },
  assigneeId: null,
  channel: 'web',
  analysis: {
    status: 'complete',
    language: 'en',
    sentiment: null,
    keyPhrases: [],
    urgent: false,
    redactions: [],
    signals: { priority: [], category: [] },
  },
  createdAt: '2026-11-24T10:00:00.000Z',
  updatedAt: '2026-11-24T10:00:00.000Z',
  version: 1,
};
const throttled = () => new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} });
const versionConflict = () =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: 'ConditionalCheckFailed', Item: { version: { N: '2' } } }, { Code: 'None' }],
  });

beforeAll(async () => {
  handlers = await loadHandlers({
    TABLE_NAME: 'tickets',
    CURSOR_SECRET_ARN: TEST_CURSOR_SECRET_ARN,
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
  });
  api = routes(handlers);
});

beforeEach(() => {
  dynamodb.reset();
  comprehend.reset();
  dynamodb.on(PutCommand).resolves({});
  dynamodb.on(QueryCommand).resolves({ Items: [storedTicket] });
  comprehendAnswersNeutralEnglish(comprehend);
});

const NEW_TICKET = { subject: 'Invoice 2291 is wrong', description: 'I was billed twice this month.' };

describe('create', () => {
  test('Comprehend throttling: the ticket is stored with analysis pending and the request succeeds', async () => {
    comprehend
      .on(DetectDominantLanguageCommand)
      .rejects(new TooManyRequestsException({ message: 'slow down', $metadata: {} }));

    const answer = await api.create(NEW_TICKET, { claims: customer('alice') });

    expect(answer.status).toBe(201);
    const [put] = dynamodb.commandCalls(PutCommand);
    expect(put?.args[0].input.Item).toMatchObject({
      analysis: { status: 'pending', sentiment: null },
      category: 'billing',
    });
  });

  test('an unsupported language: no sentiment, key phrase or PII call, analysis still complete', async () => {
    comprehend.on(DetectDominantLanguageCommand).resolves({ Languages: [{ LanguageCode: 'sw', Score: 0.9 }] });

    const answer = await api.create(NEW_TICKET, { claims: customer('alice') });

    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ analysis: { status: 'complete', language: 'sw', sentiment: null } });
    expect(comprehend.commandCalls(DetectSentimentCommand)).toHaveLength(0);
    expect(comprehend.commandCalls(DetectKeyPhrasesCommand)).toHaveLength(0);
    expect(comprehend.commandCalls(DetectPiiEntitiesCommand)).toHaveLength(0);
  });

  test('DynamoDB throttling: 503 with Retry-After, and no ticket claimed to exist', async () => {
    dynamodb.on(PutCommand).rejects(throttled());

    const answer = await api.create(NEW_TICKET, { claims: customer('alice') });

    expect(answer.status).toBe(503);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    expect(answer.headers.location).toBeUndefined();
  });

  test('an unexpected DynamoDB error is a 500 that says nothing about it', async () => {
    dynamodb
      .on(PutCommand)
      .rejects(Object.assign(new Error('ValidationException: secret table detail'), { name: 'ValidationException' }));

    const answer = await api.create(NEW_TICKET, { claims: customer('alice') });

    expect(answer.status).toBe(500);
    expect(JSON.stringify(answer.body)).not.toContain('secret table detail');
    expect(answer.body).toMatchObject({ requestId: expect.any(String) });
  });
});

describe('update', () => {
  test('with If-Match, a write refused only because an agent replied meanwhile (same version) is decided again', async () => {
    const replied = { ...storedTicket, firstResponseAt: '2026-03-01T10:05:00.000Z' };
    dynamodb.on(TransactWriteCommand).rejectsOnce(versionConflict()).resolves({});
    dynamodb
      .on(QueryCommand)
      .resolvesOnce({ Items: [storedTicket] })
      .resolves({ Items: [replied] });

    const answer = await api.update(
      TICKET_ID,
      { priority: 'urgent' },
      { claims: agent('ada'), headers: { 'If-Match': '"1"' } },
    );

    expect(answer.status).toBe(200);
    const writes = dynamodb.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems![0]!);
    expect(writes).toHaveLength(2);
    // The first was decided with no first response, the second knows of it: the byDue key follows the resolution.
    expect(writes[0]!.Update!.ConditionExpression).toContain('attribute_not_exists(#firstResponseAt)');
    expect(writes[1]!.Update!.ConditionExpression).not.toContain('#firstResponseAt');
    const gsi4sk = Object.entries(writes[1]!.Update!.ExpressionAttributeNames!).find(
      ([, name]) => name === 'gsi4sk',
    )![0];
    const dueKey = writes[1]!.Update!.ExpressionAttributeValues![gsi4sk.replace('#', ':')] as string;
    expect(dueKey.split('#')[0]).toBe((answer.body as { sla: { resolutionDueAt: string } }).sla.resolutionDueAt);
  });

  test('a version conflict with If-Match is 412 once a fresh read shows the version moved, without a second write', async () => {
    dynamodb.on(TransactWriteCommand).rejects(versionConflict());
    dynamodb
      .on(QueryCommand)
      .resolvesOnce({ Items: [storedTicket] })
      .resolves({ Items: [{ ...storedTicket, version: 2 }] });

    const answer = await api.update(
      TICKET_ID,
      { status: 'in_progress' },
      { claims: agent('ada'), headers: { 'If-Match': '"1"' } },
    );

    expect(answer.status).toBe(412);
    expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  test.each([
    [
      'W/"1"',
      'If-Match holds a weak entity tag, and If-Match compares strongly, so it never matches: send the ETag exactly as given, e.g. "3", not W/"3".',
    ],
    [
      '1',
      'If-Match holds an entity tag without its quotes, so it never matches: send the ETag exactly as given, quotes included, e.g. "3", not 3.',
    ],
  ])(
    'If-Match %s at the current version is a 412 that says why the tag never matches, and nothing is written',
    async (ifMatch, detail) => {
      const answer = await api.update(
        TICKET_ID,
        { status: 'in_progress' },
        { claims: agent('ada'), headers: { 'If-Match': ifMatch } },
      );

      expect(expectProblem(answer, 412).detail).toBe(detail);
      expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    },
  );

  test("a weak If-Match on a ticket that is missing, or another customer's, is a 404 first", async () => {
    const weak = { headers: { 'If-Match': 'W/"1"' } };
    const others = await api.update(TICKET_ID, { status: 'in_progress' }, { claims: customer('bob'), ...weak });
    expect(expectProblem(others, 404).detail).toBe(`No ticket ${TICKET_ID} was found.`);

    dynamodb.on(QueryCommand).resolves({ Items: [] });
    const missing = await api.update(TICKET_ID, { status: 'in_progress' }, { claims: agent('ada'), ...weak });
    expectProblem(missing, 404);
    expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  test('without If-Match a conflict is re-read and retried, then 503 with Retry-After if it keeps losing', async () => {
    dynamodb.on(TransactWriteCommand).rejects(versionConflict());

    const answer = await api.update(TICKET_ID, { status: 'in_progress' }, { claims: agent('ada') });

    expect(answer.status).toBe(503);
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(3);
    expect(dynamodb.commandCalls(QueryCommand)).toHaveLength(3);
  });

  test('without If-Match a conflict that clears on the retry succeeds', async () => {
    dynamodb.on(TransactWriteCommand).rejectsOnce(versionConflict()).resolves({});

    const answer = await api.update(TICKET_ID, { status: 'in_progress' }, { claims: agent('ada') });

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'in_progress', version: 2 });
  });

  test('the ticket and its history entry go in one transaction, conditioned on the version', async () => {
    dynamodb.on(TransactWriteCommand).resolves({});

    await api.update(TICKET_ID, { priority: 'urgent' }, { claims: agent('ada') });

    const items = dynamodb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(2);
    expect(items[0]?.Update).toMatchObject({ ExpressionAttributeValues: { ':expected': 1 } });
    expect(attributesSetBy(items[0]?.Update ?? {})).toMatchObject({ id: TICKET_ID, priority: 'urgent', version: 2 });
    expect(items[1]?.Put?.Item).toMatchObject({
      version: 2,
      by: { id: 'ada', role: 'agent' },
      changes: [{ field: 'priority', from: 'high', to: 'urgent' }],
    });
  });
});

describe('get and list', () => {
  test('DynamoDB throttling on read: 503 with Retry-After', async () => {
    dynamodb.on(QueryCommand).rejects(throttled());
    const got = await api.get(TICKET_ID, { claims: customer('alice') });
    const listed = await api.list({}, { claims: customer('alice') });
    for (const answer of [got, listed]) {
      expect(answer.status).toBe(503);
      expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  test('a customer lists through the requester index, an agent by status through the triage index', async () => {
    dynamodb.on(QueryCommand).resolves({ Items: [] });
    await api.list({}, { claims: customer('alice') });
    await api.list({ status: 'open' }, { claims: agent('ada') });
    const [mine, queue] = dynamodb.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(mine).toMatchObject({ IndexName: 'byRequester', ScanIndexForward: false });
    expect(queue).toMatchObject({ IndexName: 'byStatus' });
  });

  test.each(['Infinity', '-Infinity', '1e400', '0', '101', '1.5'])(
    'a page size of %s is a 400 naming the query parameter, and nothing is read',
    async (limit) => {
      const answer = await api.list({ limit }, { claims: customer('alice') });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ errors: [{ path: '/queryStringParameters/limit' }] });
      expect(dynamodb.commandCalls(QueryCommand)).toHaveLength(0);
    },
  );
});

describe('limits', () => {
  test('a dependency that never answers: 503 with Retry-After before the function times out', async () => {
    dynamodb.on(QueryCommand).callsFake(() => new Promise(() => undefined));
    const event = apiEvent({
      method: 'GET',
      resource: '/tickets/{id}',
      pathParameters: { id: TICKET_ID },
      claims: customer('alice'),
    });
    // 700 ms left: middy gives up 500 ms before Lambda would.
    const result = await handlers.get(event, { ...lambdaContext(), getRemainingTimeInMillis: () => 700 });
    expect(result.statusCode).toBe(503);
    expect(Number(result.headers?.['Retry-After'])).toBeGreaterThan(0);
  });

  test('a body wrong in thousands of places gets a short answer listing the first errors', async () => {
    const answer = await api.update(
      TICKET_ID,
      { tags: Array.from({ length: 5_000 }, () => 1) },
      { claims: agent('ada') },
    );
    const { errors = [] } = expectProblem(answer, 400);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.length).toBeLessThanOrEqual(20);
  });
});
