import { beforeAll, describe, expect, test } from '@jest/globals';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { dynamoDbLocalClient } from '../../local/dynamodb/dynamodb-local.js';
import type { ProblemBody } from '../support/api-bodies.js';
import { pidListeningOn } from '../support/listening-sockets.js';
import { expectProblem } from '../support/problem-details.js';
import type { ApiClient } from './support/api-client.js';
import { expectFromFunction, expectFromGateway } from './support/answer-origin.js';
import type { ApiResponse } from './support/api-types.js';
import { testSystemPerFile, type TestSystem } from './support/local-system.js';

/**
 * The HTTP edge, over HTTP against the local runtime: what a client meets
 * whatever the route's business is. A path or method no route has; bodies
 * that are malformed, not JSON or too large; the stage throttle (429) and a
 * dependency gone (503); CORS. Each expectation is written out as the
 * contract (ARCHITECTURE.md) and API Gateway's documented behavior say, not
 * read from the template or the local runtime.
 *
 * Who may call what (401, 403, 404 for another customer's ticket) is in
 * contract/auth.test.ts and auth.test.ts; each route's successes, input
 * validation and business errors (409, 412, 422) are in
 * contract/tickets.test.ts and contract/listing.test.ts.
 */

const QUESTION = { subject: 'Export question', description: 'How do I export my invoices as a CSV file?' };
const UNKNOWN_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const OVER_FUNCTION_LIMIT = 'x'.repeat(300 * 1024); // over the functions' 256 KiB
const OVER_GATEWAY_LIMIT = 'x'.repeat(10 * 1024 * 1024 + 1); // over API Gateway's 10 MB payload quota
const asJson = { 'Content-Type': 'application/json' };

/*
 * API Gateway's own answers, as the template's gateway responses define them
 * (problem+json bodies, and the allowed origin, `*` by default; cors.test.ts has several).
 */
const GATEWAY_HEADERS = { 'content-type': 'application/problem+json', 'access-control-allow-origin': '*' };
const NOT_FOUND: ProblemBody = {
  type: 'urn:aws-support-system:problem:not-found',
  title: 'Not Found',
  status: 404,
  detail: 'No resource exists at this path for this method.',
};
const CONTENT_TOO_LARGE: ProblemBody = {
  type: 'urn:aws-support-system:problem:payload-too-large',
  title: 'Content Too Large',
  status: 413,
  detail: 'The request body is too large.',
};
const TOO_MANY_REQUESTS: ProblemBody = {
  type: 'urn:aws-support-system:problem:throttled',
  title: 'Too Many Requests',
  status: 429,
  detail: 'Too many requests; retry after the time in Retry-After.',
};

type Route = 'POST /tickets' | 'GET /tickets/{id}' | 'PATCH /tickets/{id}' | 'GET /tickets' | 'no such route';

interface Callers {
  system: TestSystem;
  alice: ApiClient;
  ada: ApiClient;
  /** A new ticket of alice's. */
  ticket: () => Promise<{ id: string }>;
}

async function callersOf(system: TestSystem): Promise<Callers> {
  const alice = await system.clientAs({ sub: 'alice' });
  return {
    system,
    alice,
    ada: await system.clientAs({ sub: 'ada', agent: true }),
    ticket: async () => {
      const created = await alice.create(QUESTION);
      expect(created.status).toBe(201);
      return created.body;
    },
  };
}

interface Case {
  route: Route;
  status: number;
  when: string;
  request: (callers: Callers) => Promise<ApiResponse>;
  /** Who answered, and what else the answer must show beyond its status and problem+json shape. */
  check: (answer: ApiResponse) => void;
}

const CASES: Case[] = [
  /*
   * A REST API answers a path or a method no route has with its
   * MISSING_AUTHENTICATION_TOKEN gateway response, before any authorizer runs,
   * whatever the token; it has no 405. The template makes that response a 404.
   */
  {
    route: 'no such route',
    status: 404,
    when: 'an unknown path',
    request: ({ alice }) => alice.call({ method: 'GET', path: '/nowhere' }),
    check: (answer) => {
      expectFromGateway(answer, NOT_FOUND, GATEWAY_HEADERS);
    },
  },
  {
    route: 'no such route',
    status: 404,
    when: 'an unknown path, without a token',
    request: ({ system }) => system.anonymous.call({ method: 'GET', path: '/nowhere' }),
    check: (answer) => {
      expectFromGateway(answer, NOT_FOUND, GATEWAY_HEADERS);
    },
  },
  {
    route: 'no such route',
    status: 404,
    when: 'a method the resource does not have',
    request: ({ alice }) => alice.call({ method: 'DELETE', path: `/tickets/${UNKNOWN_ID}` }),
    check: (answer) => {
      expectFromGateway(answer, NOT_FOUND, GATEWAY_HEADERS);
    },
  },

  {
    route: 'POST /tickets',
    status: 400,
    when: 'malformed JSON',
    request: ({ alice }) => alice.create('{"subject":', asJson),
    check: expectFromFunction,
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
    check: (answer) => {
      expectFromGateway(answer, CONTENT_TOO_LARGE, GATEWAY_HEADERS);
    },
  },
  {
    route: 'POST /tickets',
    status: 415,
    when: 'a body that is not JSON',
    request: ({ alice }) => alice.create('subject=hello', { 'Content-Type': 'text/plain' }),
    check: expectFromFunction,
  },

  {
    route: 'PATCH /tickets/{id}',
    status: 400,
    when: 'malformed JSON',
    request: async ({ ada, ticket }) => ada.update((await ticket()).id, '{"status":', asJson),
    check: expectFromFunction,
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
    check: (answer) => {
      expectFromGateway(answer, CONTENT_TOO_LARGE, GATEWAY_HEADERS);
    },
  },
  {
    route: 'PATCH /tickets/{id}',
    status: 415,
    when: 'a body that is not JSON',
    request: async ({ ada, ticket }) =>
      ada.update((await ticket()).id, 'status=closed', { 'Content-Type': 'text/plain' }),
    check: expectFromFunction,
  },
];

/** One valid request per route, for the answers every route gives alike (429, 503). */
const ANY_ROUTE: [Route, (callers: Callers) => Promise<ApiResponse>][] = [
  ['POST /tickets', ({ alice }) => alice.create(QUESTION)],
  ['GET /tickets/{id}', ({ alice }) => alice.get(UNKNOWN_ID)],
  ['PATCH /tickets/{id}', ({ ada }) => ada.update(UNKNOWN_ID, { status: 'closed' })],
  ['GET /tickets', ({ alice }) => alice.list()],
];

describe('the HTTP edge', () => {
  const system = testSystemPerFile();

  test.each(CASES)('$route → $status: $when', async ({ status, request, check }) => {
    const answer = await request(await callersOf(system()));
    expectProblem(answer, status);
    check(answer);
  });

  test('a CORS preflight is answered without a token', async () => {
    const preflight = await system().anonymous.call({
      method: 'OPTIONS',
      path: '/tickets',
      headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
  });

  test('function answers carry CORS headers for the browser', async () => {
    const alice = await system().clientAs({ sub: 'alice' });
    const answer = await alice.call({ method: 'GET', path: '/tickets', headers: { Origin: 'https://app.example' } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('429 on every route once the stage throttle is spent', () => {
  // A burst of one, and a rate so low that no token comes back while the tests run.
  const system = testSystemPerFile({
    parameterOverrides: { ApiThrottlingBurstLimit: '1', ApiThrottlingRateLimit: '0.000001' },
  });
  let callers: Callers;

  beforeAll(async () => {
    callers = await callersOf(system());
    expect((await callers.alice.list()).status).toBe(200); // the burst
  });

  const routes: [Route, (callers: Callers) => Promise<ApiResponse>][] = [
    ...ANY_ROUTE,
    ['no such route', ({ system: throttled }) => throttled.anonymous.call({ method: 'GET', path: '/nowhere' })],
  ];
  test.each(routes)('%s → 429, with Retry-After', async (_route, request) => {
    const answer = await request(callers);
    expectProblem(answer, 429);
    // THROTTLED is a gateway response: its Retry-After is the template's fixed one second.
    expectFromGateway(answer, TOO_MANY_REQUESTS, { ...GATEWAY_HEADERS, 'retry-after': '1' });
  });

  test('a throttled request never reaches a function: nothing was stored', async () => {
    expect((await callers.alice.create(QUESTION)).status).toBe(429);
    const client = dynamoDbLocalClient(system().system.dynamoDbEndpoint);
    try {
      const scan = await client.send(new ScanCommand({ TableName: system().system.tableName, Select: 'COUNT' }));
      expect(scan.Count).toBe(0);
    } finally {
      client.destroy();
    }
  });
});

describe('503 on every route while DynamoDB is gone', () => {
  // Left down: npm start would restart it (system-heals.test.ts), and this is the outage itself.
  const system = testSystemPerFile({ restartServices: false });
  let callers: Callers;

  beforeAll(async () => {
    callers = await callersOf(system());
    // Its own system: killing the JVM leaves the other test files' systems alone.
    const jvm = pidListeningOn(Number(new URL(system().system.dynamoDbEndpoint).port));
    expect(jvm).toBeDefined();
    process.kill(jvm!, 'SIGKILL');
  });

  test.each(ANY_ROUTE)('%s → 503 with Retry-After, never a 500', async (_route, request) => {
    const answer = await request(callers);
    expectProblem(answer, 503);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    expectFromFunction(answer);
  });
});
