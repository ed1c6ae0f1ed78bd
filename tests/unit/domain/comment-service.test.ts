import { beforeEach, describe, expect, jest, test } from '@jest/globals';
import { decodeTime } from 'ulid';
import type {
  AddedComment,
  CommentListQuery,
  CommentLookup,
  CommentRepository,
  CommentWrite,
} from '../../../layers/shared/src/domain/comment-repository.js';
import type { Comment, CommentPage } from '../../../layers/shared/src/domain/comment-schema.js';
import { CommentService } from '../../../layers/shared/src/domain/comment-service.js';
import {
  ConflictError,
  ForbiddenError,
  IdempotencyMismatchError,
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
  UnavailableError,
} from '../../../layers/shared/src/domain/errors.js';
import type { CommentOutcome } from '../../../layers/shared/src/domain/ticket-analyzer.js';
import type { IdempotencyClaim } from '../../../layers/shared/src/domain/ticket-repository.js';
import type { Caller, CallerRole, TicketStatus, TicketWithHistory } from '../../../layers/shared/src/domain/ticket.js';
import { aTicket } from '../../support/tickets.js';
import { fixedSecret } from '../../support/secret-source.js';

const TICKET_ID = '01HZXTICKET000000000000000';
const COMMENT_ID = '01HZXCOMMENT00000000000000';
const NOW = '2026-03-02T09:00:00.000Z';

const alice: Caller = { id: 'alice', email: 'alice@example.com', role: 'customer' };
const bob: Caller = { id: 'bob', email: 'bob@example.com', role: 'customer' };
const ada: Caller = { id: 'ada', email: null, role: 'agent' };

/** The store as the service sees it: the ticket it reads, and what it was asked to write. */
class FakeStore implements CommentRepository {
  ticket: TicketWithHistory | null = { ...aTicket({ id: TICKET_ID }), history: [] };
  readonly reads: CallerRole[] = [];
  readonly writes: { write: CommentWrite; claim?: IdempotencyClaim }[] = [];
  readonly lists: CommentListQuery[] = [];
  /** The comments stored, and the lookups asked for. */
  comments: Comment[] = [];
  readonly lookups: CommentLookup[] = [];
  replay: Comment | null = null;
  /** Failures the next writes throw, in order. */
  failures: Error[] = [];

  get = (id: string, seenBy: CallerRole = 'customer'): Promise<TicketWithHistory | null> => {
    this.reads.push(seenBy);
    return Promise.resolve(this.ticket?.id === id ? structuredClone(this.ticket) : null);
  };

  addComment(write: CommentWrite, claim?: IdempotencyClaim): Promise<AddedComment> {
    this.writes.push({ write, claim });
    const failure = this.failures.shift();
    if (failure) return Promise.reject(failure);
    return Promise.resolve({ comment: write.comment, replayed: false });
  }

  findCommentReplay(): Promise<Comment | null> {
    return Promise.resolve(this.replay);
  }

  listComments(query: CommentListQuery): Promise<CommentPage> {
    this.lists.push(query);
    return Promise.resolve({ items: [], nextCursor: null });
  }

  findComment(lookup: CommentLookup): Promise<Comment | null> {
    this.lookups.push(lookup);
    const found = this.comments.find(
      (comment) =>
        comment.ticketId === lookup.ticketId &&
        comment.id === lookup.id &&
        (lookup.visibility === 'all' || comment.visibility === 'public'),
    );
    return Promise.resolve(found ?? null);
  }
}

let store: FakeStore;
let analyzed: string[];
let analysis: CommentOutcome['analysis'];
let service: CommentService;
/** The pauses between attempts, as asked for (none is waited out). */
let pauses: number[];

beforeEach(() => {
  store = new FakeStore();
  pauses = [];
  analyzed = [];
  analysis = { status: 'complete', language: 'en', sentiment: null, redactions: [] };
  service = new CommentService({
    tickets: store,
    comments: store,
    fingerprintSecret: fixedSecret('comment-test-secret'),
    analyzer: {
      analyzeComment: (body) => {
        analyzed.push(body);
        // Stands in for the redaction floor: the analyzer decides what is stored.
        return Promise.resolve({
          body: body.replace('4111 1111 1111 1111', '[REDACTED:CREDIT_DEBIT_NUMBER]'),
          analysis,
        });
      },
    },
    now: () => new Date(NOW),
    newId: () => COMMENT_ID,
    pause: (ms) => {
      pauses.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
  });
});

function given(status: TicketStatus, overrides: Partial<TicketWithHistory> = {}): void {
  store.ticket = { ...aTicket({ id: TICKET_ID, status, version: 3 }), history: [], ...overrides };
}

const publicly = (body: string) => ({ body, visibility: 'public' as const });

describe('adding a comment', () => {
  test('the comment is stored as analyzed: author from the token, the sanitized body, a new ULID', async () => {
    given('in_progress');

    const { comment } = await service.addComment(alice, TICKET_ID, publicly('Card 4111 1111 1111 1111\u0007 declined'));

    expect(analyzed).toEqual(['Card 4111 1111 1111 1111 declined']);
    expect(comment).toEqual({
      id: COMMENT_ID,
      ticketId: TICKET_ID,
      author: { id: 'alice', role: 'customer' },
      body: 'Card [REDACTED:CREDIT_DEBIT_NUMBER] declined',
      visibility: 'public',
      createdAt: NOW,
      analysis,
    });
    expect(store.writes[0]?.write.comment).toEqual(comment);
  });

  test('Comprehend unavailable: the comment is still stored, its analysis pending', async () => {
    given('open');
    analysis = { status: 'pending', language: null, sentiment: null, redactions: [] };

    const { comment } = await service.addComment(alice, TICKET_ID, publicly('Still broken'));

    expect(comment.analysis.status).toBe('pending');
    expect(store.writes).toHaveLength(1);
  });

  test("an agent's public reply waits on the customer: status moved, version bumped, history entry, first response", async () => {
    given('open');

    const { ticket } = await service.addComment(ada, TICKET_ID, publicly('Could you send a screenshot?'));

    const entry = {
      version: 4,
      at: NOW,
      by: { id: 'ada', role: 'agent' },
      changes: [{ field: 'status', from: 'open', to: 'waiting_on_customer' }],
    };
    expect(store.writes[0]?.write).toMatchObject({
      expectedVersion: 3,
      isAgentReply: true,
      move: { status: 'waiting_on_customer', entry },
    });
    expect(ticket).toMatchObject({
      status: 'waiting_on_customer',
      version: 4,
      updatedAt: NOW,
      commentCount: 1,
      lastCommentAt: NOW,
      firstResponseAt: NOW,
      history: [entry],
    });
  });

  test('a later agent reply keeps the first response time', async () => {
    given('in_progress', { firstResponseAt: '2026-03-01T12:00:00.000Z', commentCount: 2 });

    const { ticket } = await service.addComment(ada, TICKET_ID, publicly('Any news?'));

    expect(ticket).toMatchObject({ firstResponseAt: '2026-03-01T12:00:00.000Z', commentCount: 3 });
  });

  test("an agent's internal note moves nothing and is no first response", async () => {
    given('open');

    const { ticket } = await service.addComment(ada, TICKET_ID, { body: 'Looks like the CDN', visibility: 'internal' });

    expect(store.writes[0]?.write).toMatchObject({ expectedVersion: 3, isAgentReply: false });
    expect(store.writes[0]?.write.move).toBeUndefined();
    expect(ticket).toMatchObject({ status: 'open', version: 3, firstResponseAt: null, commentCount: 1 });
  });

  test.each(['waiting_on_customer', 'resolved'] as const)(
    "the requester's comment puts a %s ticket back in the queue",
    async (from) => {
      given(from);

      const { ticket } = await service.addComment(alice, TICKET_ID, publicly('Here it is'));

      expect(store.writes[0]?.write.move).toEqual({
        from,
        status: 'open',
        entry: {
          version: 4,
          at: NOW,
          commentId: store.writes[0]?.write.comment.id,
          by: { id: 'alice', role: 'customer' },
          changes: [{ field: 'status', from, to: 'open' }],
        },
      });
      expect(ticket).toMatchObject({ status: 'open', version: 4, firstResponseAt: null });
    },
  );

  test('the ticket is read as the caller sees it', async () => {
    await service.addComment(alice, TICKET_ID, publicly('Hello'));
    await service.addComment(ada, TICKET_ID, publicly('Hello'));
    expect(store.reads).toEqual(['customer', 'agent']);
  });

  test('a requester may not add an internal note: 403, nothing analyzed or stored', async () => {
    await expect(service.addComment(alice, TICKET_ID, { body: 'psst', visibility: 'internal' })).rejects.toThrow(
      ForbiddenError,
    );
    expect(analyzed).toEqual([]);
    expect(store.writes).toEqual([]);
  });

  test.each([alice, ada])('a closed ticket takes no comment: 409 (%o)', async (caller) => {
    given('closed');
    await expect(service.addComment(caller, TICKET_ID, publicly('Hello?'))).rejects.toThrow(ConflictError);
    expect(store.writes).toEqual([]);
  });

  test("another customer's ticket is answered as missing: 404", async () => {
    await expect(service.addComment(bob, TICKET_ID, publicly('Hi'))).rejects.toThrow(NotFoundError);
    expect(store.writes).toEqual([]);
  });

  test('a missing ticket: 404', async () => {
    store.ticket = null;
    await expect(service.addComment(ada, TICKET_ID, publicly('Hi'))).rejects.toThrow(NotFoundError);
  });

  test('a body with nothing visible once control characters are removed: 400 naming the body', async () => {
    const failure = service.addComment(alice, TICKET_ID, publicly('\u0000\u200B \n'));
    await expect(failure).rejects.toThrow(InvalidInputError);
    await expect(failure).rejects.toMatchObject({ errors: [{ path: '/body' }] });
  });

  test('20,000 characters as kept are accepted, however many control characters came with them', async () => {
    // Code points, as JSON Schema counts them: an emoji is one character.
    const visible = 'a'.repeat(19_990) + '😀'.repeat(10);
    const sent = `\u0000${visible.slice(0, 5_000)}\u0007\u001B${visible.slice(5_000)}\u007F`;
    await service.addComment(alice, TICKET_ID, publicly(sent));
    expect(analyzed).toEqual([visible]);
    expect(store.writes).toHaveLength(1);
  });

  test('more than 20,000 characters as kept: 400 naming the body, nothing analyzed or written', async () => {
    const failure = service.addComment(alice, TICKET_ID, publicly(`${'😀'.repeat(20_001)}\u0000`));
    await expect(failure).rejects.toThrow(InvalidInputError);
    await expect(failure).rejects.toMatchObject({ errors: [{ path: '/body' }] });
    expect(analyzed).toEqual([]);
    expect(store.writes).toEqual([]);
  });

  test('a lost race re-reads the ticket and decides again on what it finds', async () => {
    given('open');
    store.failures = [new PreconditionFailedError('moved')];
    const reread = store.get;
    let reads = 0;
    store.get = async (id, seenBy) => {
      reads += 1;
      const ticket = await reread(id, seenBy);
      // Meanwhile another agent's reply has moved it.
      return reads === 2 && ticket ? { ...ticket, status: 'waiting_on_customer', version: 4 } : ticket;
    };

    const { ticket } = await service.addComment(ada, TICKET_ID, publicly('Second answer'));

    expect(store.writes.map(({ write }) => write.expectedVersion)).toEqual([3, 4]);
    expect(store.writes[1]?.write.move).toBeUndefined();
    expect(ticket.status).toBe('waiting_on_customer');
    expect(analyzed).toHaveLength(1);
  });

  test('a retry is stamped when it is made: its history entry follows the change it lost to', async () => {
    let clock = Date.parse(NOW);
    service = new CommentService({
      tickets: store,
      comments: store,
      fingerprintSecret: fixedSecret('comment-test-secret'),
      analyzer: { analyzeComment: (body) => Promise.resolve({ body, analysis }) },
      now: () => new Date((clock += 1_000)),
      pause: () => Promise.resolve(),
    });
    given('waiting_on_customer');
    store.failures = [new PreconditionFailedError('moved')];

    const { comment, ticket } = await service.addComment(alice, TICKET_ID, publicly('Here it is'));

    const [first, second] = store.writes.map(({ write }) => write);
    expect(second!.comment.createdAt > first!.comment.createdAt).toBe(true);
    // The id is of the same moment as the stamp: listed by id, comments read in the order of their createdAt.
    for (const { comment: stamped } of [first!, second!]) {
      expect(decodeTime(stamped.id)).toBe(Date.parse(stamped.createdAt));
    }
    expect(second!.move?.entry.at).toBe(second!.comment.createdAt);
    expect(comment.createdAt).toBe(second!.comment.createdAt);
    expect(ticket.updatedAt).toBe(second!.comment.createdAt);
  });

  test('a race lost to a close is a 409', async () => {
    given('open');
    store.failures = [new PreconditionFailedError('moved')];
    const reread = store.get;
    let reads = 0;
    store.get = async (id, seenBy) => {
      reads += 1;
      const ticket = await reread(id, seenBy);
      return reads === 2 && ticket ? { ...ticket, status: 'closed', version: 4 } : ticket;
    };

    await expect(service.addComment(alice, TICKET_ID, publicly('Wait'))).rejects.toThrow(ConflictError);
  });

  test('contention that does not end: 503, retry shortly, after ten attempts and bounded, jittered pauses', async () => {
    store.failures = Array.from({ length: 10 }, () => new PreconditionFailedError('moved'));
    const failure = service.addComment(ada, TICKET_ID, publicly('Hi'));
    await expect(failure).rejects.toThrow(UnavailableError);
    await expect(failure).rejects.toMatchObject({ retryAfterSeconds: 1 });
    expect(store.writes).toHaveLength(10);
    // Half of each ceiling (the jitter here is 0.5): doubling from 10 ms, capped at 160 ms.
    expect(pauses).toEqual([5, 10, 20, 40, 80, 80, 80, 80, 80]);
  });

  test('a comment that loses nine races in a row still goes through on the tenth attempt', async () => {
    given('open');
    store.failures = Array.from({ length: 9 }, () => new PreconditionFailedError('moved'));
    const { comment } = await service.addComment(alice, TICKET_ID, publicly('Any news?'));
    expect(comment.body).toBe('Any news?');
    expect(store.writes).toHaveLength(10);
    expect(analyzed).toHaveLength(1);
  });
});

describe('Idempotency-Key on a comment', () => {
  const earlier: Comment = {
    id: '01HZXEARLIER00000000000000',
    ticketId: TICKET_ID,
    author: { id: 'alice', role: 'customer' },
    body: 'Hello',
    visibility: 'public',
    createdAt: '2026-03-02T08:00:00.000Z',
    analysis: { status: 'complete', language: 'en', sentiment: null, redactions: [] },
  };

  test('a retry is answered with the first comment: nothing analyzed, nothing stored', async () => {
    store.replay = earlier;

    const result = await service.addComment(alice, TICKET_ID, publicly('Hello'), 'key-1');

    expect(result).toMatchObject({ comment: earlier, replayed: true });
    expect(analyzed).toEqual([]);
    expect(store.writes).toEqual([]);
  });

  test('a retry is replayed even once the ticket is closed', async () => {
    given('closed');
    store.replay = earlier;
    await expect(service.addComment(alice, TICKET_ID, publicly('Hello'), 'key-1')).resolves.toMatchObject({
      replayed: true,
    });
  });

  test('the key goes with the write, fingerprinted by body and visibility', async () => {
    await service.addComment(ada, TICKET_ID, publicly('Hello'), 'key-1');
    await service.addComment(ada, TICKET_ID, { body: 'Hello', visibility: 'internal' }, 'key-1');
    await service.addComment(ada, TICKET_ID, publicly('Hello!'), 'key-1');
    await service.addComment(ada, TICKET_ID, publicly('Hello'), 'key-1');

    const [first, internal, otherBody, same] = store.writes.map(({ claim }) => claim);
    expect(first).toEqual({ key: 'key-1', fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(internal?.fingerprint).not.toBe(first?.fingerprint);
    expect(otherBody?.fingerprint).not.toBe(first?.fingerprint);
    expect(same).toEqual(first);
  });

  test('a concurrent add with the same key that won the race is replayed', async () => {
    const addComment = jest.fn((write: CommentWrite) => {
      expect(write.comment.id).toBe(COMMENT_ID);
      return Promise.resolve({ comment: earlier, replayed: true });
    });
    store.addComment = addComment;

    await expect(service.addComment(alice, TICKET_ID, publicly('Hello'), 'key-1')).resolves.toMatchObject({
      comment: earlier,
      replayed: true,
    });
  });

  test('the same key with another body: the mismatch reaches the caller (422)', async () => {
    store.findCommentReplay = () => Promise.reject(new IdempotencyMismatchError('used'));
    await expect(service.addComment(alice, TICKET_ID, publicly('Other'), 'key-1')).rejects.toThrow(
      IdempotencyMismatchError,
    );
  });
});

describe('listing comments', () => {
  test('a customer is shown public comments alone, whatever they ask', async () => {
    await service.listComments(alice, TICKET_ID, { limit: 20 });
    expect(store.lists).toEqual([
      { ticketId: TICKET_ID, limit: 20, cursor: undefined, visibility: 'public', callerId: 'alice' },
    ]);
  });

  test('an agent is shown every comment, the cursor passed on', async () => {
    await service.listComments(ada, TICKET_ID, { limit: 5, cursor: 'abc' });
    expect(store.lists).toEqual([{ ticketId: TICKET_ID, limit: 5, cursor: 'abc', visibility: 'all', callerId: 'ada' }]);
  });

  test("another customer's ticket: 404, nothing listed", async () => {
    await expect(service.listComments(bob, TICKET_ID, { limit: 20 })).rejects.toThrow(NotFoundError);
    expect(store.lists).toEqual([]);
  });

  test.each([0, 101, 1.5, Infinity])('a page size of %s: 400', async (limit) => {
    await expect(service.listComments(ada, TICKET_ID, { limit })).rejects.toThrow(InvalidInputError);
  });
});

describe('reading one comment', () => {
  const NOTE_ID = '01HZXNOTE00000000000000000';
  const MISSING_ID = '01HZXMISSING00000000000000';
  const stored = (id: string, visibility: Comment['visibility']): Comment => ({
    id,
    ticketId: TICKET_ID,
    author: { id: 'ada', role: 'agent' },
    body: `A ${visibility} comment`,
    visibility,
    createdAt: NOW,
    analysis: { status: 'complete', language: 'en', sentiment: null, redactions: [] },
  });

  beforeEach(() => {
    store.comments = [stored(COMMENT_ID, 'public'), stored(NOTE_ID, 'internal')];
  });

  test('the requester reads a public comment of their ticket, looked up among the public ones alone', async () => {
    await expect(service.getComment(alice, TICKET_ID, COMMENT_ID)).resolves.toEqual(stored(COMMENT_ID, 'public'));
    expect(store.reads).toEqual(['customer']);
    expect(store.lookups).toEqual([{ ticketId: TICKET_ID, id: COMMENT_ID, visibility: 'public' }]);
  });

  test('an agent reads any comment, an internal note included', async () => {
    await expect(service.getComment(ada, TICKET_ID, NOTE_ID)).resolves.toEqual(stored(NOTE_ID, 'internal'));
    await expect(service.getComment(ada, TICKET_ID, COMMENT_ID)).resolves.toEqual(stored(COMMENT_ID, 'public'));
    expect(store.reads).toEqual(['agent', 'agent']);
    expect(store.lookups.map(({ visibility }) => visibility)).toEqual(['all', 'all']);
  });

  test('to the requester, an internal note is the same 404 as a comment that does not exist', async () => {
    const note = await service.getComment(alice, TICKET_ID, NOTE_ID).catch((error: unknown) => error);
    const missing = await service.getComment(alice, TICKET_ID, MISSING_ID).catch((error: unknown) => error);

    expect(note).toBeInstanceOf(NotFoundError);
    expect(missing).toBeInstanceOf(NotFoundError);
    const { message } = note as NotFoundError;
    expect(message.replace(NOTE_ID, '<id>')).toBe((missing as NotFoundError).message.replace(MISSING_ID, '<id>'));
  });

  test('a comment that does not exist: 404, to an agent too', async () => {
    await expect(service.getComment(ada, TICKET_ID, MISSING_ID)).rejects.toThrow(NotFoundError);
  });

  test("another customer's ticket or a missing ticket: 404, no comment looked up", async () => {
    await expect(service.getComment(bob, TICKET_ID, COMMENT_ID)).rejects.toThrow(NotFoundError);
    await expect(service.getComment(ada, '01HZXOTHERTICKET0000000000', COMMENT_ID)).rejects.toThrow(NotFoundError);
    expect(store.lookups).toEqual([]);
  });
});

describe("a comment and the ticket's service levels", () => {
  test("an agent's first public reply settles the first response and, waiting on the customer, stops the clock", async () => {
    given('open');

    const { ticket } = await service.addComment(ada, TICKET_ID, publicly('Which browser?'));

    expect(store.writes[0]?.write.serviceLevels).toEqual({
      clock: {
        firstResponseDueAt: '2026-03-01T18:00:00.000Z',
        resolutionDueAt: '2026-03-04T10:00:00.000Z',
        pausedSince: NOW,
      },
      firstResponseAt: NOW,
      decidedOn: null,
    });
    // Answered after its due time: late for good, though the clock now stands still.
    expect(ticket.sla).toEqual({ ...store.writes[0]?.write.serviceLevels?.clock, breached: ['firstResponse'] });
  });

  test("the requester's answer restarts the clock: the resolution moves on by the time waited", async () => {
    given('waiting_on_customer', {
      firstResponseAt: '2026-03-01T12:00:00.000Z',
      sla: {
        firstResponseDueAt: '2026-03-01T18:00:00.000Z',
        resolutionDueAt: '2026-03-04T10:00:00.000Z',
        pausedSince: '2026-03-02T07:00:00.000Z',
        breached: [],
      },
    });

    const { ticket } = await service.addComment(alice, TICKET_ID, publicly('Firefox'));

    expect(store.writes[0]?.write.serviceLevels).toEqual({
      clock: {
        firstResponseDueAt: '2026-03-01T18:00:00.000Z',
        resolutionDueAt: '2026-03-04T12:00:00.000Z',
        pausedSince: null,
      },
      firstResponseAt: '2026-03-01T12:00:00.000Z',
      decidedOn: '2026-03-01T12:00:00.000Z',
    });
    expect(ticket.sla.breached).toEqual([]);
  });

  test.each([
    ['an internal note', () => service.addComment(ada, TICKET_ID, { body: 'psst', visibility: 'internal' })],
    ["the requester's comment on an open ticket", () => service.addComment(alice, TICKET_ID, publicly('More detail'))],
  ])('%s moves no due time', async (_case, add) => {
    given('open');
    await add();
    expect(store.writes[0]?.write).not.toHaveProperty('serviceLevels');
  });
});
