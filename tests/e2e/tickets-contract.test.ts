import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  call,
  clientFor,
  E2E_START_TIMEOUT_MS,
  startTestSystem,
  type ApiResponse,
  type TestSystem,
} from './support/local-system.js';

/**
 * The API contract over HTTP, against `npm start`'s runtime: the built
 * functions and layer behind the local API Gateway, DynamoDB Local and the
 * Comprehend stand-in. Every route, and every status code a client can meet.
 */

const OUTAGE = {
  subject: 'Production is down',
  description: 'Our production database is down and we are losing money, please help ASAP!',
};
const QUESTION = { subject: 'Export question', description: 'How do I export my invoices as a CSV file?' };

function expectProblem(answer: ApiResponse, status: number): void {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toBe('application/problem+json');
  expect(answer.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  expect(JSON.stringify(answer.body)).not.toMatch(/\bat .+\.m?js:\d+/); // never a stack trace
}

describe('the tickets API over HTTP', () => {
  let system: TestSystem;
  let alice: ReturnType<typeof clientFor>;
  let bob: ReturnType<typeof clientFor>;
  let ada: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    system = await startTestSystem();
    alice = clientFor(system, await system.token({ sub: 'alice' }));
    bob = clientFor(system, await system.token({ sub: 'bob' }));
    ada = clientFor(system, await system.token({ sub: 'ada', agent: true }));
  }, E2E_START_TIMEOUT_MS);
  afterAll(() => system?.stop());

  describe('POST /tickets', () => {
    test('201 with Location and ETag: the ticket analysed, its requester taken from the token', async () => {
      const answer = await alice.create(OUTAGE);
      expect(answer.status).toBe(201);
      expect(answer.headers.get('location')).toBe(`/tickets/${answer.body.id}`);
      expect(answer.headers.get('etag')).toBe('"1"');
      expect(answer.body).toMatchObject({
        id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
        ...OUTAGE,
        status: 'open',
        priority: 'urgent',
        requester: { id: 'alice', email: 'alice@example.com' },
        assigneeId: null,
        version: 1,
        analysis: { status: 'complete', language: 'en', urgent: true, sentiment: { label: 'NEGATIVE' } },
      });
      expect(answer.body.analysis.keyPhrases.length).toBeGreaterThan(0);
    });

    test('a how-to question is neutral and not urgent', async () => {
      const answer = await alice.create(QUESTION);
      expect(answer.status).toBe(201);
      expect(answer.body.analysis).toMatchObject({
        status: 'complete',
        urgent: false,
        sentiment: { label: 'NEUTRAL' },
      });
      expect(answer.body.priority).not.toBe('urgent');
    });

    test('a card number is redacted before the ticket is stored', async () => {
      const created = await alice.create({
        subject: 'Double charge',
        description: 'You charged my card 4111 1111 1111 1111 twice this month.',
      });
      expect(created.status).toBe(201);
      const stored = await alice.get(created.body.id);
      expect(stored.body.description).not.toContain('4111 1111 1111 1111');
      expect(stored.body.description).toContain('[REDACTED:CREDIT_DEBIT_NUMBER]');
    });

    test('the words come back as written, while a disguised card number and a password are gone everywhere', async () => {
      const subject = 'Map<String, List<Integer>> breaks; card ４１１１.１１１１';
      const description =
        '1111/1111 is the rest of it.\n\tError in <module> at line 3 and &lt;script&gt; in the title; pw: hunter2';
      const created = await alice.create({ subject, description, tags: ['parser'] });
      expect(created.status).toBe(201);
      const stored = await alice.get(created.body.id);
      expect(stored.body.subject).toBe('Map<String, List<Integer>> breaks; card [REDACTED:CREDIT_DEBIT_NUMBER]');
      expect(stored.body.description).toBe(
        '[REDACTED:CREDIT_DEBIT_NUMBER] is the rest of it.\n\tError in <module> at line 3 and &lt;script&gt; in the title; pw: [REDACTED:PASSWORD]',
      );
      const everything = JSON.stringify(stored.body);
      expect(everything).not.toMatch(/hunter2|1111|１１１１/);
      expect(stored.body.analysis.signals).toEqual({ priority: expect.any(Array), category: expect.any(Array) });
    });

    test('Idempotency-Key: a retry returns the first ticket; the key with another body is 422', async () => {
      const headers = { 'Idempotency-Key': 'order-42-retry-safe' };
      const first = await alice.create(QUESTION, headers);
      const retry = await alice.create(QUESTION, headers);
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.body.id).toBe(first.body.id);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expectProblem(await alice.create(OUTAGE, headers), 422);
    });

    test('400 with the offending fields for a body that breaks the schema', async () => {
      const answer = await alice.create({ subject: '', tags: 'not-a-list' });
      expectProblem(answer, 400);
      expect(answer.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: '/body/description', message: 'is required' })]),
      );
    });

    test('400 for malformed JSON, 415 for a body that is not JSON', async () => {
      expectProblem(await alice.create('{"subject":', { 'Content-Type': 'application/json' }), 400);
      expectProblem(await alice.create('subject=hello', { 'Content-Type': 'text/plain' }), 415);
    });

    test('413 from the function past its body limit, and from API Gateway past 10 MB', async () => {
      const large = await alice.create({ subject: 'Large', description: 'x'.repeat(300 * 1024) });
      expectProblem(large, 413);
      // The function's answer: a request id, the layer's security headers.
      expect(large.body.requestId).toEqual(expect.any(String));
      expect(large.headers.get('x-content-type-options')).toBe('nosniff');

      const huge = await alice.create('x'.repeat(10 * 1024 * 1024 + 1), { 'Content-Type': 'application/json' });
      expectProblem(huge, 413);
      // API Gateway's: the template's REQUEST_TOO_LARGE body and nothing a function adds.
      expect(huge.body).toEqual({
        type: 'urn:aws-support-system:problem:payload-too-large',
        title: 'Content Too Large',
        status: 413,
        detail: 'The request body is too large.',
      });
      expect(huge.headers.get('x-content-type-options')).toBeNull();
    });

    test('201 with analysis pending while Comprehend fails: the ticket is stored all the same', async () => {
      const faults = `${system.system.comprehendEndpoint}/__admin/faults`;
      expect((await fetch(faults, { method: 'POST', body: JSON.stringify({ mode: 'error' }) })).status).toBe(200);
      try {
        const answer = await alice.create(OUTAGE);
        expect(answer.status).toBe(201);
        expect(answer.body.analysis.status).toBe('pending');
        expect((await alice.get(answer.body.id)).status).toBe(200);
      } finally {
        await fetch(faults, { method: 'DELETE' });
      }
    });
  });

  describe('GET /tickets/{id}', () => {
    test('200 with ETag and history, for the requester and for an agent', async () => {
      const { body: ticket } = await alice.create(QUESTION);
      for (const caller of [alice, ada]) {
        const answer = await caller.get(ticket.id);
        expect(answer.status).toBe(200);
        expect(answer.headers.get('etag')).toBe('"1"');
        expect(answer.body).toMatchObject({ id: ticket.id, history: [] });
      }
    });

    test("404 for another customer's ticket: the same answer as for one that does not exist", async () => {
      const { body: ticket } = await alice.create(QUESTION);
      const theirs = await bob.get(ticket.id);
      const missing = await bob.get('01ARZ3NDEKTSV4RRFFQ69G5FAV');
      expectProblem(theirs, 404);
      expectProblem(missing, 404);
      expect(theirs.body.detail.replace(ticket.id, 'ID')).toBe(
        missing.body.detail.replace('01ARZ3NDEKTSV4RRFFQ69G5FAV', 'ID'),
      );
    });

    test('400 for an id that is not a ticket id', async () => {
      expectProblem(await alice.get('not-a-ulid'), 400);
    });
  });

  describe('PATCH /tickets/{id}', () => {
    test('200: an agent triages; new ETag, the change recorded in the history', async () => {
      const { body: ticket } = await alice.create(QUESTION);
      const answer = await ada.update(ticket.id, { status: 'in_progress', assigneeId: 'ada', priority: 'high' });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('etag')).toBe('"2"');
      expect(answer.body).toMatchObject({ status: 'in_progress', assigneeId: 'ada', priority: 'high', version: 2 });
      const [entry] = (await alice.get(ticket.id)).body.history;
      expect(entry).toMatchObject({ version: 2, by: { id: 'ada', role: 'agent' } });
      expect(entry.changes).toEqual(expect.arrayContaining([{ field: 'status', from: 'open', to: 'in_progress' }]));
    });

    test('412 for a stale If-Match; the ticket keeps the newer change', async () => {
      const { body: ticket } = await alice.create(QUESTION);
      expect((await ada.update(ticket.id, { status: 'in_progress' }, { 'If-Match': '"1"' })).status).toBe(200);
      expectProblem(await ada.update(ticket.id, { status: 'resolved' }, { 'If-Match': '"1"' }), 412);
      expect((await alice.get(ticket.id)).body).toMatchObject({ status: 'in_progress', version: 2 });
    });

    test('409 for a status change the workflow forbids: closed is final', async () => {
      const { body: ticket } = await alice.create(QUESTION);
      expect((await ada.update(ticket.id, { status: 'closed' })).status).toBe(200);
      expectProblem(await ada.update(ticket.id, { status: 'open' }), 409);
    });

    test('403 when a requester changes what only agents may; they may close their own ticket', async () => {
      const { body: ticket } = await alice.create(QUESTION);
      expectProblem(await alice.update(ticket.id, { priority: 'urgent' }), 403);
      expect((await alice.update(ticket.id, { status: 'closed' })).status).toBe(200);
    });

    test("404 for another customer's ticket, 400 for an unknown status", async () => {
      const { body: ticket } = await alice.create(QUESTION);
      expectProblem(await bob.update(ticket.id, { status: 'closed' }), 404);
      expectProblem(await ada.update(ticket.id, { status: 'done' }), 400);
    });
  });

  describe('what API Gateway answers itself', () => {
    test("an unknown path or method gets the template's MISSING_AUTHENTICATION_TOKEN answer", async () => {
      const token = await system.token({ sub: 'alice' });
      for (const [method, path] of [
        ['GET', '/nowhere'],
        ['DELETE', '/tickets/01ARZ3NDEKTSV4RRFFQ69G5FAV'],
      ]) {
        const answer = await call(system.apiUrl, method!, path!, { token });
        expect(answer.headers.get('content-type')).toBe('application/problem+json');
        expect(answer.body).toMatchObject({ status: answer.status, title: expect.any(String) });
        expect(answer.status).toBe(404);
      }
    });

    test('a CORS preflight is answered without a token', async () => {
      const response = await fetch(`${system.apiUrl}/tickets`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      expect(response.headers.get('access-control-allow-headers')).toContain('Authorization');
    });

    test('function answers carry CORS headers for the browser', async () => {
      const answer = await call(system.apiUrl, 'GET', '/tickets', {
        token: await system.token({ sub: 'alice' }),
        headers: { Origin: 'https://app.example' },
      });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    });
  });
});
