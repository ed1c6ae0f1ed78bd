/**
 * The HTTP stack reads requests strictly: JSON media types in any letter case
 * but only in UTF-8, query numbers only as plain decimals, and a caller id
 * only of the shape Cognito and the local tokens give. DynamoDB and
 * Comprehend are mocked at the SDK; what is refused never reaches them.
 */
import { beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { ComprehendClient } from '@aws-sdk/client-comprehend';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { agent, customer } from '../../support/api-gateway-event.js';
import { comprehendAnswersNeutralEnglish } from '../../support/comprehend-answers.js';
import { expectProblem } from '../../support/problem-details.js';
import { loadHandlers, routes } from '../../support/ticket-api-harness.js';
import { mockCursorSecret, TEST_CURSOR_SECRET_ARN } from '../../support/cursor-secret-mock.js';

const dynamodb = mockClient(DynamoDBDocumentClient);
const comprehend = mockClient(ComprehendClient);
mockCursorSecret();
let api: ReturnType<typeof routes>;

beforeAll(async () => {
  api = routes(
    await loadHandlers({
      TABLE_NAME: 'tickets',
      CURSOR_SECRET_ARN: TEST_CURSOR_SECRET_ARN,
      POWERTOOLS_LOG_LEVEL: 'CRITICAL',
    }),
  );
});

beforeEach(() => {
  dynamodb.reset();
  comprehend.reset();
  dynamodb.on(PutCommand).resolves({});
  dynamodb.on(QueryCommand).resolves({ Items: [] });
  comprehendAnswersNeutralEnglish(comprehend);
});

const NEW_TICKET = JSON.stringify({ subject: 'Invoice 2291 is wrong', description: 'I was billed twice this month.' });
const createWith = (contentType: string | undefined) =>
  api.create(NEW_TICKET, {
    claims: customer('alice'),
    headers: contentType === undefined ? {} : { 'Content-Type': contentType },
  });

describe('media types', () => {
  test.each([
    'application/json',
    'APPLICATION/JSON',
    'application/JSON; charset=UTF-8',
    'Application/Json;charset=utf-8',
    'application/json; Charset="UTF-8"',
    'application/json ; charset = utf-8',
    'application/merge-patch+json',
  ])('%s is JSON in UTF-8: the ticket is created', async (contentType) => {
    const answer = await createWith(contentType);

    expect(answer.status).toBe(201);
    expect(dynamodb.commandCalls(PutCommand)).toHaveLength(1);
  });

  test('a body passed as bytes (base64) must be UTF-8: other bytes are 400 problem+json, nothing stored', async () => {
    const answer = await api.create(
      Buffer.concat([Buffer.from('{"subject":"a '), Buffer.from([0xff, 0xfe]), Buffer.from(' b","description":"c"}')]),
      {
        claims: customer('alice'),
        headers: { 'Content-Type': 'application/json' },
      },
    );

    expect(expectProblem(answer, 400).detail).toBe('The body is not valid UTF-8.');
    expect(dynamodb.commandCalls(PutCommand)).toHaveLength(0);

    const utf8 = await api.create(Buffer.from(NEW_TICKET.replace('wrong', 'wrong — é'), 'utf8'), {
      claims: customer('alice'),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(utf8.status).toBe(201);
  });

  test.each([
    'application/json; charset=ISO-8859-1',
    'application/json; charset=iso-8859-1',
    'APPLICATION/JSON; CHARSET=UTF-16',
    'application/json; charset=utf8',
    'application/json; charset=',
    'application/json; charset="utf-8',
    'application/json; charset=utf-8; charset=latin1',
  ])('%s names another charset: 415 problem+json, nothing stored', async (contentType) => {
    const answer = await createWith(contentType);

    expect(expectProblem(answer, 415).detail).toBe('Send the body as application/json in UTF-8.');
    expect(dynamodb.commandCalls(PutCommand)).toHaveLength(0);
  });

  test.each([['text/plain'], ['application/jsonp'], ['application/json-seq'], ['json'], ['']])(
    '"%s" is not JSON: 415 problem+json, nothing stored',
    async (contentType) => {
      const answer = await createWith(contentType);

      expect(expectProblem(answer, 415).detail).toBe('Send the body as application/json.');
      expect(dynamodb.commandCalls(PutCommand)).toHaveLength(0);
    },
  );

  test('no Content-Type at all is 415', async () => {
    expectProblem(await createWith(undefined), 415);
  });

  test('a JSON media type over a body that is not JSON is 400', async () => {
    const answer = await api.create('{"subject":', {
      claims: customer('alice'),
      headers: { 'Content-Type': 'APPLICATION/JSON' },
    });

    expect(expectProblem(answer, 400).detail).toBe('The body is not valid JSON.');
  });
});

describe('numbers in the query', () => {
  test.each(['0x10', '1e2', '+5', ' 5', '5 ', '5.0', '05', '0b101', '1_0'])(
    'limit=%s is a 400 naming the parameter, and nothing is read',
    async (limit) => {
      const answer = await api.list({ limit }, { claims: customer('alice') });

      expect(expectProblem(answer, 400).errors).toEqual([
        { path: '/queryStringParameters/limit', message: expect.any(String) },
      ]);
      expect(dynamodb.commandCalls(QueryCommand)).toHaveLength(0);
    },
  );

  test.each([
    ['1', 1],
    ['16', 16],
    ['100', 100],
  ])('limit=%s is a page size of %i', async (limit, size) => {
    const answer = await api.list({ limit }, { claims: agent('ada') });

    expect(answer.status).toBe(200);
    const [query] = dynamodb.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(query?.Limit).toBeGreaterThanOrEqual(size);
  });
});

describe('caller ids', () => {
  test('a 300-character sub is a 401 problem, and nothing is read or stored', async () => {
    const claims = customer('a'.repeat(300));

    expectProblem(await api.list({}, { claims }), 401);
    expectProblem(await api.create(JSON.parse(NEW_TICKET), { claims }), 401);
    expect(dynamodb.calls()).toHaveLength(0);
  });

  test('a sub with a control character is a 401 problem', async () => {
    expectProblem(await api.list({}, { claims: customer('alice\u0007') }), 401);
    expect(dynamodb.calls()).toHaveLength(0);
  });
});
