/**
 * Service levels through the ticket service against DynamoDB Local: due times
 * set at create, moved by priority changes and by time waiting on the
 * customer, breaches as of the read, and an agent's status queue by due time
 * (a Query on the byDue index, paged with signed cursors). The clock is the
 * test's own: nothing depends on wall-clock time.
 */
import { beforeAll, describe, expect, jest, test } from '@jest/globals';
import { InvalidInputError, PreconditionFailedError } from '../../layers/shared/src/domain/errors.js';
import type { TicketAnalyzer } from '../../layers/shared/src/domain/ticket-analyzer.js';
import type { Caller, Ticket, TicketPriority } from '../../layers/shared/src/domain/ticket.js';
import { TicketService } from '../../layers/shared/src/domain/ticket-service.js';
import type { ListTicketsInput } from '../../layers/shared/src/domain/ticket-inputs.js';
import { CommentService } from '../../layers/shared/src/domain/comment-service.js';
import { DynamoDbCommentRepository } from '../../layers/shared/src/repository/dynamodb-comment-repository.js';
import { DynamoDbTicketRepository } from '../../layers/shared/src/repository/dynamodb-ticket-repository.js';
import { createTestTable } from '../support/dynamodb-test-table.js';
import { anAnalysis } from '../support/tickets.js';
import { fixedSecret } from '../support/secret-source.js';

jest.setTimeout(30_000);

const START = Date.parse('2026-03-02T09:00:00.000Z');
/** `hours` after START. */
const at = (hours: number) => new Date(START + hours * 3_600_000).toISOString();

let clock = new Date(START);
const setClock = (hours: number) => {
  clock = new Date(START + hours * 3_600_000);
};

const alice: Caller = { id: 'alice', email: 'alice@example.com', role: 'customer' };
const ada: Caller = { id: 'ada', email: null, role: 'agent' };

/** Triage by the subject's first word: the tests choose each ticket's priority. */
const analyzer: TicketAnalyzer = {
  analyze: ({ subject, description, tags }) => {
    const priority = subject.split(' ')[0] as TicketPriority;
    return Promise.resolve({
      subject,
      description,
      tags: [...(tags ?? [])],
      priority,
      category: 'general',
      analysis: anAnalysis({ status: 'complete' }),
    });
  },
  analyzeComment: () => Promise.reject(new Error('not used')),
  redactTags: (_text, tags) => Promise.resolve([...tags]),
  secretKindsIn: () => Promise.resolve([]),
};

let service: TicketService;
let repository: DynamoDbTicketRepository;
let comments: CommentService;
let repositoryOptions: ConstructorParameters<typeof DynamoDbTicketRepository>[0];

beforeAll(async () => {
  const table = await createTestTable('service-levels');
  repositoryOptions = {
    client: table.documentClient,
    tableName: table.tableName,
    cursorSecret: fixedSecret('service-level-tests-cursor-secret-0123456789'),
    now: () => clock,
  };
  const options = repositoryOptions;
  repository = new DynamoDbTicketRepository(options);
  service = new TicketService({
    repository,
    analyzer,
    fingerprintSecret: fixedSecret('service-level-tests-fingerprint-secret-0123'),
    now: () => clock,
  });
  comments = new CommentService({
    tickets: repository,
    comments: new DynamoDbCommentRepository(options),
    analyzer: {
      analyzeComment: (body) =>
        Promise.resolve({ body, analysis: { status: 'complete', language: 'en', sentiment: null, redactions: [] } }),
    },
    fingerprintSecret: fixedSecret('service-level-tests-fingerprint-secret-0123'),
    now: () => clock,
    pause: () => Promise.resolve(),
  });
});

const reply = (ticketId: string, body = 'Which browser?') =>
  comments.addComment(ada, ticketId, { body, visibility: 'public' });

async function create(priority: TicketPriority, hours: number): Promise<Ticket> {
  setClock(hours);
  const { ticket } = await service.create(alice, { subject: `${priority} ticket`, description: 'It fails.' });
  return ticket;
}

async function allPages(caller: Caller, input: Omit<ListTicketsInput, 'cursor'>): Promise<Ticket[]> {
  const tickets: Ticket[] = [];
  let cursor: string | undefined;
  do {
    const page = await service.list(caller, { ...input, cursor });
    tickets.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return tickets;
}

describe("a ticket's service levels as stored and read", () => {
  test('a new ticket is due per its priority, and the read says which targets are breached by now', async () => {
    const ticket = await create('high', 0);
    expect(ticket.sla).toEqual({ firstResponseDueAt: at(4), resolutionDueAt: at(24), pausedSince: null, breached: [] });

    setClock(5);
    expect((await service.get(ada, ticket.id)).sla.breached).toEqual(['firstResponse']);
    setClock(25);
    expect((await service.get(alice, ticket.id)).sla.breached).toEqual(['firstResponse', 'resolution']);
  });

  test('a change of priority moves the due times; time waiting on the customer does not count', async () => {
    const ticket = await create('normal', 100);
    setClock(100.5);
    const urgent = await service.update(ada, ticket.id, { priority: 'urgent' });
    expect(urgent.sla).toMatchObject({ firstResponseDueAt: at(101), resolutionDueAt: at(104) });

    setClock(100.75);
    await service.update(ada, ticket.id, { status: 'waiting_on_customer' });
    setClock(110);
    const waiting = await service.get(ada, ticket.id);
    // Waiting since before the first response was due: nothing is late, however long the customer takes.
    expect(waiting.sla).toMatchObject({ pausedSince: at(100.75), breached: [] });

    setClock(120);
    const back = await service.update(ada, ticket.id, { status: 'open' });
    expect(back.sla).toEqual({
      firstResponseDueAt: at(101 + 19.25),
      resolutionDueAt: at(104 + 19.25),
      pausedSince: null,
      breached: [],
    });
    expect(await service.get(ada, ticket.id)).toMatchObject({ sla: back.sla });
  });
});

describe("an agent's status queue by due time", () => {
  let expectedOrder: string[];

  beforeAll(async () => {
    // Created in an order unlike their due order; one is then moved to another status, one reprioritized.
    const low = await create('low', 1000); // first response due at 1024
    const urgentLate = await create('urgent', 1010); // due at 1011
    const normal = await create('normal', 1001); // due at 1009
    const high = await create('high', 1002); // due at 1006
    const moved = await create('urgent', 1003); // due at 1004, but in progress
    setClock(1003.5);
    await service.update(ada, moved.id, { status: 'in_progress' });
    const raised = await create('low', 1004); // due at 1028, raised to high: due at 1008
    setClock(1004.5);
    await service.update(ada, raised.id, { priority: 'high' });
    expectedOrder = [high.id, raised.id, normal.id, urgentLate.id, low.id];
  });

  test('lists the open tickets by their next due time, page by page', async () => {
    for (const limit of [1, 2, 5]) {
      const ids = (await allPages(ada, { status: 'open', sort: 'due', limit })).map((ticket) => ticket.id);
      expect(ids.filter((id) => expectedOrder.includes(id))).toEqual(expectedOrder);
    }
  });

  test("the triage order's cursor is not the due order's", async () => {
    const page = await service.list(ada, { status: 'open', sort: 'due', limit: 1 });
    await expect(service.list(ada, { status: 'open', limit: 1, cursor: page.nextCursor! })).rejects.toThrow(
      InvalidInputError,
    );
  });

  test.each([
    ['a customer', alice, { status: 'open', sort: 'due' }],
    ['no status', ada, { sort: 'due' }],
    ['a priority with the due order', ada, { status: 'open', priority: 'high', sort: 'due' }],
  ] as const)('%s: 400 at /sort', async (_case, caller, input) => {
    await expect(service.list(caller, { ...input, limit: 20 })).rejects.toMatchObject({
      errors: [{ path: '/sort' }],
    });
  });
});

describe('the first response and the queue by due time', () => {
  test("an agent's first reply moves the ticket to its resolution due time in the queue", async () => {
    const normal = await create('normal', 2000); // first response due at 2008, resolution at 2072
    const low = await create('low', 2001); // first response due at 2025
    setClock(2002);
    for (const ticket of [normal, low]) await service.update(ada, ticket.id, { status: 'waiting_on_customer' });
    const queue = async () =>
      (await allPages(ada, { status: 'waiting_on_customer', sort: 'due', limit: 10 }))
        .map((ticket) => ticket.id)
        .filter((id) => id === normal.id || id === low.id);
    expect(await queue()).toEqual([normal.id, low.id]);

    setClock(2003);
    const { ticket } = await reply(normal.id);
    // Waiting on the customer already: no move, and no version either, but the first response is given.
    expect(ticket).toMatchObject({ status: 'waiting_on_customer', firstResponseAt: at(2003), version: 2 });
    expect(await queue()).toEqual([low.id, normal.id]);
  });

  test('an update decided before a first reply given meanwhile is refused, and decided again by the service', async () => {
    const ticket = await create('normal', 3000);
    setClock(3001);
    await service.update(ada, ticket.id, { status: 'waiting_on_customer' });
    const read: Ticket = (
      await repository.list({
        scope: { kind: 'all' },
        status: 'waiting_on_customer',
        limit: 100,
        callerId: 'ada',
        seenBy: 'agent',
      })
    ).items.find((item) => item.id === ticket.id)!;
    setClock(3002);
    await reply(ticket.id);

    // The write decided on `read` (no first response) would put the ticket back at its first response due time.
    setClock(3003);
    const next = { ...read, priority: 'high' as const, version: read.version + 1, updatedAt: at(3003) };
    const entry = {
      version: next.version,
      at: at(3003),
      by: { id: 'ada', role: 'agent' as const },
      changes: [{ field: 'priority' as const, from: 'normal', to: 'high' }],
    };
    await expect(repository.update(next, read.version, entry)).rejects.toThrow(PreconditionFailedError);

    const updated = await service.update(ada, ticket.id, { priority: 'high' }, [read.version]);
    expect(updated).toMatchObject({ priority: 'high', version: read.version + 1, firstResponseAt: at(3002) });
    const queued = await allPages(ada, { status: 'waiting_on_customer', sort: 'due', limit: 100 });
    const ids = queued.map((item) => item.id);
    // Ordered by its resolution due time now, among the others'.
    const dueOf = (item: Ticket) =>
      item.firstResponseAt === null ? item.sla.firstResponseDueAt : item.sla.resolutionDueAt;
    expect(queued.map(dueOf)).toEqual([...queued.map(dueOf)].sort());
    expect(ids).toContain(ticket.id);
  });

  test('two first replies at once: both stored, the first one is the first response, the due times follow it', async () => {
    const ticket = await create('urgent', 4000);
    setClock(4000.5);
    await service.update(ada, ticket.id, { status: 'waiting_on_customer' });
    // Each reply is stamped a minute after the one before, so the two decide different due times.
    let stamps = 0;
    const ticking = new CommentService({
      tickets: repository,
      comments: new DynamoDbCommentRepository({ ...repositoryOptions, now: () => clock }),
      analyzer: {
        analyzeComment: (body) =>
          Promise.resolve({ body, analysis: { status: 'complete', language: 'en', sentiment: null, redactions: [] } }),
      },
      fingerprintSecret: fixedSecret('service-level-tests-fingerprint-secret-0123'),
      now: () => new Date(Date.parse(at(4002)) + 60_000 * stamps++),
      pause: () => Promise.resolve(),
    });
    setClock(4002);

    const [one, two] = await Promise.all(
      ['One', 'Two'].map((body) => ticking.addComment(ada, ticket.id, { body, visibility: 'public' })),
    );

    const stored = await service.get(ada, ticket.id);
    expect(stored.commentCount).toBe(2);
    const first = [one!.comment.createdAt, two!.comment.createdAt].sort()[0]!;
    expect(stored.firstResponseAt).toBe(first);
    // Stopped at 4000.5: the first response is measured without the time stopped until it was given, by that reply alone.
    const stoppedMs = Date.parse(first) - Date.parse(at(4000.5));
    expect(stored.sla.firstResponseDueAt).toBe(new Date(Date.parse(at(4001)) + stoppedMs).toISOString());
  });
});
