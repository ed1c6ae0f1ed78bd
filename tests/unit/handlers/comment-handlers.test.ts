/**
 * The three comment handlers with DynamoDB and Comprehend mocked at the SDK:
 * what each reads from its request, what it answers, and the failures
 * DynamoDB Local cannot produce on demand.
 */
import { beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import {
  ComprehendClient,
  DetectDominantLanguageCommand,
  DetectKeyPhrasesCommand,
  DetectSentimentCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-comprehend';
import { ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { Comment } from '../../../layers/shared/src/domain/comment-schema.js';
import { toCommentItem } from '../../../layers/shared/src/repository/comment-item.js';
import type { CommentBody } from '../../support/api-bodies.js';
import { agent, customer } from '../../support/api-gateway-event.js';
import { expectProblem } from '../../support/problem-details.js';
import { commentRoutes, invoke, loadCommentHandlers, type LambdaHandler } from '../../support/ticket-api-harness.js';
import { aTicket, storedTicketItem } from '../../support/tickets.js';
import { mockCursorSecret, TEST_CURSOR_SECRET_ARN } from '../../support/cursor-secret-mock.js';

const dynamodb = mockClient(DynamoDBDocumentClient);
const comprehend = mockClient(ComprehendClient);
mockCursorSecret();
let api: ReturnType<typeof commentRoutes>;
let getComment: LambdaHandler;

const TICKET_ID = '01JDQ0Z7S1X7M3V9K2B4N6P8R0';
const ticketItem = (status = 'open') =>
  storedTicketItem(aTicket({ id: TICKET_ID, status: status as 'open', requester: { id: 'alice', email: null } }));

beforeAll(async () => {
  api = commentRoutes(
    await loadCommentHandlers({
      TABLE_NAME: 'tickets',
      CURSOR_SECRET_ARN: TEST_CURSOR_SECRET_ARN,
      POWERTOOLS_LOG_LEVEL: 'CRITICAL',
    }),
  );
  // Loaded as Lambda would, once the harness has set the environment its module reads.
  const module: { handler: unknown } = await import('../../../functions/get-comment/handler.js');
  // middy's handler type also takes Lambda's legacy callback; the runtime calls it with two arguments.
  getComment = module.handler as LambdaHandler;
});

beforeEach(() => {
  dynamodb.reset();
  comprehend.reset();
  dynamodb.on(QueryCommand).resolves({ Items: [ticketItem()] });
  dynamodb.on(TransactWriteCommand).resolves({});
  comprehend.on(DetectDominantLanguageCommand).resolves({ Languages: [{ LanguageCode: 'en', Score: 0.98 }] });
  comprehend.on(DetectSentimentCommand).resolves({
    Sentiment: 'NEGATIVE',
    SentimentScore: { Positive: 0.05, Negative: 0.9, Neutral: 0.05, Mixed: 0 },
  });
});

describe('POST /tickets/{id}/comments', () => {
  test('201 with the Location of the comment and the comment, its author from the token', async () => {
    const answer = await api.addComment(
      TICKET_ID,
      { body: 'Still broken, this is very frustrating.' },
      {
        claims: customer('alice'),
        headers: { 'X-Forwarded-Proto': 'https' },
      },
    );

    expect(answer.status).toBe(201);
    // As the client called it: the harness's events carry the stage (`/test`), as the default endpoint's do.
    expect(answer.headers.location).toBe(`/test/tickets/${TICKET_ID}/comments/${answer.body.id}`);
    expect(answer.headers['idempotent-replayed']).toBeUndefined();
    expect(answer.body).toMatchObject({
      ticketId: TICKET_ID,
      author: { id: 'alice', role: 'customer' },
      visibility: 'public',
      analysis: { status: 'complete', language: 'en', sentiment: { label: 'NEGATIVE' }, redactions: [] },
    });
    expect(comprehend.commandCalls(DetectKeyPhrasesCommand)).toHaveLength(0);
  });

  test('Comprehend throttled: still 201, the analysis pending', async () => {
    comprehend
      .on(DetectSentimentCommand)
      .rejects(new TooManyRequestsException({ message: 'slow down', $metadata: {} }));
    const answer = await api.addComment(TICKET_ID, { body: 'Any news?' }, { claims: customer('alice') });
    expect(answer.status).toBe(201);
    expect(answer.body.analysis.status).toBe('pending');
  });

  test.each([
    ['an unknown visibility', { body: 'x', visibility: 'secret' }, '/body/visibility'],
    ['an empty body', { body: '' }, '/body/body'],
    ['an unknown field', { body: 'x', author: 'ada' }, '/body/author'],
  ])('%s: 400 naming the field, nothing read or written', async (_name, body, path) => {
    const problem = expectProblem(await api.addComment(TICKET_ID, body, { claims: customer('alice') }), 400);
    expect(problem.errors?.map((error) => error.path)).toContain(path);
    expect(dynamodb.calls()).toHaveLength(0);
  });

  test('a path id that is not a ticket id: 400', async () => {
    expectProblem(await api.addComment('not-a-ulid', { body: 'x' }, { claims: agent('ada') }), 400);
  });

  test('the same Idempotency-Key with another body: 422, nothing written', async () => {
    dynamodb.on(GetCommand).resolves({
      Item: { commentId: '01JDQ10000000000000000000A', fingerprint: 'of another body', expiresAt: 4_000_000_000 },
    });

    const answer = await api.addComment(
      TICKET_ID,
      { body: 'Hello' },
      { claims: customer('alice'), headers: { 'Idempotency-Key': 'k-1' } },
    );

    expectProblem(answer, 422);
    expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(comprehend.calls()).toHaveLength(0);
  });

  test('the write keeps losing to other writers: 503 with Retry-After', async () => {
    dynamodb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed', Item: { version: { N: '2' } } }, { Code: 'None' }],
      }),
    );
    const answer = await api.addComment(TICKET_ID, { body: 'Hello' }, { claims: agent('ada') });
    expectProblem(answer, 503);
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
  });

  test('DynamoDB throttling: 503 with Retry-After', async () => {
    dynamodb.on(QueryCommand).rejects(new ProvisionedThroughputExceededException({ message: 'Rate', $metadata: {} }));
    const answer = await api.addComment(TICKET_ID, { body: 'Hello' }, { claims: customer('alice') });
    expectProblem(answer, 503);
  });
});

describe('GET /tickets/{id}/comments', () => {
  test("a customer's page: public comments alone, limit coerced, oldest first", async () => {
    dynamodb
      .on(QueryCommand, { KeyConditionExpression: '#hashKey = :partition AND begins_with(#rangeKey, :prefix)' })
      .resolves({
        Items: [],
      });

    const answer = await api.listComments(TICKET_ID, { limit: '5' }, { claims: customer('alice') });

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ items: [], nextCursor: null });
    const commentQueries = dynamodb
      .commandCalls(QueryCommand)
      .map((call) => call.args[0].input)
      .filter((input) => String(input.ExpressionAttributeValues?.[':prefix']).startsWith('COMMENT#'));
    // The public comments' own prefix: no filter, and no read of internal notes at all.
    expect(commentQueries).toHaveLength(1);
    expect(commentQueries[0]).toMatchObject({
      ExpressionAttributeValues: { ':prefix': 'COMMENT#PUBLIC#' },
      ScanIndexForward: true,
      ConsistentRead: true,
    });
    expect(commentQueries[0]).not.toHaveProperty('FilterExpression');
  });

  test("another customer's ticket: 404", async () => {
    expectProblem(await api.listComments(TICKET_ID, {}, { claims: customer('bob') }), 404);
  });

  test.each<Record<string, string>>([{ limit: '0' }, { limit: '101' }, { limit: 'many' }, { cursor: '' }])(
    '%o: 400',
    async (query) => {
      expectProblem(await api.listComments(TICKET_ID, query, { claims: agent('ada') }), 400);
    },
  );

  test('a tampered cursor: 400 naming the cursor', async () => {
    const problem = expectProblem(
      await api.listComments(TICKET_ID, { cursor: 'abc.def' }, { claims: agent('ada') }),
      400,
    );
    expect(problem.errors?.[0]?.path).toBe('/queryStringParameters/cursor');
  });
});

describe('GET /tickets/{id}/comments/{commentId}', () => {
  const REPLY_ID = '01JDQ10000000000000000000A';
  const NOTE_ID = '01JDQ10000000000000000000B';
  const MISSING_ID = '01JDQ10000000000000000000C';
  const aComment = (id: string, visibility: Comment['visibility']): Comment => ({
    id,
    ticketId: TICKET_ID,
    author: { id: 'ada', role: 'agent' },
    body: visibility === 'public' ? 'Which browser do you use?' : 'Probably the CDN cache again.',
    visibility,
    createdAt: '2026-03-02T09:00:00.000Z',
    analysis: { status: 'complete', language: 'en', sentiment: null, redactions: [] },
  });
  const reply = aComment(REPLY_ID, 'public');
  const note = aComment(NOTE_ID, 'internal');

  const read = (commentId: string, claims: Record<string, string>, id = TICKET_ID) =>
    invoke<CommentBody>(getComment, {
      method: 'GET',
      resource: '/tickets/{id}/comments/{commentId}',
      pathParameters: { id, commentId },
      claims,
    });
  /** The keys of the comment items read, in order. */
  const keysRead = () => dynamodb.commandCalls(GetCommand).map((call) => call.args[0].input.Key);
  const commentKey = (id: string, visibility: 'PUBLIC' | 'INTERNAL') => ({
    pk: `TICKET#${TICKET_ID}`,
    sk: `COMMENT#${visibility}#${id}`,
  });

  const visibility = (comment: Comment) => (comment.visibility === 'public' ? 'PUBLIC' : 'INTERNAL');

  beforeEach(() => {
    const items = new Map([reply, note].map((comment) => [commentKey(comment.id, visibility(comment)).sk, comment]));
    dynamodb.on(GetCommand).callsFake(({ Key }: { Key: { sk: string } }) => {
      const comment = items.get(Key.sk);
      return { Item: comment && toCommentItem(comment) };
    });
  });

  test('the requester reads a public comment of their ticket: 200, the comment, no ETag; the public key alone read', async () => {
    const answer = await read(REPLY_ID, customer('alice'));

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(reply);
    expect(answer.headers.etag).toBeUndefined();
    expect(keysRead()).toEqual([commentKey(REPLY_ID, 'PUBLIC')]);
    for (const call of dynamodb.commandCalls(GetCommand)) expect(call.args[0].input.ConsistentRead).toBe(true);
  });

  test('an agent reads an internal note: both keys read, strongly consistent', async () => {
    const answer = await read(NOTE_ID, agent('ada'));

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(note);
    expect(keysRead()).toEqual(
      expect.arrayContaining([commentKey(NOTE_ID, 'PUBLIC'), commentKey(NOTE_ID, 'INTERNAL')]),
    );
    for (const call of dynamodb.commandCalls(GetCommand)) expect(call.args[0].input.ConsistentRead).toBe(true);
    expect((await read(REPLY_ID, agent('ada'))).body).toEqual(reply);
  });

  test("the requester asking for an internal note gets a missing comment's 404, the note's key never read", async () => {
    const forNote = expectProblem(await read(NOTE_ID, customer('alice')), 404);
    expect(keysRead()).toEqual([commentKey(NOTE_ID, 'PUBLIC')]);
    const forMissing = expectProblem(await read(MISSING_ID, customer('alice')), 404);

    // Each answer has its own requestId and names the id asked for; nothing else may differ.
    const comparable = (problem: typeof forNote, id: string) => ({
      ...problem,
      requestId: '<request>',
      detail: problem.detail.replaceAll(id, '<id>'),
    });
    expect(comparable(forNote, NOTE_ID)).toEqual(comparable(forMissing, MISSING_ID));
    expect(JSON.stringify(forNote)).not.toMatch(/internal|note/i);
  });

  test('a comment that does not exist: 404 to an agent too', async () => {
    expectProblem(await read(MISSING_ID, agent('ada')), 404);
  });

  test("another customer's ticket: 404, no comment read", async () => {
    expectProblem(await read(REPLY_ID, customer('bob')), 404);
    expect(keysRead()).toEqual([]);
  });

  test('a missing ticket: 404, no comment read', async () => {
    dynamodb.on(QueryCommand).resolves({ Items: [] });
    expectProblem(await read(REPLY_ID, agent('ada')), 404);
    expect(keysRead()).toEqual([]);
  });

  test.each([
    ['a ticket id', 'not-a-ulid', REPLY_ID, '/pathParameters/id'],
    ['a comment id', TICKET_ID, 'comment-1', '/pathParameters/commentId'],
    ['a comment id in lower case', TICKET_ID, REPLY_ID.toLowerCase(), '/pathParameters/commentId'],
  ])('%s that is not a ULID: 400 naming it, nothing read', async (_name, id, commentId, path) => {
    const problem = expectProblem(await read(commentId, agent('ada'), id), 400);
    expect(problem.errors?.map((error) => error.path)).toEqual([path]);
    expect(dynamodb.calls()).toHaveLength(0);
  });

  test('DynamoDB throttling: 503 with Retry-After', async () => {
    dynamodb.on(GetCommand).rejects(new ProvisionedThroughputExceededException({ message: 'Rate', $metadata: {} }));
    const answer = await read(REPLY_ID, customer('alice'));
    expectProblem(answer, 503);
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
  });
});
