import { beforeEach, describe, expect, test } from '@jest/globals';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { Comment } from '../../../layers/shared/src/domain/comment-schema.js';
import type { CommentWrite } from '../../../layers/shared/src/domain/comment-repository.js';
import { UnavailableError } from '../../../layers/shared/src/domain/errors.js';
import {
  commentFromItem,
  toCommentIdempotencyItem,
  toCommentItem,
  unexpiredCommentRecordFromItem,
} from '../../../layers/shared/src/repository/comment-item.js';
import { DynamoDbCommentRepository } from '../../../layers/shared/src/repository/dynamodb-comment-repository.js';
import {
  COMMENT_SK_PREFIX,
  commentIdempotencyKey,
  commentKey,
  commentOfSortKey,
  commentSortKeyPrefix,
  HISTORY_SK_PREFIX,
  idempotencyKey,
  TICKET_SK,
} from '../../../layers/shared/src/repository/table-layout.js';
import { commentTransaction } from '../../../layers/shared/src/repository/write-requests.js';
import { fixedSecret } from '../../support/secret-source.js';

const TICKET_ID = '01HZXTICKET000000000000000';
const COMMENT: Comment = {
  id: '01HZXC0MMENT00000000000000',
  ticketId: TICKET_ID,
  author: { id: 'ada', role: 'agent' },
  body: 'Could you send a screenshot?',
  visibility: 'public',
  createdAt: '2026-03-02T09:00:00.000Z',
  analysis: {
    status: 'complete',
    language: 'en',
    sentiment: { label: 'NEUTRAL', scores: { positive: 0.1, negative: 0, neutral: 0.9, mixed: 0 } },
    redactions: [{ type: 'PIN', count: 1 }],
  },
};

describe('a comment item', () => {
  test("lives in its ticket's partition under a COMMENT#PUBLIC# key and reads back as the comment", () => {
    const item = toCommentItem(COMMENT);
    expect(item).toMatchObject({ pk: `TICKET#${TICKET_ID}`, sk: `COMMENT#PUBLIC#${COMMENT.id}` });
    expect(commentFromItem(item)).toStrictEqual(COMMENT);
  });

  test('an internal note lives under a COMMENT#INTERNAL# key: a Query of the public prefix never reads it', () => {
    const note: Comment = { ...COMMENT, visibility: 'internal' };
    const item = toCommentItem(note);
    expect(item).toMatchObject({ pk: `TICKET#${TICKET_ID}`, sk: `COMMENT#INTERNAL#${COMMENT.id}` });
    expect(String(item.sk).startsWith(commentSortKeyPrefix('public'))).toBe(false);
    expect(commentFromItem(item)).toStrictEqual(note);
  });

  test('both prefixes keep COMMENT# and sort before HISTORY# and TICKET, where a ticket is read from', () => {
    for (const visibility of ['public', 'internal'] as const) {
      const { sk } = commentKey(TICKET_ID, COMMENT.id, visibility);
      expect(sk.startsWith(COMMENT_SK_PREFIX)).toBe(true);
      expect(sk < HISTORY_SK_PREFIX && sk < TICKET_SK).toBe(true);
      expect(commentOfSortKey(sk)).toEqual({ id: COMMENT.id, visibility });
    }
    expect(commentOfSortKey(`COMMENT#${COMMENT.id}`)).toBeUndefined();
    expect(commentOfSortKey('COMMENT#PUBLIC#')).toBeUndefined();
    expect(commentOfSortKey('HISTORY#0000000001')).toBeUndefined();
  });

  test.each([
    ['visibility', 'secret'],
    ['body', 42],
  ])('a malformed %s is refused, naming the attribute and not the value', (name, value) => {
    expect(() => commentFromItem({ ...toCommentItem(COMMENT), [name]: value })).toThrow(
      `Malformed item in the ticket table: comment.${name}`,
    );
  });

  test("an Idempotency-Key's record is the author's for this ticket, apart from a create's with the same key", () => {
    const item = toCommentIdempotencyItem(COMMENT, { key: 'k', fingerprint: 'f' }, 1_000);
    expect(item).toMatchObject({
      ...commentIdempotencyKey('ada', TICKET_ID, 'k'),
      commentId: COMMENT.id,
      fingerprint: 'f',
    });
    expect(item.sk).not.toBe(idempotencyKey('ada', 'k').sk);
    expect(commentIdempotencyKey('ada', 'OTHER', 'k')).not.toEqual(commentIdempotencyKey('ada', TICKET_ID, 'k'));
    expect(unexpiredCommentRecordFromItem(item, 1_000)).toEqual({ commentId: COMMENT.id, fingerprint: 'f' });
    expect(unexpiredCommentRecordFromItem(item, 1_000 + 24 * 60 * 60)).toBeNull();
  });
});

describe("a comment's transaction", () => {
  const write = (overrides: Partial<CommentWrite> = {}): CommentWrite => ({
    comment: COMMENT,
    expectedVersion: 3,
    isAgentReply: true,
    ...overrides,
  });

  test('an agent reply that moves the status: ticket, comment, history entry, in that order', () => {
    const entry = {
      version: 4,
      at: COMMENT.createdAt,
      by: { id: 'ada', role: 'agent' as const },
      changes: [{ field: 'status' as const, from: 'open', to: 'waiting_on_customer' }],
    };
    const { TransactItems: items = [] } = commentTransaction(
      'tickets',
      write({ move: { from: 'open', status: 'waiting_on_customer', entry } }),
      undefined,
      1_000,
    );

    expect(items).toHaveLength(3);
    const update = items[0]?.Update;
    expect(update).toMatchObject({
      Key: { pk: `TICKET#${TICKET_ID}`, sk: 'TICKET' },
      ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
      ExpressionAttributeValues: {
        ':expected': 3,
        ':next': 4,
        ':status': 'waiting_on_customer',
        ':statusKey': 'STATUS#waiting_on_customer',
      },
    });
    expect(update?.UpdateExpression).toContain('#firstResponseAt = if_not_exists(#firstResponseAt, :at)');
    expect(update?.UpdateExpression).toContain('ADD #commentCount :one, #publicCommentCount :one');
    expect(items[1]?.Put).toMatchObject({
      // The move is kept on the comment's item for the table's stream.
      Item: { sk: `COMMENT#PUBLIC#${COMMENT.id}`, statusChange: { from: 'open', to: 'waiting_on_customer' } },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(items[2]?.Put?.Item).toMatchObject({ sk: 'HISTORY#0000000004', ...entry });
  });

  test('an internal note: counted for agents only, the version and status left alone', () => {
    const note = { ...COMMENT, visibility: 'internal' as const };
    const { TransactItems: items = [] } = commentTransaction(
      'tickets',
      write({ comment: note, isAgentReply: false }),
      undefined,
      1_000,
    );

    expect(items).toHaveLength(2);
    const expression = items[0]?.Update?.UpdateExpression ?? '';
    expect(expression).toBe('SET #lastCommentAt = :at ADD #commentCount :one');
    expect(items[1]?.Put?.Item).toMatchObject({ sk: `COMMENT#INTERNAL#${COMMENT.id}` });
    expect(items[1]?.Put?.Item).not.toHaveProperty('statusChange');
  });

  test('with an Idempotency-Key, its record is written last, unless an unexpired one exists', () => {
    const { TransactItems: items = [] } = commentTransaction('tickets', write(), { key: 'k', fingerprint: 'f' }, 1_000);
    expect(items.at(-1)?.Put).toMatchObject({
      Item: { commentId: COMMENT.id, expiresAt: 1_000 + 24 * 60 * 60 },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });
});

describe("a comment's transaction and the ticket's due times", () => {
  const clock = {
    firstResponseDueAt: '2026-03-02T10:00:00.000Z',
    resolutionDueAt: '2026-03-04T10:00:00.000Z',
    pausedSince: '2026-03-02T09:00:00.000Z',
  };

  test('the first reply sets the clock and the byDue key to the resolution due time, while no other first reply is given', () => {
    const { TransactItems: items = [] } = commentTransaction(
      'tickets',
      {
        comment: COMMENT,
        expectedVersion: 3,
        isAgentReply: true,
        serviceLevels: { clock, firstResponseAt: COMMENT.createdAt, decidedOn: null },
      },
      undefined,
      1_000,
    );
    const update = items[0]?.Update;
    expect(update?.UpdateExpression).toContain('#sla = :sla, #dueKey = :dueKey');
    expect(update?.ExpressionAttributeNames).toMatchObject({ '#sla': 'sla', '#dueKey': 'gsi4sk' });
    expect(update?.ExpressionAttributeValues).toMatchObject({
      ':sla': clock,
      ':dueKey': `2026-03-04T10:00:00.000Z#${TICKET_ID}`,
    });
    // Two first replies at once: one is the first, the other is decided again.
    expect(update?.ConditionExpression).toBe(
      'attribute_exists(pk) AND #version = :expected AND attribute_not_exists(#firstResponseAt)',
    );
  });

  test('a move after the first response needs no guard', () => {
    const { TransactItems: items = [] } = commentTransaction(
      'tickets',
      {
        comment: { ...COMMENT, author: { id: 'alice', role: 'customer' } },
        expectedVersion: 3,
        isAgentReply: false,
        serviceLevels: { clock, firstResponseAt: '2026-03-02T08:00:00.000Z', decidedOn: '2026-03-02T08:00:00.000Z' },
      },
      undefined,
      1_000,
    );
    expect(items[0]?.Update?.ConditionExpression).toBe('attribute_exists(pk) AND #version = :expected');
  });

  test('a move worked out without a first response holds only while none is given', () => {
    const { TransactItems: items = [] } = commentTransaction(
      'tickets',
      {
        comment: { ...COMMENT, author: { id: 'alice', role: 'customer' } },
        expectedVersion: 3,
        isAgentReply: false,
        serviceLevels: { clock, firstResponseAt: null, decidedOn: null },
      },
      undefined,
      1_000,
    );
    const update = items[0]?.Update;
    expect(update?.ExpressionAttributeValues).toMatchObject({ ':dueKey': `2026-03-02T10:00:00.000Z#${TICKET_ID}` });
    expect(update?.ConditionExpression).toBe(
      'attribute_exists(pk) AND #version = :expected AND attribute_not_exists(#firstResponseAt)',
    );
  });

  test('a comment that moves no due time leaves them alone', () => {
    const { TransactItems: items = [] } = commentTransaction(
      'tickets',
      { comment: COMMENT, expectedVersion: 3, isAgentReply: false },
      undefined,
      1_000,
    );
    expect(items[0]?.Update?.UpdateExpression).not.toContain('#sla');
  });
});

describe('adding a comment while other writes of the ticket are in flight', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const comments = new DynamoDbCommentRepository({
    client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
    tableName: 'tickets',
    cursorSecret: fixedSecret('unit-test-cursor-secret-0123456789abcdef'),
  });
  const conflict = () =>
    Object.assign(new Error('TransactionCanceledException from the mock'), {
      name: 'TransactionCanceledException',
      $metadata: {},
      CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
    });

  beforeEach(() => {
    dynamo.reset();
  });

  test('a transaction conflict with a concurrent comment is tried again, and the comment stored', async () => {
    dynamo.on(TransactWriteCommand).rejectsOnce(conflict()).resolves({});

    await expect(comments.addComment({ comment: COMMENT, expectedVersion: 3, isAgentReply: true })).resolves.toEqual({
      comment: COMMENT,
      replayed: false,
    });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  test('conflicts that do not end: 503, retry shortly', async () => {
    dynamo.on(TransactWriteCommand).rejects(conflict());

    await expect(
      comments.addComment({ comment: COMMENT, expectedVersion: 3, isAgentReply: true }),
    ).rejects.toBeInstanceOf(UnavailableError);
  });
});
