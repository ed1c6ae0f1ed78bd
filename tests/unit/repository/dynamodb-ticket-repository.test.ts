/**
 * The repository's translation of DynamoDB's answers, with the SDK mocked: the
 * failures DynamoDB Local cannot be made to produce on demand (throttling,
 * transaction conflicts, outages) and the exact requests each list shape sends.
 */
import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ConflictError,
  IdempotencyMismatchError,
  NotFoundError,
  PreconditionFailedError,
  UnavailableError,
} from '../../../layers/shared/src/domain/errors.js';
import type { Ticket } from '../../../layers/shared/src/domain/ticket.js';
import { DynamoDbTicketRepository } from '../../../layers/shared/src/repository/dynamodb-ticket-repository.js';
import type { ListQuery } from '../../../layers/shared/src/domain/ticket-repository.js';
import { RESPONSE_ENTRIES_BUDGET_BYTES, responseBytes } from '../../../layers/shared/src/repository/response-size.js';
import { toHistoryItem } from '../../../layers/shared/src/repository/ticket-item.js';
import { aHistoryEntry, aTicket, storedTicketItem } from '../../support/tickets.js';
import { attributesSetBy } from '../../support/update-expressions.js';
import { fixedSecret } from '../../support/secret-source.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const repository = new DynamoDbTicketRepository({
  client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
  tableName: 'tickets',
  cursorSecret: fixedSecret('unit-test-cursor-secret-0123456789abcdef'),
  now: () => new Date('2026-03-01T12:00:00.000Z'),
});

beforeEach(() => {
  dynamo.reset();
});

/** Priority high: the triage index ranks it 1. */
const TICKET = aTicket({ priority: 'high' });
const NEXT: Ticket = { ...TICKET, status: 'in_progress', version: 2, updatedAt: '2026-03-01T11:00:00.000Z' };
const ENTRY = aHistoryEntry({
  version: 2,
  at: NEXT.updatedAt,
  changes: [{ field: 'status', from: 'open', to: 'in_progress' }],
});

const sdkError = (name: string, fields: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} from the mock`), { name, $metadata: {}, ...fields });
const cancelled = (...codes: (string | { Code: string; Item?: object })[]) =>
  sdkError('TransactionCanceledException', {
    CancellationReasons: codes.map((code) => (typeof code === 'string' ? { Code: code } : code)),
  });

describe('SDK errors become domain errors', () => {
  test.each([
    'ProvisionedThroughputExceededException',
    'ThrottlingException',
    'RequestLimitExceeded',
    'TransactionConflictException',
  ])('%s (throttling) → Unavailable, retry in a second', async (name) => {
    const cause = sdkError(name);
    dynamo.on(QueryCommand).rejects(cause);

    const failure = repository.get(TICKET.id);
    await expect(failure).rejects.toBeInstanceOf(UnavailableError);
    await expect(failure).rejects.toMatchObject({ retryAfterSeconds: 1, cause });
  });

  test.each(['InternalServerError', 'ServiceUnavailable', 'TimeoutError', 'AbortError'])(
    '%s (the service is down or slow) → Unavailable',
    async (name) => {
      dynamo.on(GetCommand).rejects(sdkError(name));
      await expect(repository.findIdempotentCreate('alice', 'key')).rejects.toMatchObject({
        constructor: UnavailableError,
        retryAfterSeconds: expect.any(Number),
      });
    },
  );

  test('a refused connection, alone or among several addresses tried, → Unavailable', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
    dynamo
      .on(QueryCommand)
      .rejectsOnce(refused)
      .rejectsOnce(new AggregateError([refused], 'all addresses failed'));

    await expect(repository.get(TICKET.id)).rejects.toBeInstanceOf(UnavailableError);
    await expect(repository.get(TICKET.id)).rejects.toBeInstanceOf(UnavailableError);
  });

  test('anything else is rethrown untouched', async () => {
    const unknown = sdkError('ValidationException');
    dynamo.on(QueryCommand).rejects(unknown);
    await expect(repository.get(TICKET.id)).rejects.toBe(unknown);
  });

  test('a throttled write is Unavailable too', async () => {
    dynamo.on(PutCommand).rejects(sdkError('ProvisionedThroughputExceededException'));
    await expect(repository.create(TICKET)).rejects.toBeInstanceOf(UnavailableError);
  });
});

describe('failed conditions mean what the write was about', () => {
  test('create: an existing id is a conflict', async () => {
    dynamo.on(PutCommand).rejects(sdkError('ConditionalCheckFailedException'));
    await expect(repository.create(TICKET)).rejects.toBeInstanceOf(ConflictError);
  });

  test('create: finding its own ticket (an SDK retry after a lost answer) is success, not a conflict', async () => {
    const stored = marshall(storedTicketItem(TICKET));
    dynamo.on(PutCommand).rejects(sdkError('ConditionalCheckFailedException', { Item: stored }));
    await expect(repository.create(TICKET)).resolves.toEqual({ ticket: TICKET, replayed: false });
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
  });

  test('create: another ticket under the same id is still a conflict', async () => {
    const other = marshall(storedTicketItem({ ...TICKET, subject: 'Someone else' }));
    dynamo.on(PutCommand).rejects(sdkError('ConditionalCheckFailedException', { Item: other }));
    await expect(repository.create(TICKET)).rejects.toBeInstanceOf(ConflictError);
  });

  test('update: no current item means the ticket is gone', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled({ Code: 'ConditionalCheckFailed' }, 'None'));
    await expect(repository.update(NEXT, 1, ENTRY)).rejects.toBeInstanceOf(NotFoundError);
  });

  test('update: a current item at another version is a failed precondition', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejects(cancelled({ Code: 'ConditionalCheckFailed', Item: { version: { N: '5' } } }, 'None'));
    await expect(repository.update(NEXT, 1, ENTRY)).rejects.toBeInstanceOf(PreconditionFailedError);
  });

  test('update: a concurrent transaction on the ticket is Unavailable (retry), not a lost write', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'None'));
    await expect(repository.update(NEXT, 1, ENTRY)).rejects.toBeInstanceOf(UnavailableError);
  });

  test('completing an analysis: no current item is NotFound, a ticket that moved on a failed precondition', async () => {
    const completion = {
      ...TICKET,
      expectedVersion: 1,
      analysis: { ...TICKET.analysis, status: 'complete' as const },
      entry: { ...ENTRY, by: { id: 'system', role: 'system' as const } },
    };
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled({ Code: 'ConditionalCheckFailed' }, 'None'))
      .rejectsOnce(cancelled({ Code: 'ConditionalCheckFailed', Item: { version: { N: '2' } } }, 'None'));

    await expect(repository.completeAnalysis(completion)).rejects.toBeInstanceOf(NotFoundError);
    await expect(repository.completeAnalysis(completion)).rejects.toThrow(
      new PreconditionFailedError(`Ticket ${TICKET.id} is no longer at version 1 with its analysis pending.`),
    );
  });

  test('update: the ticket and its history entry go in one transaction, guarded by the version', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await repository.update(NEXT, 1, ENTRY);

    const [ticketUpdate, historyPut] = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(ticketUpdate!.Update).toMatchObject({
      Key: { pk: `TICKET#${TICKET.id}`, sk: 'TICKET' },
      // Decided before any first response: one given meanwhile moves the byDue key, so the update is decided again.
      ConditionExpression: 'attribute_exists(pk) AND #version = :expected AND attribute_not_exists(#firstResponseAt)',
      ExpressionAttributeValues: { ':expected': 1 },
    });
    const written = attributesSetBy(ticketUpdate!.Update!);
    expect(written).toMatchObject({
      gsi2pk: 'STATUS#in_progress',
      gsi2sk: `1#${TICKET.createdAt}#${TICKET.id}`,
    });
    // The conversation is the comments' to write: an update never undoes a comment added meanwhile.
    for (const attribute of ['commentCount', 'publicCommentCount', 'lastCommentAt', 'lastPublicCommentAt']) {
      expect(written).not.toHaveProperty(attribute);
    }
    expect(historyPut!.Put).toMatchObject({
      Item: { pk: `TICKET#${TICKET.id}`, sk: 'HISTORY#0000000002', ...ENTRY },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });
});

describe('idempotent create', () => {
  const claim = { key: 'double-click', fingerprint: 'body-digest' };
  const earlierRecord = (fingerprint: string) => ({
    Code: 'ConditionalCheckFailed',
    Item: { ticketId: { S: 'EARLIER' }, fingerprint: { S: fingerprint } },
  });
  const earlierTicket = { ...TICKET, id: 'EARLIER', pk: 'TICKET#EARLIER', sk: 'TICKET', gsi3pk: 'TICKET' };

  test('colliding with a concurrent create of the same key, it waits and replays that create', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'TransactionConflict'))
      .rejectsOnce(cancelled('None', earlierRecord(claim.fingerprint)));
    dynamo.on(GetCommand).resolves({ Item: earlierTicket });

    const result = await repository.create({ ...TICKET, id: 'LATER' }, claim);

    expect(result).toEqual({ ticket: { ...TICKET, id: 'EARLIER' }, replayed: true });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  test('the record of the earlier create comes with the cancellation: a mismatch costs no extra read', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled('None', earlierRecord('another-body')));

    await expect(repository.create(TICKET, claim)).rejects.toBeInstanceOf(IdempotencyMismatchError);
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
  });

  test('without the record in the cancellation, it reads the record', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed'));
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: { ticketId: 'EARLIER', fingerprint: claim.fingerprint, expiresAt: 4_102_444_800 } })
      .resolvesOnce({ Item: earlierTicket });

    await expect(repository.create(TICKET, claim)).resolves.toMatchObject({
      replayed: true,
      ticket: { id: 'EARLIER' },
    });
  });

  test('a conflict that does not clear is Unavailable after a few attempts', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled('None', 'TransactionConflict'));

    await expect(repository.create(TICKET, claim)).rejects.toBeInstanceOf(UnavailableError);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });
});

describe('list queries', () => {
  const ALICE_OWN = { scope: { kind: 'requester' as const, requesterId: 'alice' }, callerId: 'alice' };
  const lastQuery = (): QueryCommandInput => dynamo.commandCalls(QueryCommand).at(-1)!.args[0].input;
  const list = (query: Partial<ListQuery>) =>
    repository.list({ scope: { kind: 'all' }, limit: 20, callerId: 'agent-ada', ...query });

  beforeEach(() => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
  });

  test("a customer's list queries their requester partition, newest first, filtering status and priority", async () => {
    await list({ ...ALICE_OWN, status: 'open', priority: 'high' });
    expect(lastQuery()).toMatchObject({
      IndexName: 'byRequester',
      KeyConditionExpression: '#hashKey = :partition',
      ExpressionAttributeValues: { ':partition': 'REQUESTER#alice', ':status': 'open', ':priority': 'high' },
      FilterExpression: '#status = :status AND #priority = :priority',
      ScanIndexForward: false,
    });
  });

  test('an agent filtering by status and priority queries the triage index by key, oldest first', async () => {
    await list({ status: 'open', priority: 'urgent' });
    expect(lastQuery()).toMatchObject({
      IndexName: 'byStatus',
      KeyConditionExpression: '#hashKey = :partition AND begins_with(#rangeKey, :rankPrefix)',
      ExpressionAttributeValues: { ':partition': 'STATUS#open', ':rankPrefix': '0#' },
      ScanIndexForward: true,
    });
    expect(lastQuery().FilterExpression).toBeUndefined();
  });

  test('an agent without a status filter queries every ticket by creation, newest first', async () => {
    await list({ priority: 'low' });
    expect(lastQuery()).toMatchObject({
      IndexName: 'byCreated',
      ExpressionAttributeValues: { ':partition': 'TICKET', ':priority': 'low' },
      FilterExpression: '#priority = :priority',
      ScanIndexForward: false,
    });
  });

  test('a page size outside 1..100 is a RangeError: the request schema bounds it, so the caller is at fault', async () => {
    for (const limit of [0, 101, 2.5]) {
      const refusal = list({ limit });
      await expect(refusal).rejects.toBeInstanceOf(RangeError);
      await expect(refusal).rejects.not.toHaveProperty('errors');
    }
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
  });

  test('a malformed ticket item in a page is a fault, not a ticket', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ ...storedTicketItem(TICKET), status: 'lost' }] });
    await expect(list({})).rejects.toThrow('Malformed item in the ticket table: ticket.status is not one of');
  });

  test('a filter that matches nothing stops after a bounded number of reads, with a cursor to go on', async () => {
    const more = { pk: 'TICKET#X', sk: 'TICKET', gsi1pk: 'REQUESTER#alice', gsi1sk: '2026#X' };
    dynamo.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: more });

    const page = await list({ ...ALICE_OWN, status: 'closed' });

    expect(page.items).toEqual([]);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(10);
  });
});

describe('a ticket with its history', () => {
  /** An assignee change of 100,000 backslashes each way: about 800 KB once escaped twice in a response. */
  const heavyEntry = (version: number) =>
    toHistoryItem(
      TICKET.id,
      aHistoryEntry({
        version,
        changes: [{ field: 'assigneeId', from: '\\'.repeat(100_000), to: '\\'.repeat(100_000) }],
      }),
    );

  test('is read newest first, strongly consistent, from HISTORY# on, and answered oldest first', async () => {
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [storedTicketItem(TICKET), heavyEntry(3)], LastEvaluatedKey: { pk: 'p', sk: 's' } })
      .resolvesOnce({ Items: [heavyEntry(2)] });

    const found = await repository.get(TICKET.id, 'agent');

    expect(found?.history.map((entry) => entry.version)).toEqual([2, 3]);
    const queries = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(queries).toHaveLength(2);
    expect(queries[0]).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND sk >= :history',
      ExpressionAttributeValues: { ':pk': `TICKET#${TICKET.id}`, ':history': 'HISTORY#' },
      ScanIndexForward: false,
      ConsistentRead: true,
    });
    expect(queries[1]?.ExclusiveStartKey).toEqual({ pk: 'p', sk: 's' });
  });

  test('holds the most recent changes that fit in one response, and reads no further', async () => {
    const newestFirst = Array.from({ length: 10 }, (_, index) => heavyEntry(11 - index));
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [storedTicketItem(TICKET), ...newestFirst], LastEvaluatedKey: { pk: 'p', sk: 's' } })
      .resolves({ Items: [heavyEntry(1)] });

    const found = await repository.get(TICKET.id, 'agent');

    const versions = found?.history.map((entry) => entry.version) ?? [];
    expect(versions.length).toBeGreaterThan(0);
    expect(versions.length).toBeLessThan(10);
    // The newest, contiguous up to the current version, oldest first.
    expect(versions).toEqual(Array.from({ length: versions.length }, (_, index) => 12 - versions.length + index));
    expect(responseBytes(found)).toBeLessThanOrEqual(RESPONSE_ENTRIES_BUDGET_BYTES);
    expect(
      responseBytes({ ...found, history: [heavyEntry(11 - versions.length), ...(found?.history ?? [])] }),
    ).toBeGreaterThan(RESPONSE_ENTRIES_BUDGET_BYTES);
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(1);
  });

  test('for the system (completing an analysis) the whole history is read, however long', async () => {
    const newestFirst = Array.from({ length: 10 }, (_, index) => heavyEntry(11 - index));
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [storedTicketItem(TICKET), ...newestFirst], LastEvaluatedKey: { pk: 'p', sk: 's' } })
      .resolves({ Items: [heavyEntry(1)] });

    const found = await repository.getWithWholeHistory(TICKET.id);

    expect(found?.history.map((entry) => entry.version)).toEqual(Array.from({ length: 11 }, (_, index) => index + 1));
    expect(responseBytes(found)).toBeGreaterThan(RESPONSE_ENTRIES_BUDGET_BYTES);
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(2);
  });

  test('a partition without the ticket is no ticket, whatever history it holds', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [heavyEntry(2)] });
    await expect(repository.get(TICKET.id, 'agent')).resolves.toBeNull();
  });
});
