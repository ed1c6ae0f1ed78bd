import { beforeAll, describe, expect, test } from '@jest/globals';
import type { CommentBody, ProblemBody } from '../../support/api-bodies.js';
import { expectProblem } from '../../support/problem-details.js';
import type { ApiClient } from '../support/api-client.js';
import {
  contractTargetPerFile,
  settledComment,
  settledTicket,
  settlingTimeout,
  SETTLING_TEST_TIMEOUT_MS,
} from '../support/contract-target.js';

/**
 * A ticket's conversation over HTTP, against the contract target: an agent
 * answers, the customer replies, the status follows, internal notes stay
 * between agents (a customer cannot even tell one exists at its path), each
 * comment answers at its Location, a closed ticket takes no more comments,
 * and a secret in a comment is never stored.
 *
 * Versions are counted from the ticket once its analysis is complete, and
 * comments compared once theirs is (settledTicket, settledComment): locally
 * that is the create's answer itself, version 1; a deployed stack's stream
 * may have completed either since.
 */

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe('the conversation on a ticket', () => {
  const target = contractTargetPerFile();
  let customer: ApiClient;
  let otherCustomer: ApiClient;
  let agent: ApiClient;
  /** A ticket as this target's tests send it (its subject tagged with the run id on a deployed stack). */
  const newTicket = (subject: string, description: string) => ({ subject: target().subject(subject), description });

  beforeAll(() => {
    customer = target().customer.client;
    otherCustomer = target().otherCustomer.client;
    agent = target().agent.client;
  });

  test(
    'a whole conversation: reply, note, answer, close',
    async () => {
      const created = await customer.create(
        newTicket('Export fails', 'The CSV export of my invoices fails with an error.'),
      );
      expect(created.body).toMatchObject({
        status: 'open',
        version: 1,
        commentCount: 0,
        lastCommentAt: null,
        firstResponseAt: null,
      });
      const id = created.body.id;
      // Locally version 1 with no history (settledTicket checks it).
      const ticket = await settledTicket(target(), created.body);
      const base = ticket.version;

      // The agent's public reply waits on the customer.
      const reply = await agent.addComment(id, { body: 'Sorry about that! Which browser do you use?' });
      expect(reply.status).toBe(201);
      expect(reply.headers.get('location')).toBe(target().location(`/tickets/${id}/comments/${reply.body.id}`));
      expect(reply.body).toMatchObject({
        id: expect.stringMatching(ULID),
        ticketId: id,
        author: { id: target().agent.id, role: 'agent' },
        body: 'Sorry about that! Which browser do you use?',
        visibility: 'public',
      });
      // Locally the answer itself is analyzed; a deployed stack may complete the analysis after it.
      const replied = await settledComment(target(), reply.body);
      expect(replied.analysis).toMatchObject({ status: 'complete', language: 'en' });
      const waiting = await customer.get(id);
      expect(waiting.body).toMatchObject({
        status: 'waiting_on_customer',
        version: base + 1,
        commentCount: 1,
        lastCommentAt: reply.body.createdAt,
        firstResponseAt: reply.body.createdAt,
      });
      expect(waiting.headers.get('etag')).toBe(`"${base + 1}"`);
      expect(waiting.body.history).toEqual([
        ...ticket.history,
        {
          version: base + 1,
          at: reply.body.createdAt,
          // The comment that made the move.
          commentId: reply.body.id,
          by: { id: target().agent.id, role: 'agent' },
          changes: [{ field: 'status', from: 'open', to: 'waiting_on_customer' }],
        },
      ]);

      // An internal note moves nothing, and the customer sees neither it nor its count.
      const note = await agent.addComment(id, { body: 'Probably the CDN cache again.', visibility: 'internal' });
      expect(note.status).toBe(201);
      expect(note.body.visibility).toBe('internal');
      const seenByCustomer = await customer.get(id);
      expect(seenByCustomer.body).toMatchObject({
        version: base + 1,
        commentCount: 1,
        lastCommentAt: reply.body.createdAt,
      });
      expect((await agent.get(id)).body).toMatchObject({
        version: base + 1,
        commentCount: 2,
        lastCommentAt: note.body.createdAt,
      });
      const customersList = await customer.listComments(id);
      expect(customersList.status).toBe(200);
      expect(customersList.body).toEqual({ items: [replied], nextCursor: null });
      const listed = await customer.list();
      expect(listed.body.items.find((ticket) => ticket.id === id)).toMatchObject({ commentCount: 1 });
      expect((await agent.listComments(id)).body.items.map(({ id: commentId }) => commentId)).toEqual([
        reply.body.id,
        note.body.id,
      ]);

      // The customer's answer puts the ticket back in the queue.
      const answer = await customer.addComment(id, { body: 'Firefox 132 on Windows.' });
      expect(answer.status).toBe(201);
      expect(answer.body.author).toEqual({ id: target().customer.id, role: 'customer' });
      const answered = await settledComment(target(), answer.body);
      const reopened = await agent.get(id);
      expect(reopened.body).toMatchObject({
        status: 'open',
        version: base + 2,
        commentCount: 3,
        firstResponseAt: reply.body.createdAt,
      });
      expect(reopened.body.history).toHaveLength(ticket.history.length + 2);
      expect(reopened.body.history.at(-1)).toMatchObject({
        version: base + 2,
        commentId: answer.body.id,
        by: { id: target().customer.id, role: 'customer' },
        changes: [{ field: 'status', from: 'waiting_on_customer', to: 'open' }],
      });
      const page = await agent.listComments(id, { limit: '2' });
      expect(page.body.items.map(({ id: commentId }) => commentId)).toEqual([reply.body.id, note.body.id]);
      expect(page.body.nextCursor).not.toBeNull();
      const rest = await agent.listComments(id, { limit: '2', cursor: page.body.nextCursor ?? '' });
      expect(rest.body).toEqual({ items: [answered], nextCursor: null });

      // Closed is final: no more comments.
      expect((await agent.update(id, { status: 'closed' })).status).toBe(200);
      expectProblem(await customer.addComment(id, { body: 'One more thing' }), 409);
      expectProblem(await agent.addComment(id, { body: 'Note', visibility: 'internal' }), 409);
    },
    // The ticket, the reply and the answer may each wait for their analysis.
    settlingTimeout(3),
  );

  test("a requester may not write an internal note (403); another customer's ticket is missing (404)", async () => {
    const { body: ticket } = await customer.create(newTicket('Billing', 'I was charged twice.'));

    expectProblem(await customer.addComment(ticket.id, { body: 'psst', visibility: 'internal' }), 403);
    expectProblem(await otherCustomer.addComment(ticket.id, { body: 'Hello' }), 404);
    expectProblem(await otherCustomer.listComments(ticket.id), 404);
    expect((await agent.listComments(ticket.id)).body).toEqual({ items: [], nextCursor: null });
  });

  test(
    "a comment's Location answers the comment; to a customer, an internal note is as missing as a comment never written",
    async () => {
      const { body: ticket } = await customer.create(newTicket('Upload', 'Uploading a file fails.'));
      const reply = await agent.addComment(ticket.id, { body: 'Which file type?' });
      const note = await agent.addComment(ticket.id, { body: 'Size limit again?', visibility: 'internal' });
      const answer = await customer.addComment(ticket.id, { body: 'A 2 GB video.' });
      // What each Location answers: locally the comment as the add answered it.
      const settled = new Map<string, CommentBody>();
      for (const added of [reply, note, answer]) settled.set(added.body.id, await settledComment(target(), added.body));

      for (const added of [reply, answer, note]) {
        const location = added.headers.get('location') ?? '';
        expect(location).toBe(target().location(`/tickets/${ticket.id}/comments/${added.body.id}`));
        const read = await agent.call<CommentBody>({ method: 'GET', path: target().pathOf(location) });
        expect(read.status).toBe(200);
        expect(read.body).toEqual(settled.get(added.body.id));
        // Comments never change: nothing to make a later write conditional on.
        expect(read.headers.get('etag')).toBeNull();
      }
      for (const added of [reply, answer]) {
        const read = await customer.call<CommentBody>({
          method: 'GET',
          path: target().pathOf(added.headers.get('location') ?? ''),
        });
        expect(read.status).toBe(200);
        expect(read.body).toEqual(settled.get(added.body.id));
      }

      const MISSING_ID = '01JDQ10000000000000000000C';
      const forNote = expectProblem(await customer.getComment(ticket.id, note.body.id), 404);
      const forMissing = expectProblem(await customer.getComment(ticket.id, MISSING_ID), 404);
      // Each answer has its own requestId and names the id asked for; nothing else may differ.
      const comparable = (problem: ProblemBody, id: string) => ({
        ...problem,
        requestId: '<request>',
        detail: problem.detail.replaceAll(id, '<id>'),
      });
      expect(comparable(forNote, note.body.id)).toEqual(comparable(forMissing, MISSING_ID));
      expectProblem(await agent.getComment(ticket.id, MISSING_ID), 404);

      // Another customer's ticket is missing, and a comment is only found under its own ticket.
      expectProblem(await otherCustomer.getComment(ticket.id, reply.body.id), 404);
      const { body: other } = await customer.create(newTicket('Other', 'Another problem.'));
      expectProblem(await agent.getComment(other.id, reply.body.id), 404);
      expectProblem(await customer.getComment(other.id, answer.body.id), 404);

      const invalid = expectProblem(await customer.getComment(ticket.id, 'latest'), 400);
      expect(invalid.errors?.map(({ path }) => path)).toEqual(['/pathParameters/commentId']);
    },
    settlingTimeout(3),
  );

  test('a card number in a comment is never stored', async () => {
    const { body: ticket } = await customer.create(newTicket('Payment', 'My payment was declined.'));

    const added = await customer.addComment(ticket.id, { body: 'I used card 4111 1111 1111 1111 yesterday.' });

    expect(added.status).toBe(201);
    expect(added.body.body).toBe('I used card [REDACTED:CREDIT_DEBIT_NUMBER] yesterday.');
    expect(added.body.analysis.redactions).toEqual([{ type: 'CREDIT_DEBIT_NUMBER', count: 1 }]);
    const { body: page } = await agent.listComments(ticket.id);
    expect(JSON.stringify(page)).not.toContain('4111');
    expect(page.items[0]?.body).toBe('I used card [REDACTED:CREDIT_DEBIT_NUMBER] yesterday.');
  });

  test(
    'Idempotency-Key: a retry gets the first comment, another body with the key is 422',
    async () => {
      const { body: ticket } = await customer.create(newTicket('Login', 'I cannot log in.'));
      const key = { 'Idempotency-Key': 'comment-retry-1' };

      const first = await customer.addComment(ticket.id, { body: 'Still failing.' }, key);
      // A retry answers the comment as stored: locally the first answer itself.
      const stored = await settledComment(target(), first.body);
      const retry = await customer.addComment(ticket.id, { body: 'Still failing.' }, key);

      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body).toEqual(stored);
      expect((await agent.get(ticket.id)).body.commentCount).toBe(1);
      expectProblem(await customer.addComment(ticket.id, { body: 'Something else.' }, key), 422);
    },
    SETTLING_TEST_TIMEOUT_MS,
  );

  test('a body with nothing visible is 400, naming the body', async () => {
    const { body: ticket } = await customer.create(newTicket('Blank', 'A blank comment follows.'));
    const problem = expectProblem(await customer.addComment(ticket.id, { body: '\u200B\u0007' }), 400);
    expect(problem.errors?.[0]?.path).toBe('/body/body');
  });

  test('the 20,000-character limit is on the body as kept: control characters sent with it do not count', async () => {
    const { body: ticket } = await customer.create(newTicket('Logs', 'A long log follows.'));
    const visible = 'x'.repeat(20_000);

    const added = await customer.addComment(ticket.id, {
      body: `\u0007${visible.slice(0, 10_000)}\u0000\u001B${visible.slice(10_000)}`,
    });
    expect(added.status).toBe(201);
    expect(added.body.body).toBe(visible);

    const tooLong = expectProblem(await customer.addComment(ticket.id, { body: `${visible}y\u0000` }), 400);
    expect(tooLong.errors?.[0]?.path).toBe('/body/body');
    const unbounded = expectProblem(await customer.addComment(ticket.id, { body: 'x'.repeat(100_001) }), 400);
    expect(unbounded.errors?.[0]?.path).toBe('/body/body');
    expect((await agent.get(ticket.id)).body.commentCount).toBe(1);
  });

  test("a customer paging one comment at a time sees the public ones alone, and an agent's cursor is refused", async () => {
    const { body: ticket } = await customer.create(newTicket('Sync', 'Sync stopped working.'));
    const publicIds: string[] = [];
    for (let turn = 0; turn < 3; turn++) {
      for (let note = 0; note < 4; note++) {
        const added = await agent.addComment(ticket.id, { body: `Note ${turn}.${note}`, visibility: 'internal' });
        expect(added.status).toBe(201);
      }
      const reply = await agent.addComment(ticket.id, { body: `Reply ${turn}` });
      publicIds.push(reply.body.id);
    }

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<ApiClient['listComments']>> = await customer.listComments(ticket.id, {
        limit: '1',
        ...(cursor === null ? {} : { cursor }),
      });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map(({ id }) => id));
      cursor = page.body.nextCursor;
    } while (cursor !== null && seen.length < 10);
    expect(seen).toEqual(publicIds);

    const agentPage = await agent.listComments(ticket.id, { limit: '1' });
    const refused = expectProblem(
      await customer.listComments(ticket.id, { limit: '1', cursor: agentPage.body.nextCursor ?? '' }),
      400,
    );
    expect(refused.errors?.[0]?.path).toBe('/queryStringParameters/cursor');
  });
});
