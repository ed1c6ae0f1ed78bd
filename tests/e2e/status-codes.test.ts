import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { readApiDefinition, type GatewayResponseDefinition } from '../../local/api/api-definition.js';
import { dynamoDbLocalClient } from '../../local/dynamodb/dynamodb-local.js';
import { localStack } from '../../local/system/local-stack.js';
import { pidListeningOn } from '../support/listening-sockets.js';
import {
  call,
  clientFor,
  E2E_START_TIMEOUT_MS,
  startTestSystem,
  type ApiResponse,
  type TestSystem,
} from './support/local-system.js';

/**
 * Every route × every status code a client can meet, over HTTP against the
 * local runtime: the functions' answers, and those API Gateway gives itself
 * (401, unknown route, 413 over 10 MB, 429) as the template defines them. 429
 * and 503 need a system of their own: one whose stage throttle is spent, one
 * whose DynamoDB Local is gone.
 */

const QUESTION = { subject: 'Export question', description: 'How do I export my invoices as a CSV file?' };
const UNKNOWN_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const OVER_FUNCTION_LIMIT = 'x'.repeat(300 * 1024); // over the functions' 256 KiB
const OVER_GATEWAY_LIMIT = 'x'.repeat(10 * 1024 * 1024 + 1); // over API Gateway's 10 MB

type Route = 'POST /tickets' | 'GET /tickets/{id}' | 'PATCH /tickets/{id}' | 'GET /tickets' | 'no such route';

interface Callers {
  system: TestSystem;
  alice: ReturnType<typeof clientFor>;
  bob: ReturnType<typeof clientFor>;
  ada: ReturnType<typeof clientFor>;
  gatewayResponses: Record<string, GatewayResponseDefinition>;
  /** A new ticket of alice's. */
  ticket(): Promise<{ id: string }>;
}

interface Case {
  route: Route;
  status: number;
  when: string;
  request(callers: Callers): Promise<ApiResponse>;
  /** What else the answer must show, beyond its status and problem+json shape. */
  check?(answer: ApiResponse, callers: Callers): void;
}

/** What only a function's answer has: the request id in the body, and the security headers the layer adds. */
function expectFromFunction(answer: ApiResponse): void {
  expect(answer.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
}

/** API Gateway's own answer: the template's body exactly (no request id), none of the function's headers. */
function expectFromGateway(type: string) {
  return (answer: ApiResponse, { gatewayResponses }: Callers) => {
    const response = gatewayResponses[type]!;
    expect(answer.body).toEqual(JSON.parse(response.template!));
    expect(answer.headers.get('x-content-type-options')).toBeNull();
    for (const [name, value] of Object.entries(response.headers)) expect(answer.headers.get(name)).toBe(value);
  };
}

function expectProblem(answer: ApiResponse, status: number): void {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toBe('application/problem+json');
  expect(answer.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  expect(JSON.stringify(answer.body)).not.toMatch(/\bat .+\.m?js:\d+/); // never a stack trace
}

const asJson = { 'Content-Type': 'application/json' };

const CASES: Case[] = [
  {
    route: 'POST /tickets',
    status: 201,
    when: 'a valid ticket',
    request: ({ alice }) => alice.create(QUESTION),
    check: (answer) => {
      expect(answer.headers.get('location')).toBe(`/tickets/${answer.body.id}`);
      expect(answer.headers.get('etag')).toBe('"1"');
    },
  },
  {
    route: 'POST /tickets',
    status: 400,
    when: 'a body that breaks the schema',
    request: ({ alice }) => alice.create({ subject: '', tags: 'not-a-list' }),
    check: (answer) =>
      expect(answer.body.errors).toEqual(
        expect.arrayContaining([{ path: '/body/description', message: 'is required' }]),
      ),
  },
  {
    route: 'POST /tickets',
    status: 400,
    when: 'malformed JSON',
    request: ({ alice }) => alice.create('{"subject":', asJson),
  },
  {
    route: 'POST /tickets',
    status: 401,
    when: 'no token',
    request: ({ system }) => call(system.apiUrl, 'POST', '/tickets', { body: QUESTION }),
    check: expectFromGateway('UNAUTHORIZED'),
  },
  {
    route: 'POST /tickets',
    status: 413,
    when: "a body over the function's 256 KiB",
    request: ({ alice }) => alice.create({ subject: 'Large', description: OVER_FUNCTION_LIMIT }),
    check: expectFromFunction,
  },
  {
    route: 'POST /tickets',
    status: 413,
    when: "a body over API Gateway's 10 MB",
    request: ({ alice }) => alice.create(OVER_GATEWAY_LIMIT, asJson),
    check: expectFromGateway('REQUEST_TOO_LARGE'),
  },
  {
    route: 'POST /tickets',
    status: 415,
    when: 'a body that is not JSON',
    request: ({ alice }) => alice.create('subject=hello', { 'Content-Type': 'text/plain' }),
    check: expectFromFunction,
  },
  {
    route: 'POST /tickets',
    status: 422,
    when: 'an Idempotency-Key reused with another body',
    request: async ({ alice }) => {
      const headers = { 'Idempotency-Key': `matrix-${Date.now()}` };
      expect((await alice.create(QUESTION, headers)).status).toBe(201);
      return alice.create({ ...QUESTION, subject: 'Another subject' }, headers);
    },
  },

  {
    route: 'GET /tickets/{id}',
    status: 200,
    when: 'the requester',
    request: async ({ alice, ticket }) => alice.get((await ticket()).id),
    check: (answer) => {
      expect(answer.headers.get('etag')).toBe('"1"');
      expect(answer.body.history).toEqual([]);
    },
  },
  {
    route: 'GET /tickets/{id}',
    status: 400,
    when: 'an id that is not a ticket id',
    request: ({ alice }) => alice.get('not-a-ulid'),
  },
  {
    route: 'GET /tickets/{id}',
    status: 401,
    when: 'no token',
    request: ({ system }) => call(system.apiUrl, 'GET', `/tickets/${UNKNOWN_ID}`),
    check: expectFromGateway('UNAUTHORIZED'),
  },
  {
    route: 'GET /tickets/{id}',
    status: 404,
    when: "another customer's ticket",
    request: async ({ bob, ticket }) => bob.get((await ticket()).id),
  },

  {
    route: 'PATCH /tickets/{id}',
    status: 200,
    when: 'an agent triages',
    request: async ({ ada, ticket }) => ada.update((await ticket()).id, { status: 'in_progress', assigneeId: 'ada' }),
    check: (answer) => expect(answer.headers.get('etag')).toBe('"2"'),
  },
  {
    route: 'PATCH /tickets/{id}',
    status: 400,
    when: 'an unknown status',
    request: async ({ ada, ticket }) => ada.update((await ticket()).id, { status: 'done' }),
  },
  {
    route: 'PATCH /tickets/{id}',
    status: 400,
    when: 'malformed JSON',
    request: async ({ ada, ticket }) => ada.update((await ticket()).id, '{"status":', asJson),
  },
  {
    route: 'PATCH /tickets/{id}',
    status: 401,
    when: 'no token',
    request: ({ system }) => call(system.apiUrl, 'PATCH', `/tickets/${UNKNOWN_ID}`, { body: { status: 'closed' } }),
    check: expectFromGateway('UNAUTHORIZED'),
  },
  {
    route: 'PATCH /tickets/{id}',
    status: 403,
    when: 'a requester changing what only agents may',
    request: async ({ alice, ticket }) => alice.update((await ticket()).id, { priority: 'urgent' }),
  },
  {
    route: 'PATCH /tickets/{id}',
    status: 404,
    when: "another customer's ticket",
    request: async ({ bob, ticket }) => bob.update((await ticket()).id, { status: 'closed' }),
  },
  {
    route: 'PATCH /tickets/{id}',
    status: 409,
    when: 'reopening a closed ticket',
    request: async ({ ada, ticket }) => {
      const { id } = await ticket();
      expect((await ada.update(id, { status: 'closed' })).status).toBe(200);
      return ada.update(id, { status: 'open' });
    },
  },
  {
    route: 'PATCH /tickets/{id}',
    status: 412,
    when: 'a stale If-Match',
    request: async ({ ada, ticket }) => {
      const { id } = await ticket();
      expect((await ada.update(id, { status: 'in_progress' }, { 'If-Match': '"1"' })).status).toBe(200);
      return ada.update(id, { status: 'resolved' }, { 'If-Match': '"1"' });
    },
  },
  {
    route: 'PATCH /tickets/{id}',
    status: 413,
    when: "a body over the function's 256 KiB",
    request: async ({ ada, ticket }) => ada.update((await ticket()).id, { assigneeId: OVER_FUNCTION_LIMIT }),
    check: expectFromFunction,
  },
  {
    route: 'PATCH /tickets/{id}',
    status: 413,
    when: "a body over API Gateway's 10 MB",
    request: async ({ ada, ticket }) => ada.update((await ticket()).id, OVER_GATEWAY_LIMIT, asJson),
    check: expectFromGateway('REQUEST_TOO_LARGE'),
  },
  {
    route: 'PATCH /tickets/{id}',
    status: 415,
    when: 'a body that is not JSON',
    request: async ({ ada, ticket }) =>
      ada.update((await ticket()).id, 'status=closed', { 'Content-Type': 'text/plain' }),
    check: expectFromFunction,
  },

  {
    route: 'GET /tickets',
    status: 200,
    when: "a customer's own tickets",
    request: async ({ alice }) => alice.list({ limit: '5' }),
    check: (answer) => expect(answer.body).toMatchObject({ items: expect.any(Array) }),
  },
  {
    route: 'GET /tickets',
    status: 400,
    when: 'a limit over 100',
    request: ({ alice }) => alice.list({ limit: '101' }),
  },
  {
    route: 'GET /tickets',
    status: 400,
    when: 'a cursor that is not one of ours',
    request: ({ alice }) => alice.list({ cursor: 'bm90LWEtY3Vyc29y' }),
  },
  {
    route: 'GET /tickets',
    status: 401,
    when: 'no token',
    request: ({ system }) => call(system.apiUrl, 'GET', '/tickets'),
    check: expectFromGateway('UNAUTHORIZED'),
  },

  {
    route: 'no such route',
    status: 404,
    when: 'an unknown path',
    request: async ({ system }) =>
      call(system.apiUrl, 'GET', '/nowhere', { token: await system.token({ sub: 'alice' }) }),
    check: expectFromGateway('MISSING_AUTHENTICATION_TOKEN'),
  },
  {
    route: 'no such route',
    status: 404,
    when: 'a method the resource does not have',
    request: async ({ system }) =>
      call(system.apiUrl, 'DELETE', `/tickets/${UNKNOWN_ID}`, { token: await system.token({ sub: 'alice' }) }),
    check: expectFromGateway('MISSING_AUTHENTICATION_TOKEN'),
  },
];

/** One valid request per route, for the answers every route gives alike (429, 503). */
const ANY_ROUTE: [Route, (callers: Callers) => Promise<ApiResponse>][] = [
  ['POST /tickets', ({ alice }) => alice.create(QUESTION)],
  ['GET /tickets/{id}', ({ alice }) => alice.get(UNKNOWN_ID)],
  ['PATCH /tickets/{id}', ({ ada }) => ada.update(UNKNOWN_ID, { status: 'closed' })],
  ['GET /tickets', ({ alice }) => alice.list()],
];

async function callersOf(system: TestSystem): Promise<Callers> {
  const alice = clientFor(system, await system.token({ sub: 'alice' }));
  return {
    system,
    alice,
    bob: clientFor(system, await system.token({ sub: 'bob' })),
    ada: clientFor(system, await system.token({ sub: 'ada', agent: true })),
    gatewayResponses: readApiDefinition(localStack({ region: 'us-east-1', stateDir: system.stateDir }))
      .gatewayResponses,
    ticket: async () => {
      const created = await alice.create(QUESTION);
      expect(created.status).toBe(201);
      return created.body;
    },
  };
}

describe('every route and status code over HTTP', () => {
  let callers: Callers;

  beforeAll(async () => {
    callers = await callersOf(await startTestSystem());
  }, E2E_START_TIMEOUT_MS);
  afterAll(() => callers?.system.stop());

  test.each(CASES)('$route → $status: $when', async ({ status, request, check }) => {
    const answer = await request(callers);
    if (status < 300) expect(answer.status).toBe(status);
    else expectProblem(answer, status);
    if (status === 401) expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    check?.(answer, callers);
  });
});

describe('429 on every route once the stage throttle is spent', () => {
  let callers: Callers;

  beforeAll(async () => {
    // A burst of one, and a rate so low that no token comes back while the tests run.
    const system = await startTestSystem({
      parameterOverrides: { ApiThrottlingBurstLimit: '1', ApiThrottlingRateLimit: '0.000001' },
    });
    callers = await callersOf(system);
    expect((await callers.alice.list()).status).toBe(200); // the burst
  }, E2E_START_TIMEOUT_MS);
  afterAll(() => callers?.system.stop());

  test.each([...ANY_ROUTE, ['no such route', ({ system }) => call(system.apiUrl, 'GET', '/nowhere')]] as [
    Route,
    (callers: Callers) => Promise<ApiResponse>,
  ][])('%s → 429, with Retry-After', async (_route, request) => {
    const answer = await request(callers);
    expectProblem(answer, 429);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    expectFromGateway('THROTTLED')(answer, callers);
  });

  test('a throttled request never reaches a function: nothing was stored', async () => {
    expect((await callers.alice.create(QUESTION)).status).toBe(429);
    const client = dynamoDbLocalClient(callers.system.system.dynamoDbEndpoint);
    try {
      const scan = await client.send(new ScanCommand({ TableName: callers.system.system.tableName, Select: 'COUNT' }));
      expect(scan.Count).toBe(0);
    } finally {
      client.destroy();
    }
  });
});

describe('503 on every route while DynamoDB is gone', () => {
  let callers: Callers;

  beforeAll(async () => {
    callers = await callersOf(await startTestSystem());
    // Its own system: killing the JVM leaves the other test files' systems alone.
    const jvm = pidListeningOn(Number(new URL(callers.system.system.dynamoDbEndpoint).port));
    expect(jvm).toBeDefined();
    process.kill(jvm!, 'SIGKILL');
  }, E2E_START_TIMEOUT_MS);
  afterAll(() => callers?.system.stop());

  test.each(ANY_ROUTE)('%s → 503 with Retry-After, never a 500', async (_route, request) => {
    const answer = await request(callers);
    expectProblem(answer, 503);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    expectFromFunction(answer);
  });
});
