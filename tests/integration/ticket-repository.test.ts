/**
 * The DynamoDB repository against DynamoDB Local, with the table defined by
 * template.yaml: keys, indexes, conditions and transactions as AWS runs them.
 */
import { beforeAll, describe, expect, jest, test } from '@jest/globals';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  ConflictError,
  DomainError,
  IdempotencyMismatchError,
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
  UnavailableError,
} from '../../layers/shared/src/domain/errors.js';
import {
  DEFAULT_SERVICE_LEVEL_TARGETS,
  serviceLevelsAt,
  startClock,
} from '../../layers/shared/src/domain/service-levels.js';
import type { HistoryEntry, Ticket, TicketPriority, TicketStatus } from '../../layers/shared/src/domain/ticket.js';
import { DynamoDbTicketRepository } from '../../layers/shared/src/repository/dynamodb-ticket-repository.js';
import { ListCursorCodec } from '../../layers/shared/src/repository/list-cursor.js';
import type { ListQuery, TicketPage } from '../../layers/shared/src/domain/ticket-repository.js';
import { dynamoDbLocalClient } from '../../local/dynamodb/dynamodb-local.js';
import { unusedPort } from '../../local/system/ports.js';
import { createTestTable, type TestTable } from '../support/dynamodb-test-table.js';
import { addressesAccepting, listeningAddresses } from '../support/listening-sockets.js';
import { fixedSecret } from '../support/secret-source.js';

// Generous limits: DynamoDB Local is a JVM sharing the machine with parallel test workers.
// Nothing here asserts on time; the limits only stop a hung run.
jest.setTimeout(30_000);

const CURSOR_SECRET = 'integration-tests-cursor-secret-0123456789';
const NOW = new Date('2026-03-01T12:00:00.000Z');
const EPOCH = Date.parse('2026-01-01T00:00:00.000Z');

/** A distinct, ordered timestamp per minute: tests never depend on the wall clock. */
const minute = (n: number) => new Date(EPOCH + n * 60_000).toISOString();

let sequence = 0;
function newTicket(overrides: Partial<Ticket> = {}): Ticket {
  sequence += 1;
  const createdAt = overrides.createdAt ?? minute(sequence);
  return {
    id: `01TEST${String(sequence).padStart(20, '0')}`,
    subject: `Ticket ${sequence}`,
    description: 'The export to CSV fails with an error.',
    status: 'open',
    priority: 'normal',
    category: 'technical',
    tags: ['export'],
    requester: { id: 'customer-default', email: 'customer@example.com' },
    assigneeId: null,
    channel: 'web',
    analysis: {
      status: 'complete',
      language: 'en',
      sentiment: { label: 'NEGATIVE', scores: { positive: 0.01, negative: 0.9, neutral: 0.08, mixed: 0.01 } },
      keyPhrases: ['export', 'CSV'],
      urgent: false,
      redactions: [],
      signals: { priority: [], category: [] },
    },
    createdAt,
    updatedAt: createdAt,
    version: 1,
    commentCount: 0,
    lastCommentAt: null,
    firstResponseAt: null,
    sla: slaAsOfNow(createdAt, overrides.priority ?? 'normal'),
    ...overrides,
  };
}

/** The service levels of a ticket created at `createdAt`, as the repository reads them at NOW. */
const slaAsOfNow = (createdAt: string, priority: Ticket['priority']) =>
  serviceLevelsAt(startClock(createdAt, priority, 'open', DEFAULT_SERVICE_LEVEL_TARGETS), null, NOW);

const requester = (id: string) => ({ id, email: `${id}@example.com` });

function changeOf(ticket: Ticket, changes: Partial<Ticket>, at: string): { next: Ticket; entry: HistoryEntry } {
  const next: Ticket = { ...ticket, ...changes, version: ticket.version + 1, updatedAt: at };
  const entry: HistoryEntry = {
    version: next.version,
    at,
    by: { id: 'agent-ada', role: 'agent' },
    changes: Object.keys(changes).map((field) => ({
      field: field as HistoryEntry['changes'][number]['field'],
      from: ticket[field as keyof Ticket],
      to: changes[field as keyof Ticket],
    })),
  };
  return { next, entry };
}

function repositoryFor(table: TestTable, now = () => NOW): DynamoDbTicketRepository {
  return new DynamoDbTicketRepository({
    client: table.documentClient,
    tableName: table.tableName,
    cursorSecret: fixedSecret(CURSOR_SECRET),
    now,
  });
}

/** Every page of a query, following nextCursor to the end. */
async function allPages(repository: DynamoDbTicketRepository, query: Omit<ListQuery, 'cursor'>): Promise<TicketPage[]> {
  const pages: TicketPage[] = [];
  let cursor: string | undefined;
  do {
    const page = await repository.list({ ...query, cursor });
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
    if (pages.length > 1_000) throw new Error('pagination does not end');
  } while (cursor);
  return pages;
}

async function storeAll(repository: DynamoDbTicketRepository, tickets: Ticket[]): Promise<void> {
  const batchSize = 25;
  for (let start = 0; start < tickets.length; start += batchSize) {
    await Promise.all(tickets.slice(start, start + batchSize).map((ticket) => repository.create(ticket)));
  }
}

const ids = (tickets: Ticket[]) => tickets.map((ticket) => ticket.id);
const newestFirst = (tickets: Ticket[]) => [...tickets].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

describe('create and get', () => {
  let table: TestTable;
  let repository: DynamoDbTicketRepository;
  beforeAll(async () => {
    table = await createTestTable('repository-create');
    repository = repositoryFor(table);
  });

  test('stores a ticket and reads it back, exactly as given, with an empty history', async () => {
    const ticket = newTicket({ tags: [], assigneeId: null });

    expect(await repository.create(ticket)).toEqual({ ticket, replayed: false });
    expect(await repository.get(ticket.id)).toEqual({ ...ticket, history: [] });
  });

  test('get answers null for a ticket that does not exist', async () => {
    expect(await repository.get('01NOSUCHTICKET000000000000')).toBeNull();
  });

  test('a second ticket with an existing id is refused and the first stays as it was', async () => {
    const ticket = newTicket();
    await repository.create(ticket);

    await expect(repository.create({ ...ticket, subject: 'Overwritten?' })).rejects.toBeInstanceOf(ConflictError);
    expect((await repository.get(ticket.id))?.subject).toBe(ticket.subject);
  });

  test('a retry with the same idempotency key and request replays the first ticket and stores nothing', async () => {
    const claim = { key: 'retry-key-1', fingerprint: 'request-digest-a' };
    const first = newTicket({ requester: requester('idem-customer') });
    const retry = newTicket({ requester: requester('idem-customer') });

    expect(await repository.create(first, claim)).toEqual({ ticket: first, replayed: false });
    expect(await repository.create(retry, claim)).toEqual({ ticket: first, replayed: true });
    expect(await repository.get(retry.id)).toBeNull();
    expect(await repository.findIdempotentCreate('idem-customer', claim.key)).toEqual({
      ticketId: first.id,
      fingerprint: claim.fingerprint,
    });
  });

  test('the same idempotency key with another request is a mismatch and stores nothing', async () => {
    const owner = requester('mismatch-customer');
    const first = newTicket({ requester: owner });
    const other = newTicket({ requester: owner });
    await repository.create(first, { key: 'reused-key', fingerprint: 'body-1' });

    await expect(repository.create(other, { key: 'reused-key', fingerprint: 'body-2' })).rejects.toBeInstanceOf(
      IdempotencyMismatchError,
    );
    expect(await repository.get(other.id)).toBeNull();
  });

  test('idempotency keys are per requester: another requester with the same key gets their own ticket', async () => {
    const claim = { key: 'shared-key', fingerprint: 'same-body' };
    const mine = newTicket({ requester: requester('key-owner-1') });
    const theirs = newTicket({ requester: requester('key-owner-2') });

    await repository.create(mine, claim);
    expect(await repository.create(theirs, claim)).toEqual({ ticket: theirs, replayed: false });
  });

  test('an idempotency record older than 24 hours no longer replays', async () => {
    const owner = requester('expiry-customer');
    const claim = { key: 'old-key', fingerprint: 'body' };
    const first = newTicket({ requester: owner });
    await repository.create(first, claim);

    const aDayLater = repositoryFor(table, () => new Date(NOW.getTime() + 24 * 3_600_000 + 1_000));
    expect(await aDayLater.findIdempotentCreate(owner.id, claim.key)).toBeNull();
    const fresh = newTicket({ requester: owner });
    expect(await aDayLater.create(fresh, claim)).toEqual({ ticket: fresh, replayed: false });
  });

  test('findIdempotentCreate answers null for a key never used', async () => {
    expect(await repository.findIdempotentCreate('nobody', 'unused')).toBeNull();
  });

  test('concurrent creates with one idempotency key store exactly one ticket', async () => {
    const owner = requester('double-click-customer');
    const claim = { key: 'double-click', fingerprint: 'same-body' };
    const attempts = Array.from({ length: 6 }, () => newTicket({ requester: owner }));

    const outcomes = await Promise.allSettled(attempts.map((ticket) => repository.create(ticket, claim)));

    const created = outcomes.flatMap((outcome) =>
      outcome.status === 'fulfilled' && !outcome.value.replayed ? [outcome.value.ticket] : [],
    );
    expect(created).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') expect(outcome.value.ticket.id).toBe(created[0]!.id);
      // Contention with the winning transaction surfaces as a retryable error, never as a second ticket.
      else expect(outcome.reason).toBeInstanceOf(UnavailableError);
    }
    const stored = await repository.list({
      scope: { kind: 'requester', requesterId: owner.id },
      limit: 100,
      callerId: owner.id,
    });
    expect(ids(stored.items)).toEqual([created[0]!.id]);
  });

  test('an idempotent create with an id already taken is a conflict, and the key stays unused', async () => {
    const taken = newTicket();
    await repository.create(taken);

    await expect(
      repository.create({ ...taken, requester: requester('late-customer') }, { key: 'k', fingerprint: 'f' }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await repository.findIdempotentCreate('late-customer', 'k')).toBeNull();
  });
});

describe('update and history', () => {
  let table: TestTable;
  let repository: DynamoDbTicketRepository;
  beforeAll(async () => {
    table = await createTestTable('repository-update');
    repository = repositoryFor(table);
  });

  test('writes the next version and its history entry together', async () => {
    const ticket = newTicket();
    await repository.create(ticket);
    const { next, entry } = changeOf(ticket, { status: 'in_progress', assigneeId: 'agent-ada' }, minute(10_000));

    await repository.update(next, 1, entry);

    expect(await repository.get(ticket.id)).toEqual({ ...next, history: [entry] });
  });

  test('a stale expected version is a failed precondition, and nothing is written', async () => {
    const ticket = newTicket();
    await repository.create(ticket);
    const first = changeOf(ticket, { priority: 'high' }, minute(10_001));
    await repository.update(first.next, 1, first.entry);

    // A second writer that still holds version 1.
    const stale = changeOf(ticket, { status: 'resolved' }, minute(10_002));
    await expect(repository.update(stale.next, 1, stale.entry)).rejects.toBeInstanceOf(PreconditionFailedError);

    expect(await repository.get(ticket.id)).toEqual({ ...first.next, history: [first.entry] });
  });

  test('of two concurrent updates from the same version, exactly one is applied', async () => {
    const ticket = newTicket();
    await repository.create(ticket);
    const toResolved = changeOf(ticket, { status: 'resolved' }, minute(10_003));
    const toUrgent = changeOf(ticket, { priority: 'urgent' }, minute(10_003));

    const outcomes = await Promise.allSettled([
      repository.update(toResolved.next, 1, toResolved.entry),
      repository.update(toUrgent.next, 1, toUrgent.entry),
    ]);

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const stored = await repository.get(ticket.id);
    expect(stored?.version).toBe(2);
    expect(stored?.history).toHaveLength(1);
    const winner = outcomes[0].status === 'fulfilled' ? toResolved : toUrgent;
    expect(stored).toEqual({ ...winner.next, history: [winner.entry] });
  });

  test('updating a ticket that does not exist is NotFound and leaves no history behind', async () => {
    const ghost = newTicket();
    const { next, entry } = changeOf(ghost, { status: 'closed' }, minute(10_004));

    await expect(repository.update(next, 1, entry)).rejects.toBeInstanceOf(NotFoundError);
    expect(await itemsInPartition(table, ghost.id)).toEqual([]);
  });

  test('when the history entry cannot be written, the ticket is not changed either', async () => {
    const ticket = newTicket();
    await repository.create(ticket);
    const { next, entry } = changeOf(ticket, { status: 'in_progress' }, minute(10_005));
    // A stray entry already occupies version 2: the transaction must fail as a whole.
    const stray: HistoryEntry = { version: 2, at: minute(10_004), by: { id: 'agent-bo', role: 'agent' }, changes: [] };
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...stray, pk: `TICKET#${ticket.id}`, sk: 'HISTORY#0000000002' },
      }),
    );

    await expect(repository.update(next, 1, entry)).rejects.toBeInstanceOf(PreconditionFailedError);

    const stored = await repository.get(ticket.id);
    expect(stored).toMatchObject({ version: 1, status: 'open', updatedAt: ticket.updatedAt });
    expect(stored?.history).toEqual([stray]);
  });

  test('history comes back oldest first, also past version 9', async () => {
    let ticket = newTicket();
    await repository.create(ticket);
    const entries: HistoryEntry[] = [];
    const statuses: TicketStatus[] = ['in_progress', 'waiting_on_customer'];
    for (let step = 0; step < 12; step++) {
      const { next, entry } = changeOf(ticket, { status: statuses[step % 2]! }, minute(20_000 + step));
      await repository.update(next, ticket.version, entry);
      entries.push(entry);
      ticket = next;
    }

    const stored = await repository.get(ticket.id);
    expect(stored?.version).toBe(13);
    expect(stored?.history.map((entry) => entry.version)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(stored?.history).toEqual(entries);
  });

  test('an update moves the ticket to the index partitions of its new status and priority', async () => {
    const ticket = newTicket({ status: 'waiting_on_customer', priority: 'low' });
    await repository.create(ticket);
    const { next, entry } = changeOf(ticket, { status: 'resolved', priority: 'urgent' }, minute(10_006));
    await repository.update(next, 1, entry);

    const agentQuery = (status: TicketStatus, priority?: TicketPriority) =>
      repository.list({ scope: { kind: 'all' }, status, priority, limit: 100, callerId: 'agent-ada' });
    expect(ids((await agentQuery('waiting_on_customer')).items)).not.toContain(ticket.id);
    expect(ids((await agentQuery('resolved', 'urgent')).items)).toContain(ticket.id);
  });

  test('an item that is not a well-formed ticket or history entry is a fault, not a ticket', async () => {
    const ticket = newTicket();
    await repository.create(ticket);
    const put = (item: Record<string, unknown>) =>
      table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: item }));

    await put({ pk: `TICKET#${ticket.id}`, sk: 'HISTORY#0000000002', stray: true });
    const badHistory = repository.get(ticket.id);
    await expect(badHistory).rejects.toThrow(/^Malformed item in the ticket table: history entry\./);
    await expect(badHistory).rejects.not.toBeInstanceOf(DomainError);

    const other = newTicket();
    await put({ pk: `TICKET#${other.id}`, sk: 'TICKET', id: other.id, subject: 'Half a ticket' });
    await expect(repository.get(other.id)).rejects.toThrow(/^Malformed item in the ticket table: ticket\./);
  });

  test('a version that does not follow the expected one is refused before anything is sent', async () => {
    const ticket = newTicket();
    await repository.create(ticket);
    const { next, entry } = changeOf(ticket, { status: 'closed' }, minute(10_007));

    await expect(repository.update({ ...next, version: 3 }, 1, { ...entry, version: 3 })).rejects.toThrow(/version/);
    expect((await repository.get(ticket.id))?.version).toBe(1);
  });
});

async function itemsInPartition(table: TestTable, ticketId: string): Promise<unknown[]> {
  const result = await table.documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `TICKET#${ticketId}` },
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
}

describe('list', () => {
  let repository: DynamoDbTicketRepository;
  /** One customer with many tickets, over a long time. */
  const manyTicketsOwner = requester('customer-many');
  let manyTickets: Ticket[] = [];
  let everyTicket: Ticket[] = [];
  /** The triage queue: open tickets of mixed priorities, created in an order that is not triage order. */
  const triagePriorities: TicketPriority[] = [
    ...['low', 'urgent', 'normal', 'high', 'urgent'],
    ...['low', 'normal', 'high', 'urgent', 'normal'],
  ] as TicketPriority[];
  let triageTickets: Ticket[] = [];
  /** A customer whose `high` tickets are one in five, to exercise filtered pages. */
  const sparseOwner = requester('customer-sparse');
  let sparseTickets: Ticket[] = [];

  beforeAll(async () => {
    repository = repositoryFor(await createTestTable('repository-list'));
    manyTickets = Array.from({ length: 250 }, () => newTicket({ requester: manyTicketsOwner, status: 'resolved' }));
    triageTickets = triagePriorities.map((priority, n) =>
      newTicket({ requester: requester(`triage-customer-${n % 3}`), status: 'open', priority }),
    );
    sparseTickets = Array.from({ length: 60 }, (_, n) =>
      newTicket({
        requester: sparseOwner,
        status: n % 2 === 0 ? 'open' : 'closed',
        priority: n % 5 === 0 ? 'high' : 'low',
      }),
    );
    everyTicket = [...manyTickets, ...triageTickets, ...sparseTickets];
    await storeAll(repository, everyTicket);
  }, 120_000);

  type Filters = Partial<Pick<ListQuery, 'status' | 'priority'>>;
  const ownTickets = (owner: { id: string }, filters: Filters = {}, limit = 20) => ({
    scope: { kind: 'requester' as const, requesterId: owner.id },
    callerId: owner.id,
    limit,
    ...filters,
  });
  const agentQuery = (filters: Filters = {}, limit = 20) => ({
    scope: { kind: 'all' as const },
    callerId: 'agent-ada',
    limit,
    ...filters,
  });

  test('a customer pages through 250 tickets: each once, newest first, full pages, the last saying so', async () => {
    const pages = await allPages(repository, ownTickets(manyTicketsOwner, {}, 20));

    expect(pages.map((page) => page.items.length)).toEqual([...Array<number>(12).fill(20), 10]);
    expect(pages.at(-1)?.nextCursor).toBeNull();
    const listed = pages.flatMap((page) => page.items);
    expect(new Set(ids(listed)).size).toBe(250);
    expect(ids(listed)).toEqual(ids(newestFirst(manyTickets)));
    expect(listed[0]).toEqual(newestFirst(manyTickets)[0]); // whole tickets, without key attributes
  });

  test('a page size that divides the total exactly ends without an empty extra page', async () => {
    const pages = await allPages(repository, ownTickets(manyTicketsOwner, {}, 50));
    expect(pages.map((page) => page.items.length)).toEqual([50, 50, 50, 50, 50]);
  });

  test('an agent pages through every ticket of every customer, newest first', async () => {
    const pages = await allPages(repository, agentQuery({}, 100));
    expect(ids(pages.flatMap((page) => page.items))).toEqual(ids(newestFirst(everyTicket)));
  });

  test('an agent filtering by status sees the triage order: priority, then oldest first', async () => {
    const pages = await allPages(repository, agentQuery({ status: 'open' }, 4));
    const queue = pages.flatMap((page) => page.items);

    const open = everyTicket.filter((ticket) => ticket.status === 'open');
    const rank = { urgent: 0, high: 1, normal: 2, low: 3 };
    const triageOrder = [...open].sort(
      (a, b) => rank[a.priority] - rank[b.priority] || a.createdAt.localeCompare(b.createdAt),
    );
    expect(ids(queue)).toEqual(ids(triageOrder));
    expect(queue.slice(0, 3).map((ticket) => ticket.priority)).toEqual(['urgent', 'urgent', 'urgent']);
  });

  test('an agent filtering by status and priority gets only that priority, oldest first, page by page', async () => {
    const pages = await allPages(repository, agentQuery({ status: 'open', priority: 'urgent' }, 2));
    const urgentOpen = everyTicket.filter((ticket) => ticket.status === 'open' && ticket.priority === 'urgent');

    expect(ids(pages.flatMap((page) => page.items))).toEqual(ids(urgentOpen));
    expect(pages.map((page) => page.items.length)).toEqual([2, 1]);
  });

  test('an agent filtering by priority alone gets that priority across statuses, newest first', async () => {
    const pages = await allPages(repository, agentQuery({ priority: 'high' }, 5));
    const high = everyTicket.filter((ticket) => ticket.priority === 'high');

    expect(ids(pages.flatMap((page) => page.items))).toEqual(ids(newestFirst(high)));
  });

  test("a customer's filtered pages are full until the last, though most of their tickets do not match", async () => {
    const pages = await allPages(repository, ownTickets(sparseOwner, { priority: 'high' }, 5));
    const high = sparseTickets.filter((ticket) => ticket.priority === 'high');

    expect(high).toHaveLength(12);
    expect(pages.map((page) => page.items.length)).toEqual([5, 5, 2]);
    expect(ids(pages.flatMap((page) => page.items))).toEqual(ids(newestFirst(high)));
  });

  test('a customer can combine status and priority filters', async () => {
    const pages = await allPages(repository, ownTickets(sparseOwner, { status: 'open', priority: 'high' }, 3));
    const expected = sparseTickets.filter((ticket) => ticket.status === 'open' && ticket.priority === 'high');

    expect(expected.length).toBeGreaterThan(3);
    expect(ids(pages.flatMap((page) => page.items))).toEqual(ids(newestFirst(expected)));
  });

  test("customers see only their own tickets, and one customer's cursor does not work for another", async () => {
    const alice = await repository.list(ownTickets(manyTicketsOwner, {}, 10));
    const bob = await allPages(repository, ownTickets(sparseOwner, {}, 100));

    expect(alice.items.every((ticket) => ticket.requester.id === manyTicketsOwner.id)).toBe(true);
    expect(bob.flatMap((page) => page.items).every((ticket) => ticket.requester.id === sparseOwner.id)).toBe(true);

    const stolen = repository.list({ ...ownTickets(sparseOwner, {}, 10), cursor: alice.nextCursor! });
    await expect(stolen).rejects.toBeInstanceOf(InvalidInputError);
    // Not even by asking for the other customer's partition with their cursor.
    const borrowed = repository.list({
      ...ownTickets(manyTicketsOwner, {}, 10),
      callerId: sparseOwner.id,
      cursor: alice.nextCursor!,
    });
    await expect(borrowed).rejects.toBeInstanceOf(InvalidInputError);
  });

  describe('cursors are tamper-evident', () => {
    let cursor: string;
    beforeAll(async () => {
      cursor = (await repository.list(agentQuery({ status: 'open' }, 2))).nextCursor!;
    });

    const rejection = (attempt: Promise<unknown>) =>
      expect(attempt).rejects.toMatchObject({
        constructor: InvalidInputError,
        errors: [{ path: '/cursor', message: expect.any(String) }],
      });

    test('an altered payload is rejected', async () => {
      const [body, signature] = cursor.split('.');
      const payload = JSON.parse(Buffer.from(body!, 'base64url').toString()) as { k: Record<string, string> };
      payload.k.gsi2pk = 'STATUS#closed';
      const altered = `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
      await rejection(repository.list({ ...agentQuery({ status: 'open' }, 2), cursor: altered }));
    });

    test('a cursor signed with another secret is rejected', async () => {
      const forged = new ListCursorCodec('a-secret-the-attacker-chose-0123456789').encode(
        { pk: 'TICKET#X', sk: 'TICKET', gsi2pk: 'STATUS#open', gsi2sk: '0#2026#X' },
        { callerId: 'agent-ada', scope: { kind: 'all' }, status: 'open' },
      );
      await rejection(repository.list({ ...agentQuery({ status: 'open' }, 2), cursor: forged }));
    });

    test('a cursor used with another query is rejected', async () => {
      await rejection(repository.list({ ...agentQuery({ status: 'resolved' }, 2), cursor }));
      await rejection(repository.list({ ...agentQuery({ status: 'open', priority: 'urgent' }, 2), cursor }));
    });

    test('garbage is rejected', async () => {
      for (const garbage of ['', 'x', 'a.b.c', `${cursor}x`, 'A'.repeat(5_000), '!!!.???']) {
        await rejection(repository.list({ ...agentQuery({ status: 'open' }, 2), cursor: garbage }));
      }
    });

    test('the same cursor with another page size continues where it left off', async () => {
      const next = await repository.list({ ...agentQuery({ status: 'open' }, 3), cursor });
      const whole = await repository.list(agentQuery({ status: 'open' }, 5));
      expect(ids(next.items)).toEqual(ids(whole.items.slice(2, 5)));
    });
  });

  // The request schema bounds the page size: one out of range is a fault in the caller, not the client's input.
  test('a page size outside 1..100 is refused as a programming error', async () => {
    await expect(repository.list(agentQuery({}, 0))).rejects.toBeInstanceOf(RangeError);
    await expect(repository.list(agentQuery({}, 101))).rejects.toBeInstanceOf(RangeError);
  });
});

describe('DynamoDB Local', () => {
  const port = () => Number(new URL(process.env.AWS_ENDPOINT_URL_DYNAMODB!).port);

  test('listens on 127.0.0.1 only', async () => {
    expect(listeningAddresses(port())).toEqual(['127.0.0.1']);
    // 127.0.0.2 reaches a server bound to every interface, on any Linux machine.
    await expect(addressesAccepting(port())).resolves.toEqual(['127.0.0.1']);
  });

  test('a store that cannot be reached is Unavailable, not a crash', async () => {
    const closedPort = await unusedPort();
    const unreachable = new DynamoDbTicketRepository({
      client: DynamoDBDocumentClient.from(dynamoDbLocalClient(`http://127.0.0.1:${closedPort}`, { maxAttempts: 1 })),
      tableName: 'tickets',
      cursorSecret: fixedSecret(CURSOR_SECRET),
    });

    await expect(unreachable.get('01ANYTICKET000000000000000')).rejects.toMatchObject({
      constructor: UnavailableError,
      retryAfterSeconds: expect.any(Number),
    });
    await expect(unreachable.create(newTicket())).rejects.toBeInstanceOf(UnavailableError);
  });
});

/** A port that nothing listens on: bound by the OS, then released. */
