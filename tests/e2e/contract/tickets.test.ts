import { beforeAll, describe, expect, test } from '@jest/globals';
import { expectProblem } from '../../support/problem-details.js';
import type { ApiClient } from '../support/api-client.js';
import {
  contractTargetPerFile,
  createSettled,
  SETTLING_TEST_TIMEOUT_MS,
  withSettledAnalysis,
} from '../support/contract-target.js';

/**
 * The tickets API over HTTP, against the contract target (the local system
 * or a deployed stack, see ../support/contract-target.ts). What each route
 * answers when it succeeds, how it reads its input (400 with the offending
 * fields), and its business errors: 409 (workflow), 412 (stale If-Match), 422
 * (Idempotency-Key reused). A create while Comprehend fails is local-only, in
 * ../comprehend-outage.test.ts.
 *
 * Versions and ETags are counted from the ticket once its analysis is
 * complete (createSettled): locally that is version 1, as created; a deployed
 * stack's stream may have completed it in a version of its own.
 *
 * Who may call what is in auth.test.ts; the HTTP edge (unknown routes,
 * malformed, non-JSON and oversized bodies, 429, 503, CORS) in
 * ../status-codes.test.ts (CORS for an allowed origin also in cors.test.ts);
 * listing in listing.test.ts.
 */

const OUTAGE = {
  subject: 'Production is down',
  description: 'Our production database is down and we are losing money, please help ASAP!',
};
const QUESTION = { subject: 'Export question', description: 'How do I export my invoices as a CSV file?' };

describe('the tickets API over HTTP', () => {
  const target = contractTargetPerFile();
  let customer: ApiClient;
  let agent: ApiClient;
  /** A ticket as this target's tests send it (its subject tagged with the run id on a deployed stack). */
  const tagged = <T extends { subject: string }>(ticket: T): T => ({
    ...ticket,
    subject: target().subject(ticket.subject),
  });

  /** Reads the ticket again, as its requester. */
  const rereadTicket = (id: string) => async () => (await customer.get(id)).body;
  /** A ticket created as the customer, once its analysis is complete. */
  const settled = (ticket: { subject: string; description: string }) =>
    createSettled(target(), customer, tagged(ticket));
  /** The ETag of a ticket at `version`. */
  const etagOf = (version: number) => `"${version}"`;

  beforeAll(() => {
    customer = target().customer.client;
    agent = target().agent.client;
  });

  describe('POST /tickets', () => {
    test(
      '201 with Location and ETag: the ticket analyzed, its requester taken from the token',
      async () => {
        const answer = await customer.create(tagged(OUTAGE));
        expect(answer.status).toBe(201);
        expect(answer.headers.get('location')).toBe(target().location(`/tickets/${answer.body.id}`));
        expect(answer.headers.get('etag')).toBe('"1"');
        expect(answer.body).toMatchObject({
          id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
          ...tagged(OUTAGE),
          status: 'open',
          requester: { id: target().customer.id, email: target().customer.email },
          assigneeId: null,
          version: 1,
        });
        // Locally the answer itself is analyzed; a deployed stack may complete the analysis after it.
        const analyzed = await withSettledAnalysis(target(), answer.body, rereadTicket(answer.body.id));
        expect(analyzed).toMatchObject({
          priority: 'urgent',
          analysis: { status: 'complete', language: 'en', urgent: true, sentiment: { label: 'NEGATIVE' } },
        });
        expect(analyzed.analysis.keyPhrases.length).toBeGreaterThan(0);
      },
      SETTLING_TEST_TIMEOUT_MS,
    );

    test(
      'a how-to question is neutral and not urgent',
      async () => {
        const answer = await customer.create(tagged(QUESTION));
        expect(answer.status).toBe(201);
        const analyzed = await withSettledAnalysis(target(), answer.body, rereadTicket(answer.body.id));
        expect(analyzed.analysis).toMatchObject({
          status: 'complete',
          urgent: false,
          sentiment: { label: 'NEUTRAL' },
        });
        expect(analyzed.priority).not.toBe('urgent');
      },
      SETTLING_TEST_TIMEOUT_MS,
    );

    test('a card number is redacted before the ticket is stored', async () => {
      const created = await customer.create(
        tagged({
          subject: 'Double charge',
          description: 'You charged my card 4111 1111 1111 1111 twice this month.',
        }),
      );
      expect(created.status).toBe(201);
      const stored = await customer.get(created.body.id);
      expect(stored.body.description).not.toContain('4111 1111 1111 1111');
      expect(stored.body.description).toContain('[REDACTED:CREDIT_DEBIT_NUMBER]');
    });

    test('the words come back as written, while a disguised card number and a password are gone everywhere', async () => {
      const subject = 'Map<String, List<Integer>> breaks; card ４１１１.１１１１';
      const description =
        '1111/1111 is the rest of it.\n\tError in <module> at line 3 and &lt;script&gt; in the title; pw: hunter2';
      // The card number runs on from the end of the subject into the description.
      const created = await customer.create(tagged({ subject, description, tags: ['parser'] }));
      expect(created.status).toBe(201);
      const stored = await customer.get(created.body.id);
      expect(stored.body.subject).toBe(
        target().subject('Map<String, List<Integer>> breaks; card [REDACTED:CREDIT_DEBIT_NUMBER]'),
      );
      expect(stored.body.description).toBe(
        '[REDACTED:CREDIT_DEBIT_NUMBER] is the rest of it.\n\tError in <module> at line 3 and &lt;script&gt; in the title; pw: [REDACTED:PASSWORD]',
      );
      const everything = JSON.stringify(stored.body);
      expect(everything).not.toMatch(/hunter2|1111|１１１１/);
      expect(stored.body.analysis.signals).toEqual({ priority: expect.any(Array), category: expect.any(Array) });
    });

    test('Idempotency-Key: a retry returns the first ticket; the key with another body is 422', async () => {
      const headers = { 'Idempotency-Key': 'order-42-retry-safe' };
      const first = await customer.create(tagged(QUESTION), headers);
      const retry = await customer.create(tagged(QUESTION), headers);
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.body.id).toBe(first.body.id);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expectProblem(await customer.create(tagged(OUTAGE), headers), 422);
    });

    test('400 with the offending fields for a body that breaks the schema', async () => {
      const problem = expectProblem(await customer.create({ subject: '', tags: 'not-a-list' }), 400);
      expect(problem.errors).toEqual(expect.arrayContaining([{ path: '/body/description', message: 'is required' }]));
    });
  });

  describe('GET /tickets/{id}', () => {
    test(
      '200 with ETag and history, for the requester and for an agent',
      async () => {
        // Locally version 1 with no history (createSettled checks it).
        const ticket = await settled(QUESTION);
        for (const caller of [customer, agent]) {
          const answer = await caller.get(ticket.id);
          expect(answer.status).toBe(200);
          expect(answer.headers.get('etag')).toBe(etagOf(ticket.version));
          expect(answer.body).toMatchObject({ id: ticket.id, history: ticket.history });
        }
      },
      SETTLING_TEST_TIMEOUT_MS,
    );

    test('400 for an id that is not a ticket id', async () => {
      expectProblem(await customer.get('not-a-ulid'), 400);
    });
  });

  describe('PATCH /tickets/{id}', () => {
    test(
      '200: an agent triages; new ETag, the change recorded in the history',
      async () => {
        // Locally version 1 with no history (createSettled checks it): the triage makes version 2, its one entry.
        const ticket = await settled(QUESTION);
        const assigneeId = target().agent.id;
        const answer = await agent.update(ticket.id, { status: 'in_progress', assigneeId, priority: 'high' });
        expect(answer.status).toBe(200);
        expect(answer.headers.get('etag')).toBe(etagOf(ticket.version + 1));
        expect(answer.body).toMatchObject({
          status: 'in_progress',
          assigneeId,
          priority: 'high',
          version: ticket.version + 1,
        });
        const history = (await customer.get(ticket.id)).body.history;
        expect(history.slice(0, ticket.history.length)).toEqual(ticket.history);
        expect(history).toHaveLength(ticket.history.length + 1);
        const entry = history.at(-1);
        expect(entry).toMatchObject({ version: ticket.version + 1, by: { id: target().agent.id, role: 'agent' } });
        expect(entry!.changes).toEqual(expect.arrayContaining([{ field: 'status', from: 'open', to: 'in_progress' }]));
      },
      SETTLING_TEST_TIMEOUT_MS,
    );

    test(
      '412 for a stale If-Match; the ticket keeps the newer change',
      async () => {
        // Locally version 1 (createSettled checks it): If-Match "1", then version 2.
        const ticket = await settled(QUESTION);
        const current = { 'If-Match': etagOf(ticket.version) };
        expect((await agent.update(ticket.id, { status: 'in_progress' }, current)).status).toBe(200);
        expectProblem(await agent.update(ticket.id, { status: 'resolved' }, current), 412);
        expect((await customer.get(ticket.id)).body).toMatchObject({
          status: 'in_progress',
          version: ticket.version + 1,
        });
      },
      SETTLING_TEST_TIMEOUT_MS,
    );

    test(
      '412 for a weak or unquoted If-Match says why it never matches; 404 first for a ticket the caller cannot see',
      async () => {
        // The current ETag made weak or unquoted: locally W/"1" and 1 (createSettled checks version 1).
        const ticket = await settled(QUESTION);
        const etag = etagOf(ticket.version);
        const weak = expectProblem(
          await agent.update(ticket.id, { status: 'in_progress' }, { 'If-Match': `W/${etag}` }),
          412,
        );
        expect(weak.detail).toContain('If-Match holds a weak entity tag');
        expect(weak.detail).toContain('send the ETag exactly as given');
        const unquoted = expectProblem(
          await agent.update(ticket.id, { status: 'in_progress' }, { 'If-Match': String(ticket.version) }),
          412,
        );
        expect(unquoted.detail).toContain('If-Match holds an entity tag without its quotes');
        expect((await customer.get(ticket.id)).body).toMatchObject({ status: 'open', version: ticket.version });

        const otherCustomer = target().otherCustomer.client;
        expectProblem(await otherCustomer.update(ticket.id, { status: 'closed' }, { 'If-Match': 'W/"1"' }), 404);
        expectProblem(
          await agent.update('01JDQ0Z7S1X7M3V9K2B4N6P8R0', { status: 'closed' }, { 'If-Match': 'W/"1"' }),
          404,
        );
      },
      SETTLING_TEST_TIMEOUT_MS,
    );

    test('409 for a status change the workflow forbids: closed is final', async () => {
      const { body: ticket } = await customer.create(tagged(QUESTION));
      expect((await agent.update(ticket.id, { status: 'closed' })).status).toBe(200);
      expectProblem(await agent.update(ticket.id, { status: 'open' }), 409);
    });

    test('400 for an unknown status', async () => {
      const { body: ticket } = await customer.create(tagged(QUESTION));
      expectProblem(await agent.update(ticket.id, { status: 'done' }), 400);
    });
  });
});
