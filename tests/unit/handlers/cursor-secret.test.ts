/**
 * The cursor secret as the functions read it, with Secrets Manager mocked at
 * the SDK: read on first use and kept for its max age, a value too short
 * refused, an outage answered 503 (the next request tries again), and never
 * read by a function that has no use for it.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  GetSecretValueCommand,
  InternalServiceError,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { ComprehendClient } from '@aws-sdk/client-comprehend';
import { mockClient } from 'aws-sdk-client-mock';
import { MAX_AGE_SECONDS } from '../../../layers/shared/src/repository/cursor-secret.js';
import { comprehendAnswersNeutralEnglish } from '../../support/comprehend-answers.js';
import { customer } from '../../support/api-gateway-event.js';
import { expectProblem, headerOf } from '../../support/problem-details.js';
import { loadHandlers, routes } from '../../support/ticket-api-harness.js';
import { aTicket, storedTicketItem } from '../../support/tickets.js';

const dynamodb = mockClient(DynamoDBDocumentClient);
const secretsManager = mockClient(SecretsManagerClient);
const comprehend = mockClient(ComprehendClient);
comprehendAnswersNeutralEnglish(comprehend);
let api: ReturnType<typeof routes>;

const SECRET = 'a-cursor-secret-that-is-long-enough-for-hmac';
const alice = customer('alice');
const ticket = aTicket({ id: '01JDQ0Z7S1X7M3V9K2B4N6P8R0', requester: { id: 'alice', email: 'alice@example.com' } });
/** The ticket as a customer's list reads it from byRequester, with that index's keys. */
const listedItem = {
  ...storedTicketItem(ticket),
  gsi1pk: 'REQUESTER#alice',
  gsi1sk: `${ticket.createdAt}#${ticket.id}`,
};

/** The clock the secret's cache ages by: only Date is faked, timers run as they do. */
const clock = {
  now: Date.parse('2026-11-27T12:00:00Z'),
  advance(ms: number) {
    this.now += ms;
    jest.setSystemTime(this.now);
  },
};
const NOT_DATE = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

/** Each test names a secret of its own, so no value another test cached is found. */
function useSecret(secretId: string, value: string | Error = SECRET): void {
  process.env.CURSOR_SECRET_ARN = secretId;
  const call = secretsManager.on(GetSecretValueCommand, { SecretId: secretId });
  if (typeof value === 'string') call.resolves({ Name: secretId, SecretString: value });
  else call.rejects(value);
}

const readsOf = (secretId: string) => secretsManager.commandCalls(GetSecretValueCommand, { SecretId: secretId }).length;

beforeAll(async () => {
  api = routes(await loadHandlers({ TABLE_NAME: 'tickets', POWERTOOLS_LOG_LEVEL: 'CRITICAL' }));
});

beforeEach(() => {
  jest.useFakeTimers({ now: clock.now, doNotFake: [...NOT_DATE] });
  dynamodb.reset();
  secretsManager.reset();
  dynamodb.on(QueryCommand).resolves({ Items: [listedItem, listedItem] });
  dynamodb.on(PutCommand).resolves({});
});

afterEach(() => {
  jest.useRealTimers();
  delete process.env.CURSOR_SECRET_ARN;
});

describe('the cursor secret', () => {
  test('is read from Secrets Manager on first use, then kept: one read signs and checks many cursors', async () => {
    useSecret('cached');
    const first = await api.list({ limit: '1' }, { claims: alice });
    expect(first.status).toBe(200);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api.list({ limit: '1', cursor: first.body.nextCursor! }, { claims: alice });
    expect(second.status).toBe(200);
    const third = await api.list({ limit: '1', cursor: second.body.nextCursor! }, { claims: alice });
    expect(third.status).toBe(200);
    expect(readsOf('cached')).toBe(1);
  });

  test(`is read again once it is older than ${MAX_AGE_SECONDS} seconds: a rotated value is picked up`, async () => {
    useSecret('rotated');
    const before = await api.list({ limit: '1' }, { claims: alice });
    expect(before.status).toBe(200);
    clock.advance((MAX_AGE_SECONDS - 1) * 1000);
    expect((await api.list({ limit: '1', cursor: before.body.nextCursor! }, { claims: alice })).status).toBe(200);
    expect(readsOf('rotated')).toBe(1);

    // Rotated: the cursor signed with the old value is refused as any altered cursor is.
    useSecret('rotated', 'a-new-cursor-secret-that-is-long-enough-too');
    clock.advance(2 * 1000);
    const after = await api.list({ limit: '1', cursor: before.body.nextCursor! }, { claims: alice });
    expect(readsOf('rotated')).toBe(2);
    const problem = expectProblem(after, 400);
    expect(problem.errors?.[0]?.path).toBe('/queryStringParameters/cursor');
    expect((await api.list({ limit: '1' }, { claims: alice })).status).toBe(200);
  });

  test('shorter than 32 characters, it is refused: a deployment mistake, answered 500', async () => {
    useSecret('short', 'x'.repeat(31));
    expectProblem(await api.list({ limit: '1' }, { claims: alice }), 500);
  });

  test('a secret Secrets Manager does not have is a deployment mistake too: 500', async () => {
    useSecret(
      'missing',
      new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} }),
    );
    expectProblem(await api.list({ limit: '1' }, { claims: alice }), 500);
  });

  test('while Secrets Manager cannot answer: 503 with Retry-After; the next request tries again', async () => {
    useSecret('outage', new InternalServiceError({ message: 'An error occurred on the server side.', $metadata: {} }));
    const during = await api.list({ limit: '1' }, { claims: alice });
    expectProblem(during, 503);
    expect(Number(headerOf(during, 'retry-after'))).toBeGreaterThan(0);
    // The SDK's own attempts: a failed read is retried once, then given up.
    const attempts = readsOf('outage');
    expect(attempts).toBeGreaterThanOrEqual(1);

    const again = await api.list({ limit: '1' }, { claims: alice });
    expectProblem(again, 503);
    expect(readsOf('outage')).toBe(2 * attempts);

    useSecret('outage');
    const recovered = await api.list({ limit: '1' }, { claims: alice });
    expect(recovered.status).toBe(200);
    expect(recovered.body.nextCursor).toEqual(expect.any(String));
  });

  test('keys the fingerprint of a create with an Idempotency-Key', async () => {
    useSecret('fingerprints');
    dynamodb.on(GetCommand).resolves({});
    const body = { subject: 'Cannot log in', description: 'The login page says my password is wrong.' };
    const create = () => api.create(body, { claims: alice, headers: { 'Idempotency-Key': 'key-1' } });
    // The key's record is not found, then the ticket is analyzed and stored with the key's fingerprint.
    expect((await create()).status).toBe(201);
    expect(readsOf('fingerprints')).toBe(1);
  });

  test("rotated, a retry of a create within its key's 24 hours no longer matches its fingerprint: 422", async () => {
    useSecret('fingerprints-rotated');
    dynamodb.on(GetCommand).resolves({});
    dynamodb.on(TransactWriteCommand).resolves({});
    const body = { subject: 'Cannot log in', description: 'The login page says my password is wrong.' };
    const create = () => api.create(body, { claims: alice, headers: { 'Idempotency-Key': 'key-2' } });
    expect((await create()).status).toBe(201);
    const [write] = dynamodb.commandCalls(TransactWriteCommand);
    const record = write!.args[0].input
      .TransactItems!.map((item) => item.Put?.Item)
      .find((item) => item !== undefined && 'fingerprint' in item);
    expect(record).toBeDefined();

    // The key's record as stored, an hour later, after the secret was rotated.
    dynamodb.on(GetCommand).resolves({ Item: record });
    useSecret('fingerprints-rotated', 'a-new-cursor-secret-that-is-long-enough-too');
    clock.advance(60 * 60 * 1000);
    expectProblem(await create(), 422);
  });
});

describe('a function that never signs nor fingerprints', () => {
  test('is given no CURSOR_SECRET_ARN and never calls Secrets Manager', async () => {
    secretsManager.onAnyCommand().rejects(new Error('Secrets Manager must not be called'));
    dynamodb.on(QueryCommand).resolves({ Items: [storedTicketItem(ticket)] });
    expect((await api.get(ticket.id, { claims: alice })).status).toBe(200);
    // A create without an Idempotency-Key has nothing to fingerprint either.
    expect(
      (await api.create({ subject: 'Printer', description: 'It jams on every page.' }, { claims: alice })).status,
    ).toBe(201);
    expect(secretsManager.calls()).toHaveLength(0);
  });
});
