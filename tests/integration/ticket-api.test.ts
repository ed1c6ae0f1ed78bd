/**
 * The four functions invoked with API Gateway events against DynamoDB Local
 * (Comprehend mocked): every status code of the contract, route by route.
 * Every test makes customers of its own (unique ids), so what it reads back is
 * what it wrote, whatever else runs against the table.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  ComprehendClient,
  DetectDominantLanguageCommand,
  DetectKeyPhrasesCommand,
  DetectPiiEntitiesCommand,
  DetectSentimentCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-comprehend';
import { mockClient } from 'aws-sdk-client-mock';
import { agent, customer } from '../support/api-gateway-event.js';
import { createTestTable } from '../support/dynamodb-test-table.js';
import type { TicketBody } from '../support/api-bodies.js';
import { expectProblem } from '../support/problem-details.js';
import { startCursorSecretStandIn, type CursorSecretStandIn } from '../support/secrets-manager-stand-in.js';
import { loadHandlers, routes } from '../support/ticket-api-harness.js';

const comprehend = mockClient(ComprehendClient);
let api: ReturnType<typeof routes>;
let cursorSecret: CursorSecretStandIn;

type CustomerClaims = Record<string, string> & { sub: string; email: string };

/** A customer no other test has: `name` and a unique suffix. */
function newCustomer(name: string): CustomerClaims {
  const sub = `${name}-${randomUUID()}`;
  return { ...customer(sub), sub, email: `${sub}@example.com` };
}

const ada = agent('agent-ada');
let alice: CustomerClaims;
let bob: CustomerClaims;

const OUTAGE = {
  subject: 'Production is down',
  description: 'Our production database is down and we are losing money, please help ASAP!',
};

function comprehendAnswersNormally(): void {
  comprehend.reset();
  comprehend.on(DetectDominantLanguageCommand).resolves({ Languages: [{ LanguageCode: 'en', Score: 0.99 }] });
  comprehend.on(DetectSentimentCommand).resolves({
    Sentiment: 'NEGATIVE',
    SentimentScore: { Positive: 0.01, Negative: 0.9, Neutral: 0.08, Mixed: 0.01 },
  });
  comprehend.on(DetectKeyPhrasesCommand).resolves({
    KeyPhrases: [{ Text: 'production database', Score: 0.99, BeginOffset: 24, EndOffset: 43 }],
  });
  comprehend.on(DetectPiiEntitiesCommand).resolves({ Entities: [] });
}

beforeAll(async () => {
  const table = await createTestTable('ticket-api');
  // The functions read the cursor secret from Secrets Manager: here, the local stand-in.
  cursorSecret = await startCursorSecretStandIn();
  const handlers = await loadHandlers({
    TABLE_NAME: table.tableName,
    ...cursorSecret.environment,
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
  });
  api = routes(handlers);
});

afterAll(async () => {
  await cursorSecret.stop();
});

beforeEach(() => {
  comprehendAnswersNormally();
  alice = newCustomer('alice');
  bob = newCustomer('bob');
});

async function newTicket(claims: Record<string, string> = alice, body: object = OUTAGE): Promise<TicketBody> {
  const answer = await api.create(body, { claims });
  expect(answer.status).toBe(201);
  return answer.body;
}

describe('POST /tickets', () => {
  test('201: stores the analyzed ticket, with Location and ETag', async () => {
    const answer = await api.create({ ...OUTAGE, tags: ['Outage', 'outage', 'db'], channel: 'web' }, { claims: alice });

    expect(answer.status).toBe(201);
    // The path the client called (here through stage `test`), so the header resolves behind any stage.
    expect(answer.headers.location).toBe(`/test/tickets/${answer.body.id}`);
    expect(answer.headers.etag).toBe('"1"');
    expect(answer.body).toMatchObject({
      subject: OUTAGE.subject,
      status: 'open',
      priority: 'urgent',
      tags: ['outage', 'db'],
      channel: 'web',
      requester: { id: alice.sub, email: alice.email },
      assigneeId: null,
      version: 1,
      analysis: { status: 'complete', language: 'en', urgent: true, keyPhrases: ['production database'] },
    });
    const stored = await api.get(answer.body.id, { claims: alice });
    expect(stored.body).toMatchObject({ id: answer.body.id, priority: 'urgent', history: [] });
  });

  test('201 with analysis pending when Comprehend is throttling: the ticket is still stored', async () => {
    comprehend.reset();
    comprehend.onAnyCommand().rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));

    const answer = await api.create(OUTAGE, { claims: alice });

    expect(answer.status).toBe(201);
    expect(answer.body.analysis).toMatchObject({ status: 'pending', sentiment: null });
    expect(answer.body.priority).toBe('urgent'); // local urgency signals still apply
    expect((await api.get(answer.body.id, { claims: alice })).status).toBe(200);
  });

  test('card numbers and SSNs are redacted before storage', async () => {
    const ticket = await newTicket(alice, {
      subject: 'Refund please',
      description: 'I was charged twice on card 4111 1111 1111 1111, my SSN is 123-45-6789.',
    });
    const stored = await api.get(ticket.id, { claims: alice });
    expect(stored.body.description).not.toContain('4111 1111 1111 1111');
    expect(stored.body.description).not.toContain('123-45-6789');
    expect(stored.body.analysis.redactions.map((r) => r.type)).toEqual(
      expect.arrayContaining(['CREDIT_DEBIT_NUMBER', 'SSN']),
    );
  });

  test('a card number in a tag is redacted before storage, at create and when an agent sets tags', async () => {
    const ticket = await newTicket(alice, { ...OUTAGE, tags: ['vip', 'card-4111111111111111'] });
    expect(ticket.tags).toEqual(['vip', 'card-redacted']);
    const changed = await api.update(ticket.id, { tags: ['refund', '5555555555554444'] }, { claims: ada });
    expect(changed.status).toBe(200);
    expect(changed.body.tags).toEqual(['refund', 'redacted']);
    const stored = await api.get(ticket.id, { claims: ada });
    expect(JSON.stringify(stored.body)).not.toMatch(/4111111111111111|5555555555554444/);
  });

  test.each([
    ['a card number', '4111111111111111', 'CREDIT_DEBIT_NUMBER'],
    ['an AWS access key', 'AKIAIOSFODNN7EXAMPLE', 'AWS_ACCESS_KEY'],
    ['a password', 'password=Hunter2!x', 'PASSWORD'],
  ])('an assigneeId holding %s is refused with 400, and nothing is written', async (_kind, secret, type) => {
    const ticket = await newTicket(alice);
    const answer = await api.update(ticket.id, { assigneeId: secret, status: 'in_progress' }, { claims: ada });
    const problem = expectProblem(answer, 400);
    expect(problem.errors).toEqual([{ path: '/body/assigneeId', message: expect.stringContaining(type) }]);
    expect(JSON.stringify(problem)).not.toContain(secret);
    const stored = await api.get(ticket.id, { claims: ada });
    expect(stored.body).toMatchObject({ version: 1, assigneeId: null, status: 'open', history: [] });
  });

  test('tags an agent sets are read together with the description: a card begun there is redacted in them', async () => {
    const ticket = await newTicket(alice, { subject: 'Card', description: 'my card starts 4539 1488' });
    const changed = await api.update(ticket.id, { tags: ['0343', '6467'] }, { claims: ada });
    expect(changed.status).toBe(200);
    expect(changed.body.tags).toEqual(['redacted']);
  });

  test('the words are stored as written: markup, angle brackets and entities are kept, not stripped or decoded', async () => {
    const subject = '<b>Login</b> broken for List<String>';
    const description = 'Clicking <script>alert(1)</script>sign in does nothing.\nif a<b then &lt;tag&gt; -> 6 retries';
    const ticket = await newTicket(alice, { subject, description });
    expect(ticket.subject).toBe(subject);
    expect(ticket.description).toBe(description);
    const stored = await api.get(ticket.id, { claims: alice });
    expect([stored.body.subject, stored.body.description]).toEqual([subject, description]);
  });

  test('the requester comes from the token, never from the body', async () => {
    const answer = await api.create({ ...OUTAGE, requester: { id: 'bob' } }, { claims: alice });
    expect(expectProblem(answer, 400).errors).toContainEqual({ path: '/body/requester', message: 'is not allowed' });
  });

  test('Idempotency-Key: a retry returns the first ticket and stores nothing new', async () => {
    const key = `retry-${Date.now()}`;
    const first = await api.create(OUTAGE, { claims: bob, headers: { 'Idempotency-Key': key } });
    const calls = comprehend.calls().length;
    const retry = await api.create(OUTAGE, { claims: bob, headers: { 'Idempotency-Key': key } });

    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(comprehend.calls().length).toBe(calls); // no second paid analysis
    const mine = await api.list({}, { claims: bob });
    expect(mine.body.items.filter((t) => t.id === first.body.id)).toHaveLength(1);
    expect(mine.body.items).toHaveLength(1);
  });

  test('422: the same Idempotency-Key with a different body', async () => {
    const key = `reuse-${Date.now()}`;
    await api.create(OUTAGE, { claims: alice, headers: { 'Idempotency-Key': key } });
    const answer = await api.create(
      { ...OUTAGE, subject: 'Another thing' },
      { claims: alice, headers: { 'Idempotency-Key': key } },
    );
    expectProblem(answer, 422);
  });

  test('the same Idempotency-Key from two customers makes two tickets', async () => {
    const key = `shared-key-${Date.now()}`;
    const a = await api.create(OUTAGE, { claims: newCustomer('carol'), headers: { 'Idempotency-Key': key } });
    const b = await api.create(OUTAGE, { claims: newCustomer('dave'), headers: { 'Idempotency-Key': key } });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.id).not.toBe(b.body.id);
  });

  test.each([
    ['no subject', { description: 'text' }, '/body/subject'],
    ['empty description', { subject: 'Hi', description: '' }, '/body/description'],
    ['subject over 200 characters', { subject: 'x'.repeat(201), description: 'text' }, '/body/subject'],
    ['eleven tags', { ...OUTAGE, tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, '/body/tags'],
    ['a tag with spaces', { ...OUTAGE, tags: ['two words'] }, '/body/tags/0'],
    ['an unknown channel', { ...OUTAGE, channel: 'fax' }, '/body/channel'],
    ['a number for subject', { subject: 42, description: 'text' }, '/body/subject'],
    ['only control characters', { subject: '\u0000\u0007 \u202E', description: 'text' }, '/body/subject'],
    ['only invisible characters', { subject: 'Help', description: '\u200B\u2060 \uFEFF' }, '/body/description'],
  ])('400 for %s, with the failing field', async (_name, body, path) => {
    const answer = await api.create(body, { claims: alice });
    expect(expectProblem(answer, 400).errors?.map((error) => error.path)).toContain(path);
  });

  test('400 for malformed JSON', async () => {
    const answer = await api.create('{"subject": "x",', {
      claims: alice,
      headers: { 'Content-Type': 'application/json' },
    });
    expectProblem(answer, 400);
  });

  test('400 for a JSON body that is not an object', async () => {
    const answer = await api.create('[1,2]', { claims: alice, headers: { 'Content-Type': 'application/json' } });
    expectProblem(answer, 400);
  });

  test('400 for an Idempotency-Key that is too long', async () => {
    const answer = await api.create(OUTAGE, { claims: alice, headers: { 'Idempotency-Key': 'k'.repeat(256) } });
    expectProblem(answer, 400);
  });

  test('401 without verified claims', async () => {
    expectProblem(await api.create(OUTAGE, { claims: null }), 401);
  });

  test('413 for a body over the limit, before it is parsed', async () => {
    const huge = JSON.stringify({ subject: 'big', description: 'x'.repeat(300 * 1024) });
    const answer = await api.create(huge, { claims: alice, headers: { 'Content-Type': 'application/json' } });
    expectProblem(answer, 413);
  });

  test('415 for a body that is not JSON', async () => {
    const answer = await api.create('subject=hi', { claims: alice, headers: { 'Content-Type': 'text/plain' } });
    expectProblem(answer, 415);
  });

  test('rejected creates store nothing', async () => {
    const claims = newCustomer('erin');
    await api.create({ subject: '', description: '' }, { claims });
    await api.create('not json', { claims, headers: { 'Content-Type': 'application/json' } });
    await api.create(OUTAGE, { claims, headers: { 'Content-Type': 'text/plain' } });
    const mine = await api.list({}, { claims });
    expect(mine.body.items).toEqual([]);
  });

  test('responses carry security headers, errors included', async () => {
    const ok = await api.create(OUTAGE, { claims: alice });
    const bad = await api.create({}, { claims: alice });
    for (const answer of [ok, bad]) {
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['strict-transport-security']).toEqual(expect.any(String));
    }
  });
});

describe('GET /tickets/{id}', () => {
  test('200 with ETag and history for the requester and for an agent', async () => {
    const ticket = await newTicket(alice);
    const mine = await api.get(ticket.id, { claims: alice });
    const agents = await api.get(ticket.id, { claims: ada });
    expect(mine.status).toBe(200);
    expect(mine.headers.etag).toBe('"1"');
    expect(mine.body).toMatchObject({ id: ticket.id, history: [] });
    expect(agents.status).toBe(200);
  });

  test("404 for another customer's ticket, the same answer as for a missing one", async () => {
    const ticket = await newTicket(alice);
    const theirs = await api.get(ticket.id, { claims: bob });
    const missing = await api.get('01ARZ3NDEKTSV4RRFFQ69G5FAV', { claims: bob });
    expect(expectProblem(theirs, 404).detail.replace(ticket.id, 'ID')).toBe(
      expectProblem(missing, 404).detail.replace('01ARZ3NDEKTSV4RRFFQ69G5FAV', 'ID'),
    );
  });

  test('400 for an id that is not a ULID', async () => {
    const answer = await api.get('../../etc/passwd', { claims: alice });
    expect(expectProblem(answer, 400).errors?.[0]?.path).toBe('/pathParameters/id');
  });

  test('401 without verified claims', async () => {
    expectProblem(await api.get('01ARZ3NDEKTSV4RRFFQ69G5FAV', { claims: null }), 401);
  });
});

describe('PATCH /tickets/{id}', () => {
  test('200: an agent triages; the change is versioned and in the history', async () => {
    const ticket = await newTicket(alice);
    const answer = await api.update(
      ticket.id,
      { status: 'in_progress', assigneeId: 'agent-ada', priority: 'high' },
      { claims: ada, headers: { 'If-Match': '"1"' } },
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.etag).toBe('"2"');
    expect(answer.body).toMatchObject({ status: 'in_progress', assigneeId: 'agent-ada', priority: 'high', version: 2 });

    const stored = await api.get(ticket.id, { claims: alice });
    expect(stored.body.history).toHaveLength(1);
    expect(stored.body.history[0]).toMatchObject({
      version: 2,
      by: { id: 'agent-ada', role: 'agent' },
      changes: expect.arrayContaining([
        { field: 'status', from: 'open', to: 'in_progress' },
        { field: 'priority', from: 'urgent', to: 'high' },
        { field: 'assigneeId', from: null, to: 'agent-ada' },
      ]),
    });
  });

  test('a change to nothing writes nothing', async () => {
    const ticket = await newTicket(alice);
    const answer = await api.update(ticket.id, { status: 'open' }, { claims: ada });
    expect(answer.status).toBe(200);
    expect(answer.body.version).toBe(1);
    expect((await api.get(ticket.id, { claims: ada })).body.history).toEqual([]);
  });

  test('412 when If-Match names a stale version; nothing is written', async () => {
    const ticket = await newTicket(alice);
    await api.update(ticket.id, { status: 'in_progress' }, { claims: ada, headers: { 'If-Match': '"1"' } });
    const stale = await api.update(ticket.id, { status: 'resolved' }, { claims: ada, headers: { 'If-Match': '"1"' } });
    expectProblem(stale, 412);
    const stored = await api.get(ticket.id, { claims: ada });
    expect(stored.body).toMatchObject({ status: 'in_progress', version: 2 });
    expect(stored.body.history).toHaveLength(1);
  });

  test('concurrent updates with the same If-Match: exactly one wins, the other gets 412', async () => {
    const ticket = await newTicket(alice);
    const answers = await Promise.all(
      ['in_progress', 'waiting_on_customer'].map((status) =>
        api.update(ticket.id, { status }, { claims: ada, headers: { 'If-Match': '"1"' } }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 412]);
    const stored = await api.get(ticket.id, { claims: ada });
    expect(stored.body.version).toBe(2);
    expect(stored.body.history).toHaveLength(1);
  });

  test('concurrent updates without If-Match are all applied, none lost', async () => {
    const ticket = await newTicket(alice);
    const answers = await Promise.all([
      api.update(ticket.id, { assigneeId: 'agent-ada' }, { claims: ada }),
      api.update(ticket.id, { tags: ['vip'] }, { claims: ada }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const stored = await api.get(ticket.id, { claims: ada });
    expect(stored.body).toMatchObject({ assigneeId: 'agent-ada', tags: ['vip'], version: 3 });
    expect(stored.body.history).toHaveLength(2);
  });

  test('409 moving a closed ticket anywhere: closed is final', async () => {
    const ticket = await newTicket(alice);
    await api.update(ticket.id, { status: 'closed' }, { claims: ada });
    const answer = await api.update(ticket.id, { status: 'open' }, { claims: ada });
    expectProblem(answer, 409);
  });

  test('a requester may close their ticket and reopen a resolved one', async () => {
    const ticket = await newTicket(alice);
    await api.update(ticket.id, { status: 'resolved' }, { claims: ada });
    const reopened = await api.update(ticket.id, { status: 'open' }, { claims: alice });
    expect(reopened.status).toBe(200);
    const closed = await api.update(ticket.id, { status: 'closed' }, { claims: alice });
    expect(closed.status).toBe(200);
    expect(closed.body.history.at(-1)).toMatchObject({ by: { id: alice.sub, role: 'customer' } });
  });

  test.each([
    ['set a priority', { priority: 'low' }],
    ['assign the ticket', { assigneeId: 'alice' }],
    ['move it to in_progress', { status: 'in_progress' }],
    ['change its category', { category: 'billing' }],
  ])('403 when a requester tries to %s', async (_name, change) => {
    const ticket = await newTicket(alice);
    expectProblem(await api.update(ticket.id, change, { claims: alice }), 403);
    expect((await api.get(ticket.id, { claims: alice })).body.version).toBe(1);
  });

  test('403 when a requester reopens a ticket that is not resolved', async () => {
    const ticket = await newTicket(alice);
    await api.update(ticket.id, { status: 'waiting_on_customer' }, { claims: ada });
    expectProblem(await api.update(ticket.id, { status: 'open' }, { claims: alice }), 403);
  });

  test("404 for another customer's ticket", async () => {
    const ticket = await newTicket(alice);
    expectProblem(await api.update(ticket.id, { status: 'closed' }, { claims: bob }), 404);
    expect((await api.get(ticket.id, { claims: alice })).body.status).toBe('open');
  });

  test.each([
    ['an empty body', {}],
    ['an unknown status', { status: 'done' }],
    ['an unknown field', { subject: 'rewritten' }],
    ['a version in the body', { version: 7 }],
  ])('400 for %s', async (_name, body) => {
    const ticket = await newTicket(alice);
    expectProblem(await api.update(ticket.id, body, { claims: ada }), 400);
  });

  test('401, 413 and 415', async () => {
    const ticket = await newTicket(alice);
    expectProblem(await api.update(ticket.id, { status: 'closed' }, { claims: null }), 401);
    const huge = JSON.stringify({ tags: ['x'.repeat(300 * 1024)] });
    expectProblem(
      await api.update(ticket.id, huge, { claims: ada, headers: { 'Content-Type': 'application/json' } }),
      413,
    );
    expectProblem(
      await api.update(ticket.id, 'status=closed', { claims: ada, headers: { 'Content-Type': 'text/plain' } }),
      415,
    );
  });
});

describe('GET /tickets', () => {
  test('200: a customer sees only their own tickets, newest first', async () => {
    const frank = newCustomer('frank');
    const first = await newTicket(frank);
    const second = await newTicket(frank);
    await newTicket(newCustomer('grace'));
    const answer = await api.list({}, { claims: frank });
    expect(answer.status).toBe(200);
    expect(answer.body.items.map((t) => t.id)).toEqual([second.id, first.id]);
    expect(answer.body.nextCursor).toBeNull();
  });

  test('pages with an opaque cursor until nextCursor is null', async () => {
    const heidi = newCustomer('heidi');
    const created = [];
    for (let i = 0; i < 5; i++) created.push((await newTicket(heidi)).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.list({ limit: '2', ...(cursor && { cursor }) }, { claims: heidi });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((t) => t.id));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...created].reverse());
  });

  test('an agent filtering by status sees the triage order: priority, then oldest first', async () => {
    comprehend.reset(); // no analysis: priority comes from the local signals
    comprehend.onAnyCommand().rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    const reporter = newCustomer('ivan');
    const calm = await newTicket(reporter, { subject: 'Question', description: 'How do I export invoices?' });
    const outage = await newTicket(reporter, OUTAGE);
    await api.update(calm.id, { status: 'waiting_on_customer' }, { claims: ada });
    await api.update(outage.id, { status: 'waiting_on_customer' }, { claims: ada });

    const queue = await api.list({ status: 'waiting_on_customer' }, { claims: ada });
    const ids = queue.body.items.map((t) => t.id);
    expect(ids.indexOf(outage.id)).toBeLessThan(ids.indexOf(calm.id));
    const ranks = queue.body.items.map((t) => ['urgent', 'high', 'normal', 'low'].indexOf(t.priority));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  test('a customer cannot see other tickets by filtering', async () => {
    await newTicket(newCustomer('judy'));
    const answer = await api.list({ status: 'open', priority: 'urgent' }, { claims: newCustomer('mallory') });
    expect(answer.body.items).toEqual([]);
  });

  test("status and priority filters narrow a customer's own tickets", async () => {
    const nina = newCustomer('nina');
    const urgent = await newTicket(nina);
    const urgentInProgress = await newTicket(nina);
    await api.update(urgentInProgress.id, { status: 'in_progress' }, { claims: ada });
    const calm = await newTicket(nina);
    await api.update(calm.id, { priority: 'low' }, { claims: ada });

    const ids = async (query: Record<string, string>) =>
      (await api.list(query, { claims: nina })).body.items.map((t) => t.id);
    expect(await ids({ priority: 'urgent' })).toEqual([urgentInProgress.id, urgent.id]);
    expect(await ids({ status: 'open', priority: 'urgent' })).toEqual([urgent.id]);
    expect(await ids({ priority: 'low' })).toEqual([calm.id]);
  });

  test("an agent's status queue filtered by priority holds only that priority", async () => {
    const oscar = newCustomer('oscar');
    const urgent = await newTicket(oscar);
    const low = await newTicket(oscar);
    for (const ticket of [urgent, low]) await api.update(ticket.id, { status: 'resolved' }, { claims: ada });
    await api.update(low.id, { priority: 'low' }, { claims: ada });

    const queue = await api.list({ status: 'resolved', priority: 'low' }, { claims: ada });
    const found = queue.body.items.map((t) => t.id);
    expect(found).toContain(low.id);
    expect(found).not.toContain(urgent.id);
    expect(queue.body.items.every((t) => t.priority === 'low' && t.status === 'resolved')).toBe(true);
  });

  test('limit defaults to 20', async () => {
    const pat = newCustomer('pat');
    comprehend.reset(); // no analysis needed for this one: faster creates
    comprehend.onAnyCommand().rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    for (let i = 0; i < 21; i++) await newTicket(pat);
    const page = await api.list({}, { claims: pat });
    expect(page.body.items).toHaveLength(20);
    expect(page.body.nextCursor).toEqual(expect.any(String));
  });

  test.each([
    ['limit 0', { limit: '0' }],
    ['limit 101', { limit: '101' }],
    ['limit not a number', { limit: 'ten' }],
    ['an unknown status', { status: 'done' }],
    ['an unknown parameter', { sort: 'asc' }],
    ['a forged cursor', { cursor: 'eyJ2IjoxfQ.forged' }],
  ])('400 for %s', async (_name, query) => {
    expectProblem(await api.list(query, { claims: alice }), 400);
  });

  test("400 for another customer's cursor", async () => {
    const kim = newCustomer('kim');
    await newTicket(kim);
    await newTicket(kim);
    const page = await api.list({ limit: '1' }, { claims: kim });
    expect(page.body.nextCursor).toEqual(expect.any(String));
    expectProblem(await api.list({ limit: '1', cursor: page.body.nextCursor! }, { claims: newCustomer('leo') }), 400);
  });

  test('401 without verified claims', async () => {
    expectProblem(await api.list({}, { claims: null }), 401);
  });
});
