/**
 * What Lambda counts against its 6 MB limit on a synchronous response is the
 * proxy result serialized as JSON, in which the body (JSON itself) is escaped
 * a second time: a backslash in a ticket's text weighs 4 bytes there. The
 * functions run here against DynamoDB Local with the largest texts the API
 * keeps, and each raw result they return is measured as the runtime sends it.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import type { Comment } from '../../layers/shared/src/domain/comment-schema.js';
import type { HistoryEntry, Ticket } from '../../layers/shared/src/domain/ticket.js';
import {
  COMMENT_BODY_MAX_LENGTH,
  DESCRIPTION_MAX_LENGTH,
  MAX_TAGS,
  SUBJECT_MAX_LENGTH,
} from '../../layers/shared/src/domain/ticket-vocabulary.js';
import { DynamoDbCommentRepository } from '../../layers/shared/src/repository/dynamodb-comment-repository.js';
import { DynamoDbTicketRepository } from '../../layers/shared/src/repository/dynamodb-ticket-repository.js';
import { toHistoryItem } from '../../layers/shared/src/repository/ticket-item.js';
import { agent, apiEvent, customer, lambdaContext, type EventOptions } from '../support/api-gateway-event.js';
import type { CommentPageBody, TicketPageBody, TicketWithHistoryBody } from '../support/api-bodies.js';
import { createTestTable, type TestTable } from '../support/dynamodb-test-table.js';
import { startCursorSecretStandIn, type CursorSecretStandIn } from '../support/secrets-manager-stand-in.js';
import {
  loadCommentHandlers,
  loadHandlers,
  type CommentHandlers,
  type LambdaHandler,
  type TicketHandlers,
} from '../support/ticket-api-harness.js';
import { fixedSecret } from '../support/secret-source.js';
import { aTicket } from '../support/tickets.js';

/** Lambda's limit on a synchronous invocation's response payload. */
const LAMBDA_RESPONSE_LIMIT = 6_291_456;
const newId = monotonicFactory();

/** Text the API keeps at its longest, made of the character that weighs most once escaped twice. */
const backslashes = (length: number) => '\\'.repeat(length);
const quotes = (length: number) => '"'.repeat(length);

let table: TestTable;
let cursorSecret: CursorSecretStandIn;
let tickets: TicketHandlers;
let comments: CommentHandlers;
let ticketRepository: DynamoDbTicketRepository;
let commentRepository: DynamoDbCommentRepository;

/** The function's raw result, and its size as the runtime sends it: the result serialized as JSON, in UTF-8. */
async function invokeRaw(handler: LambdaHandler, options: EventOptions) {
  const result: APIGatewayProxyResult = await handler(apiEvent(options), lambdaContext());
  return { result, invocationBytes: Buffer.byteLength(JSON.stringify(result), 'utf8') };
}

/** The largest ticket the write path lets a customer make: every text at its limit, of backslashes and quotes. */
function largestTicket(requesterId: string, createdSecond: number, overrides: Partial<Ticket> = {}): Ticket {
  return aTicket({
    id: newId(),
    subject: quotes(SUBJECT_MAX_LENGTH),
    description: backslashes(DESCRIPTION_MAX_LENGTH),
    tags: Array.from({ length: MAX_TAGS }, (_, index) => `${String(index)}${'x'.repeat(49)}`),
    requester: { id: requesterId, email: `${requesterId}@example.com` },
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, createdSecond)).toISOString(),
    ...overrides,
  });
}

beforeAll(async () => {
  table = await createTestTable('response-size');
  cursorSecret = await startCursorSecretStandIn();
  const environment = { TABLE_NAME: table.tableName, ...cursorSecret.environment, POWERTOOLS_LOG_LEVEL: 'CRITICAL' };
  tickets = await loadHandlers(environment);
  comments = await loadCommentHandlers(environment);
  const options = {
    client: table.documentClient,
    tableName: table.tableName,
    cursorSecret: fixedSecret('a-test-secret-that-is-long-enough-for-hmac'),
  };
  ticketRepository = new DynamoDbTicketRepository(options);
  commentRepository = new DynamoDbCommentRepository(options);
}, 60_000);

afterAll(async () => {
  await cursorSecret.stop();
});

describe('GET /tickets with 100 tickets of 20,000 backslashes', () => {
  const TICKETS = 100;
  const requesterId = 'backslash-customer';

  beforeAll(async () => {
    for (let index = 0; index < TICKETS; index++) await ticketRepository.create(largestTicket(requesterId, index));
  }, 120_000);

  test('every page is inside Lambda’s limit and the pages hold every ticket once', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const { result, invocationBytes } = await invokeRaw(tickets.list, {
        method: 'GET',
        resource: '/tickets',
        query: { limit: '100', ...(cursor && { cursor }) },
        claims: customer(requesterId),
      });
      expect(result.statusCode).toBe(200);
      expect(invocationBytes).toBeLessThan(LAMBDA_RESPONSE_LIMIT);
      sizes.push(invocationBytes);
      const page = JSON.parse(result.body) as TicketPageBody;
      seen.push(...page.items.map((ticket) => ticket.id));
      cursor = page.nextCursor;
    } while (cursor && sizes.length < 10);

    // Once encoded the 100 tickets are about 4 MB; escaped again, 8 MB: more than one response.
    expect(sizes.length).toBeGreaterThan(1);
    // A page is cut where the next ticket would not fit, not far before.
    expect(sizes[0]).toBeGreaterThan(LAMBDA_RESPONSE_LIMIT - 200_000);
    expect(seen).toHaveLength(TICKETS);
    expect(new Set(seen).size).toBe(TICKETS);
  });

  test('an agent’s unfiltered pages are inside the limit too', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { result, invocationBytes } = await invokeRaw(tickets.list, {
        method: 'GET',
        resource: '/tickets',
        query: { limit: '100', ...(cursor && { cursor }) },
        claims: agent('agent-ada'),
      });
      expect(result.statusCode).toBe(200);
      expect(invocationBytes).toBeLessThan(LAMBDA_RESPONSE_LIMIT);
      const page = JSON.parse(result.body) as TicketPageBody;
      for (const ticket of page.items) if (ticket.requester.id === requesterId) seen.add(ticket.id);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(seen.size).toBe(TICKETS);
  });
});

describe('GET /tickets/{id}/comments with 100 comments of 20,000 backslashes', () => {
  const requesterId = 'backslash-commenter';
  const PUBLIC_COMMENTS = 80;
  const INTERNAL_NOTES = 20;
  let ticket: Ticket;

  beforeAll(async () => {
    ticket = largestTicket(requesterId, 0);
    await ticketRepository.create(ticket);
    let version = ticket.version;
    for (let index = 0; index < PUBLIC_COMMENTS + INTERNAL_NOTES; index++) {
      const isNote = index % 5 === 1;
      const author =
        isNote || index % 2 === 0
          ? { id: 'agent-ada', role: 'agent' as const }
          : { id: requesterId, role: 'customer' as const };
      const comment: Comment = {
        id: newId(),
        ticketId: ticket.id,
        author,
        body: index % 2 === 0 ? backslashes(COMMENT_BODY_MAX_LENGTH) : quotes(COMMENT_BODY_MAX_LENGTH),
        visibility: isNote ? 'internal' : 'public',
        createdAt: new Date(Date.UTC(2026, 0, 2, 0, 0, index)).toISOString(),
        analysis: { status: 'complete', language: 'en', sentiment: null, redactions: [] },
      };
      await commentRepository.addComment({ comment, expectedVersion: version, isAgentReply: false });
      version = (await ticketRepository.get(ticket.id, 'agent'))?.version ?? version;
    }
  }, 120_000);

  test.each([
    ['an agent, comments and notes', agent('agent-ada'), PUBLIC_COMMENTS + INTERNAL_NOTES],
    ['the requester, public comments', customer(requesterId), PUBLIC_COMMENTS],
  ])('pages for %s stay inside the limit and hold every comment once', async (_who, claims, expected) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { result, invocationBytes } = await invokeRaw(comments.listComments, {
        method: 'GET',
        resource: '/tickets/{id}/comments',
        pathParameters: { id: ticket.id },
        query: { limit: '100', ...(cursor && { cursor }) },
        claims,
      });
      expect(result.statusCode).toBe(200);
      expect(invocationBytes).toBeLessThan(LAMBDA_RESPONSE_LIMIT);
      const page = JSON.parse(result.body) as CommentPageBody;
      seen.push(...page.items.map((comment) => comment.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBeGreaterThan(1);
    expect(seen).toHaveLength(expected);
    expect(new Set(seen).size).toBe(expected);
    expect([...seen].sort()).toEqual(seen); // oldest first
  });
});

describe('GET and PATCH /tickets/{id} of the largest ticket with a history longer than one response holds', () => {
  const requesterId = 'long-history-customer';
  /** Far more changes than 6 MB holds, each of the largest kind an agent's update records. */
  const ENTRIES = 2_500;
  let ticket: Ticket;

  /** One update changing every field it can, with the longest values each takes. */
  const largestEntry = (version: number): HistoryEntry => ({
    version,
    at: new Date(Date.UTC(2026, 1, 1) + version * 1000).toISOString(),
    by: { id: quotes(128), role: 'agent' },
    changes: [
      { field: 'status', from: 'waiting_on_customer', to: 'in_progress' },
      { field: 'priority', from: 'normal', to: 'urgent' },
      { field: 'category', from: 'feature_request', to: 'technical' },
      { field: 'assigneeId', from: quotes(128), to: backslashes(128) },
      {
        field: 'tags',
        from: Array.from({ length: MAX_TAGS }, (_, index) => `a${String(index)}${'-'.repeat(48)}`),
        to: Array.from({ length: MAX_TAGS }, (_, index) => `b${String(index)}${'_'.repeat(48)}`),
      },
    ],
  });

  beforeAll(async () => {
    ticket = largestTicket(requesterId, 0, { version: ENTRIES + 1, status: 'in_progress' });
    await ticketRepository.create(ticket);
    const items = Array.from({ length: ENTRIES }, (_, index) => toHistoryItem(ticket.id, largestEntry(index + 2)));
    for (let start = 0; start < items.length; start += 25) {
      const batch = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
      await table.documentClient.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: batch } }));
    }
  }, 180_000);

  test('the ticket alone, with the longest texts, is far inside the limit', async () => {
    const { result, invocationBytes } = await invokeRaw(tickets.list, {
      method: 'GET',
      resource: '/tickets',
      query: { limit: '1' },
      claims: customer(requesterId),
    });
    expect(result.statusCode).toBe(200);
    expect(invocationBytes).toBeLessThan(LAMBDA_RESPONSE_LIMIT / 20);
  });

  test('GET answers with the most recent changes that fit, oldest first, inside the limit', async () => {
    const { result, invocationBytes } = await invokeRaw(tickets.get, {
      method: 'GET',
      resource: '/tickets/{id}',
      pathParameters: { id: ticket.id },
      claims: customer(requesterId),
    });
    expect(result.statusCode).toBe(200);
    expect(invocationBytes).toBeLessThan(LAMBDA_RESPONSE_LIMIT);
    expect(invocationBytes).toBeGreaterThan(LAMBDA_RESPONSE_LIMIT - 200_000);
    const body = JSON.parse(result.body) as TicketWithHistoryBody;
    const versions = body.history.map((entry) => entry.version);
    expect(versions.length).toBeLessThan(ENTRIES);
    expect(versions.at(-1)).toBe(ENTRIES + 1);
    expect(versions).toEqual(
      Array.from({ length: versions.length }, (_, index) => ENTRIES + 2 - versions.length + index),
    );
    expect(body.history.at(-1)).toEqual(largestEntry(ENTRIES + 1));
  });

  test('PATCH answers with the ticket, its recent history and the new change, inside the limit', async () => {
    const { result, invocationBytes } = await invokeRaw(tickets.update, {
      method: 'PATCH',
      resource: '/tickets/{id}',
      pathParameters: { id: ticket.id },
      headers: { 'If-Match': `"${String(ENTRIES + 1)}"` },
      body: { status: 'waiting_on_customer' },
      claims: agent('agent-ada'),
    });
    expect(result.statusCode).toBe(200);
    expect(invocationBytes).toBeLessThan(LAMBDA_RESPONSE_LIMIT);
    const body = JSON.parse(result.body) as TicketWithHistoryBody;
    expect(body.history.at(-1)?.version).toBe(ENTRIES + 2);
  });
});
