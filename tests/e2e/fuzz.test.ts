import { beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { everyTicket, type ApiClient } from './support/api-client.js';
import { testSystemPerFile } from './support/local-system.js';

/**
 * Property-based fuzzing of every route over HTTP, against `npm start`:
 * requests made of arbitrary bodies, query strings, path parameters, content
 * types, charsets and headers, by callers with valid and invalid tokens. No
 * answer is a 5xx, every error is problem+json, and afterwards the table holds
 * exactly the tickets that were answered 201.
 */

const RUNS = 600;

const METHODS_BY_ROUTE: readonly (readonly [string, string])[] = [
  ['POST', '/tickets'],
  ['GET', '/tickets'],
  ['GET', '/tickets/{id}'],
  ['PATCH', '/tickets/{id}'],
  ['POST', '/tickets/{id}/comments'],
  ['GET', '/tickets/{id}/comments'],
  ['GET', '/tickets/{id}/comments/{commentId}'],
] as const;

/** Header values fetch can send: visible ASCII and spaces. */
const HEADER_CHARACTERS = Array.from({ length: 0x7e - 0x20 + 1 }, (_, offset) => String.fromCharCode(0x20 + offset));
const headerText = fc.string({ unit: fc.constantFrom(...HEADER_CHARACTERS), maxLength: 40 });

const contentTypes = fc.oneof(
  fc.constantFrom(
    'application/json',
    'APPLICATION/JSON',
    'application/json; charset=utf-8',
    'application/json; charset=ISO-8859-1',
    'application/json; charset=utf8',
    'application/merge-patch+json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    '',
  ),
  headerText,
);

const ticketLike = fc.record(
  {
    subject: fc.oneof(fc.string({ maxLength: 300 }), fc.constant('Card 4111 1111 1111 1111'), fc.integer()),
    description: fc.oneof(fc.string({ maxLength: 2000 }), fc.constant('password: hunter2!'), fc.constant(null)),
    tags: fc.oneof(fc.array(fc.string({ maxLength: 60 }), { maxLength: 25 }), fc.string()),
    channel: fc.oneof(fc.constantFrom('email', 'web', 'chat', 'phone', 'api'), fc.string()),
    status: fc.oneof(fc.constantFrom('open', 'in_progress', 'waiting_on_customer', 'resolved', 'closed'), fc.string()),
    priority: fc.oneof(fc.constantFrom('low', 'normal', 'high', 'urgent'), fc.string()),
    assigneeId: fc.oneof(fc.string({ maxLength: 140 }), fc.constant(null), fc.constant('4111111111111111')),
    body: fc.oneof(fc.string({ maxLength: 500 }), fc.integer()),
    visibility: fc.oneof(fc.constantFrom('public', 'internal'), fc.string()),
  },
  { requiredKeys: [] },
);

/** Bodies a route may accept: a ticket to create, a comment, a change. */
const acceptable = fc.oneof(
  fc.record({
    subject: fc.string({ minLength: 1, maxLength: 120 }),
    description: fc.oneof(
      fc.string({ minLength: 1, maxLength: 500 }),
      fc.constant('Card 4111 1111 1111 1111, pw: x9!kQ'),
    ),
  }),
  fc.record({ body: fc.string({ minLength: 1, maxLength: 300 }) }),
  fc.record({ priority: fc.constantFrom('low', 'normal', 'high', 'urgent') }),
);

const bodies = fc.oneof(
  { weight: 3, arbitrary: acceptable.map((value) => JSON.stringify(value)) },
  ticketLike.map((value) => JSON.stringify(value)),
  fc.json({ maxDepth: 4 }),
  fc.string({ maxLength: 200 }),
  fc.constant(''),
  fc.constant('{"subject":'),
  fc.constant('['.repeat(5000)),
  fc.constant('{"__proto__":{"role":"agent"},"subject":"a","description":"b"}'),
);

const queryValues = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '0x10',
    '1e2',
    '+5',
    ' 5',
    '5.0',
    '05',
    '-1',
    '0',
    '100',
    '101',
    'open',
    'urgent',
    'due',
    '__proto__',
  ),
);
const queries = fc.dictionary(
  fc.oneof(
    fc.constantFrom('status', 'priority', 'limit', 'cursor', 'sort', 'constructor'),
    fc.string({ maxLength: 10 }),
  ),
  queryValues,
  { maxKeys: 4 },
);

describe('fuzzing every route', () => {
  // Throttling as high as the parameters allow: the stage's limits are tested elsewhere (status-codes.test.ts).
  const system = testSystemPerFile({
    parameterOverrides: { ApiThrottlingRateLimit: '100000', ApiThrottlingBurstLimit: '100000' },
  });
  let agent: ApiClient;
  let existing: { ticketId: string; commentId: string };
  const tokens: (string | null)[] = [];

  beforeAll(async () => {
    const alice = await system().clientAs({ sub: 'alice' });
    agent = await system().clientAs({ sub: 'ada', agent: true });
    const ticket = await alice.create({ subject: 'Invoice', description: 'My invoice shows the wrong amount.' });
    const comment = await alice.addComment(ticket.body.id, { body: 'It is invoice 2291.' });
    existing = { ticketId: ticket.body.id, commentId: comment.body.id };
    tokens.push(
      await system().token({ sub: 'alice' }),
      await system().token({ sub: 'bob' }),
      await system().token({ sub: 'ada', agent: true }),
      'not-a-token',
      null,
    );
  });

  test(`${String(RUNS)} arbitrary requests: never a 5xx, every error problem+json, only 201s stored`, async () => {
    const created = new Set<string>([existing.ticketId]);
    const statuses = new Map<number, number>();

    const requests = fc.record({
      route: fc.constantFrom(...METHODS_BY_ROUTE),
      caller: fc.nat({ max: 4 }),
      ticketId: fc.oneof({ weight: 2, arbitrary: fc.constant('existing') }, fc.string({ minLength: 1, maxLength: 40 })),
      commentId: fc.oneof(fc.constant('existing'), fc.string({ minLength: 1, maxLength: 40 })),
      query: fc.oneof({ weight: 2, arbitrary: fc.constant({}) }, queries),
      contentType: fc.oneof({ weight: 3, arbitrary: fc.constant('application/json') }, fc.option(contentTypes)),
      ifMatch: fc.oneof(
        { weight: 3, arbitrary: fc.constant(null) },
        fc.oneof(headerText, fc.constantFrom('"1"', 'W/"1"', '*', '1')),
      ),
      idempotencyKey: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, headerText, fc.uuid()),
      body: fc.oneof({ weight: 4, arbitrary: bodies }, fc.constant(null)),
    });

    await fc.assert(
      fc.asyncProperty(requests, async (request) => {
        const [method, template] = request.route;
        const ticketId = request.ticketId === 'existing' ? existing.ticketId : encodeURIComponent(request.ticketId);
        const commentId = request.commentId === 'existing' ? existing.commentId : encodeURIComponent(request.commentId);
        const path = template.replace('{id}', ticketId).replace('{commentId}', commentId);
        const query = new URLSearchParams(request.query).toString();
        const headers = new Headers();
        const token = tokens[request.caller];
        if (token) headers.set('Authorization', `Bearer ${token}`);
        if (request.contentType !== null) headers.set('Content-Type', request.contentType);
        if (request.ifMatch !== null) headers.set('If-Match', request.ifMatch);
        if (request.idempotencyKey !== null) headers.set('Idempotency-Key', request.idempotencyKey);
        const answer = await fetch(`${system().apiUrl}${path}${query ? `?${query}` : ''}`, {
          method,
          headers,
          body: method === 'GET' ? undefined : (request.body ?? undefined),
        });
        const text = await answer.text();
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);

        expect(answer.status).toBeLessThan(500);
        if (answer.status >= 400) {
          expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          const problem = JSON.parse(text) as { type?: unknown; title?: unknown };
          expect([typeof problem.type, typeof problem.title]).toEqual(['string', 'string']);
        }
        if (answer.status === 201 && template === '/tickets') {
          created.add((JSON.parse(text) as { id: string }).id);
        }
      }),
      { numRuns: RUNS },
    );
    console.log(
      `fuzz: ${String(RUNS)} requests, answers by status ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`,
    );

    // Nothing half-stored: the table holds exactly the tickets some request was answered 201 for.
    const stored = new Set((await everyTicket(agent)).map((ticket) => ticket.id));
    expect([...stored].sort()).toEqual([...created].sort());
    // The run reached past the authorizer and the validators, not only their refusals.
    expect([...statuses.keys()].filter((status) => status < 300).length).toBeGreaterThan(0);
    expect(statuses.get(400)).toBeGreaterThan(0);
  }, 600_000);
});
