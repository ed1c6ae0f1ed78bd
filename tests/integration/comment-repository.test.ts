/**
 * Comments in DynamoDB Local, on the table template.yaml defines: one
 * transaction per comment with its ticket's counts, status move and history,
 * idempotent adds, pages of a ticket's comments oldest first, and one comment
 * read by its id in the caller's view.
 */
import { beforeAll, describe, expect, jest, test } from '@jest/globals';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import type { CommentWrite } from '../../layers/shared/src/domain/comment-repository.js';
import type { Comment, CommentPage } from '../../layers/shared/src/domain/comment-schema.js';
import {
  IdempotencyMismatchError,
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
} from '../../layers/shared/src/domain/errors.js';
import type { Caller, HistoryEntry, Ticket, TicketStatus } from '../../layers/shared/src/domain/ticket.js';
import { commentCursorPosition } from '../../layers/shared/src/repository/comment-pages.js';
import { DynamoDbCommentRepository } from '../../layers/shared/src/repository/dynamodb-comment-repository.js';
import { ListCursorCodec } from '../../layers/shared/src/repository/list-cursor.js';
import { DynamoDbTicketRepository } from '../../layers/shared/src/repository/dynamodb-ticket-repository.js';
import { createTestTable, type TestTable } from '../support/dynamodb-test-table.js';
import { aTicket } from '../support/tickets.js';
import { fixedSecret } from '../support/secret-source.js';

jest.setTimeout(30_000);

const CURSOR_SECRET = 'integration-tests-cursor-secret-0123456789';
const NOW = new Date('2026-03-02T12:00:00.000Z');
const newId = monotonicFactory();
const alice: Caller = { id: 'alice', email: 'alice@example.com', role: 'customer' };
const ada: Caller = { id: 'ada', email: null, role: 'agent' };

let table: TestTable;
let tickets: DynamoDbTicketRepository;
let comments: DynamoDbCommentRepository;

beforeAll(async () => {
  table = await createTestTable('comments');
  const options = {
    client: table.documentClient,
    tableName: table.tableName,
    cursorSecret: fixedSecret(CURSOR_SECRET),
  };
  tickets = new DynamoDbTicketRepository({ ...options, now: () => NOW });
  comments = new DynamoDbCommentRepository({ ...options, now: () => NOW });
});

let minutes = 0;
const nextInstant = () => new Date(Date.parse('2026-03-02T09:00:00.000Z') + ++minutes * 60_000).toISOString();

async function storedTicket(status: TicketStatus = 'open'): Promise<Ticket> {
  const ticket = aTicket({ id: newId(), status, requester: { id: 'alice', email: 'alice@example.com' } });
  await tickets.create(ticket);
  return ticket;
}

function aComment(ticket: Ticket, author: Caller, overrides: Partial<Comment> = {}): Comment {
  return {
    id: newId(),
    ticketId: ticket.id,
    author: { id: author.id, role: author.role },
    body: 'Could you send a screenshot?',
    visibility: 'public',
    createdAt: nextInstant(),
    analysis: { status: 'complete', language: 'en', sentiment: null, redactions: [] },
    ...overrides,
  };
}

function writeOf(ticket: Ticket, comment: Comment, move?: TicketStatus): CommentWrite {
  const isAgentReply = comment.author.role === 'agent' && comment.visibility === 'public';
  if (!move) return { comment, expectedVersion: ticket.version, isAgentReply };
  const entry: HistoryEntry = {
    version: ticket.version + 1,
    at: comment.createdAt,
    commentId: comment.id,
    by: comment.author,
    changes: [{ field: 'status', from: ticket.status, to: move }],
  };
  return { comment, expectedVersion: ticket.version, isAgentReply, move: { from: ticket.status, status: move, entry } };
}

async function allPages(query: { ticketId: string; visibility: 'all' | 'public'; limit: number }, callerId: string) {
  const pages: CommentPage[] = [];
  let cursor: string | undefined;
  do {
    const page = await comments.listComments({ ...query, callerId, cursor });
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
    if (pages.length > 100) throw new Error('pagination does not end');
  } while (cursor);
  return pages;
}

describe('adding a comment', () => {
  test("an agent's public reply: comment, status move, history entry and counts in one write", async () => {
    const ticket = await storedTicket('open');
    const comment = aComment(ticket, ada);

    await comments.addComment(writeOf(ticket, comment, 'waiting_on_customer'));

    const seenByAgent = await tickets.get(ticket.id, 'agent');
    expect(seenByAgent).toMatchObject({
      status: 'waiting_on_customer',
      version: 2,
      updatedAt: comment.createdAt,
      commentCount: 1,
      lastCommentAt: comment.createdAt,
      firstResponseAt: comment.createdAt,
      history: [
        { version: 2, by: { id: 'ada', role: 'agent' }, changes: [{ field: 'status', to: 'waiting_on_customer' }] },
      ],
    });
    expect(await tickets.get(ticket.id, 'customer')).toMatchObject({
      commentCount: 1,
      lastCommentAt: comment.createdAt,
    });
    // The status queue follows the move.
    const queue = await tickets.list({
      scope: { kind: 'all' },
      status: 'waiting_on_customer',
      limit: 100,
      callerId: 'ada',
    });
    expect(queue.items.map(({ id }) => id)).toContain(ticket.id);
    expect(
      (await comments.listComments({ ticketId: ticket.id, visibility: 'all', limit: 20, callerId: 'ada' })).items,
    ).toEqual([comment]);
  });

  test('an internal note: the version stays, and the customer sees neither the note nor its count', async () => {
    const ticket = await storedTicket('in_progress');
    const note = aComment(ticket, ada, { visibility: 'internal', body: 'Probably the CDN' });

    await comments.addComment(writeOf(ticket, note));

    expect(await tickets.get(ticket.id, 'agent')).toMatchObject({
      version: 1,
      status: 'in_progress',
      commentCount: 1,
      lastCommentAt: note.createdAt,
      firstResponseAt: null,
    });
    expect(await tickets.get(ticket.id, 'customer')).toMatchObject({
      version: 1,
      commentCount: 0,
      lastCommentAt: null,
    });
    const listed = await tickets.list({
      scope: { kind: 'requester', requesterId: 'alice' },
      limit: 100,
      callerId: 'alice',
      seenBy: 'customer',
    });
    expect(listed.items.find(({ id }) => id === ticket.id)).toMatchObject({ commentCount: 0 });
  });

  test('a later agent reply keeps the first response time', async () => {
    const ticket = await storedTicket('in_progress');
    const first = aComment(ticket, ada);
    await comments.addComment(writeOf(ticket, first));
    await comments.addComment(writeOf(ticket, aComment(ticket, ada)));

    expect(await tickets.get(ticket.id, 'agent')).toMatchObject({ commentCount: 2, firstResponseAt: first.createdAt });
  });

  test('comments that move nothing may be added concurrently: every one is counted', async () => {
    const ticket = await storedTicket('in_progress');
    await Promise.all(
      Array.from({ length: 5 }, () =>
        comments.addComment(writeOf(ticket, aComment(ticket, ada, { visibility: 'internal' }))),
      ),
    );
    expect(await tickets.get(ticket.id, 'agent')).toMatchObject({ version: 1, commentCount: 5 });
  });

  test('a stale version: 412, nothing stored', async () => {
    const ticket = await storedTicket('open');
    await comments.addComment(writeOf(ticket, aComment(ticket, ada), 'waiting_on_customer'));

    const late = aComment(ticket, alice);
    await expect(comments.addComment(writeOf(ticket, late, 'open'))).rejects.toThrow(PreconditionFailedError);

    expect(await tickets.get(ticket.id, 'agent')).toMatchObject({ version: 2, commentCount: 1 });
    const { items } = await comments.listComments({
      ticketId: ticket.id,
      visibility: 'all',
      limit: 20,
      callerId: 'ada',
    });
    expect(items.map(({ id }) => id)).not.toContain(late.id);
  });

  test('a missing ticket: 404, no comment left behind', async () => {
    const ghost = aTicket({ id: newId() });
    await expect(comments.addComment(writeOf(ghost, aComment(ghost, ada)))).rejects.toThrow(NotFoundError);
    const { items } = await comments.listComments({
      ticketId: ghost.id,
      visibility: 'all',
      limit: 20,
      callerId: 'ada',
    });
    expect(items).toEqual([]);
  });

  test("an update after comments leaves the conversation's counts as they are", async () => {
    const ticket = await storedTicket('open');
    await comments.addComment(writeOf(ticket, aComment(ticket, ada, { visibility: 'internal' })));
    await comments.addComment(writeOf(ticket, aComment(ticket, alice)));
    const current = await tickets.get(ticket.id, 'customer');
    if (!current) throw new Error('the ticket is gone');
    const at = nextInstant();
    await tickets.update({ ...current, priority: 'high', version: 2, updatedAt: at }, 1, {
      version: 2,
      at,
      by: { id: 'ada', role: 'agent' },
      changes: [{ field: 'priority', from: 'normal', to: 'high' }],
    });

    expect(await tickets.get(ticket.id, 'agent')).toMatchObject({ priority: 'high', commentCount: 2 });
    expect(await tickets.get(ticket.id, 'customer')).toMatchObject({ priority: 'high', commentCount: 1 });
  });

  test("reading a ticket does not read its comments' items", async () => {
    const ticket = await storedTicket('open');
    for (let count = 0; count < 3; count++)
      await comments.addComment(writeOf(ticket, aComment(ticket, ada, { visibility: 'internal' })));
    const partition = await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `TICKET#${ticket.id}` },
      }),
    );
    expect(partition.Items?.filter((item) => String(item.sk).startsWith('COMMENT#'))).toHaveLength(3);
    expect((await tickets.get(ticket.id, 'agent'))?.history).toEqual([]);
  });
});

describe('Idempotency-Key on a comment', () => {
  const claim = { key: 'double-click', fingerprint: 'digest-1' };

  test('the same key and request: the first comment, nothing stored twice', async () => {
    const ticket = await storedTicket('open');
    const first = aComment(ticket, alice);
    await comments.addComment(writeOf(ticket, first), claim);

    const retry = await comments.addComment(writeOf(ticket, aComment(ticket, alice)), claim);

    expect(retry).toEqual({ comment: first, replayed: true });
    expect(await comments.findCommentReplay('alice', ticket.id, claim)).toEqual(first);
    expect(await tickets.get(ticket.id, 'agent')).toMatchObject({ commentCount: 1 });
  });

  test('the same key with another request: 422', async () => {
    const ticket = await storedTicket('open');
    await comments.addComment(writeOf(ticket, aComment(ticket, alice)), claim);

    const other = { ...claim, fingerprint: 'digest-2' };
    await expect(comments.addComment(writeOf(ticket, aComment(ticket, alice)), other)).rejects.toThrow(
      IdempotencyMismatchError,
    );
    await expect(comments.findCommentReplay('alice', ticket.id, other)).rejects.toThrow(IdempotencyMismatchError);
  });

  test("an agent's internal note is replayed too", async () => {
    const ticket = await storedTicket('open');
    const note = aComment(ticket, ada, { visibility: 'internal' });
    await comments.addComment(writeOf(ticket, note), claim);

    expect(await comments.findCommentReplay('ada', ticket.id, claim)).toEqual(note);
    await expect(comments.addComment(writeOf(ticket, aComment(ticket, ada)), claim)).resolves.toEqual({
      comment: note,
      replayed: true,
    });
  });

  test('a key is scoped to its author and ticket', async () => {
    const ticket = await storedTicket('open');
    const another = await storedTicket('open');
    await comments.addComment(writeOf(ticket, aComment(ticket, alice)), claim);

    expect(await comments.findCommentReplay('alice', another.id, claim)).toBeNull();
    expect(await comments.findCommentReplay('ada', ticket.id, claim)).toBeNull();
    await expect(comments.addComment(writeOf(another, aComment(another, alice)), claim)).resolves.toMatchObject({
      replayed: false,
    });
  });
});

describe('reading one comment', () => {
  test("a public comment is in both views; an internal note only in the agents'", async () => {
    const ticket = await storedTicket('in_progress');
    const reply = aComment(ticket, ada);
    const note = aComment(ticket, ada, { visibility: 'internal', body: 'Probably the CDN' });
    await comments.addComment(writeOf(ticket, reply));
    await comments.addComment(writeOf(ticket, note));

    const find = (id: string, visibility: 'all' | 'public') =>
      comments.findComment({ ticketId: ticket.id, id, visibility });
    expect(await find(reply.id, 'public')).toEqual(reply);
    expect(await find(reply.id, 'all')).toEqual(reply);
    expect(await find(note.id, 'all')).toEqual(note);
    expect(await find(note.id, 'public')).toBeNull();
  });

  test('a comment that does not exist, or is of another ticket, is not found', async () => {
    const ticket = await storedTicket('open');
    const other = await storedTicket('open');
    const reply = aComment(ticket, ada);
    const note = aComment(ticket, ada, { visibility: 'internal' });
    await comments.addComment(writeOf(ticket, reply));
    await comments.addComment(writeOf(ticket, note));

    for (const visibility of ['all', 'public'] as const) {
      expect(await comments.findComment({ ticketId: ticket.id, id: newId(), visibility })).toBeNull();
      expect(await comments.findComment({ ticketId: other.id, id: reply.id, visibility })).toBeNull();
      expect(await comments.findComment({ ticketId: other.id, id: note.id, visibility })).toBeNull();
    }
  });
});

describe('listing comments', () => {
  let ticket: Ticket;
  let publicIds: string[];
  let allIds: string[];

  beforeAll(async () => {
    ticket = await storedTicket('in_progress');
    allIds = [];
    publicIds = [];
    // Public comments far apart among many internal notes: a filter that must not cut pages short.
    for (let index = 0; index < 23; index++) {
      const visibility = index % 5 === 0 ? 'public' : 'internal';
      const comment = aComment(ticket, ada, { visibility, body: `Comment ${index}` });
      await comments.addComment(writeOf(ticket, comment));
      allIds.push(comment.id);
      if (visibility === 'public') publicIds.push(comment.id);
    }
  });

  test('an agent pages through every comment, oldest first', async () => {
    const pages = await allPages({ ticketId: ticket.id, visibility: 'all', limit: 4 }, 'ada');
    expect(pages.flatMap(({ items }) => items.map(({ id }) => id))).toEqual(allIds);
    expect(pages.slice(0, -1).every(({ items }) => items.length === 4)).toBe(true);
    expect(pages.at(-1)?.nextCursor).toBeNull();
  });

  test('a customer pages through the public comments alone: full pages, no empty last page', async () => {
    const pages = await allPages({ ticketId: ticket.id, visibility: 'public', limit: 2 }, 'alice');
    expect(pages.flatMap(({ items }) => items.map(({ id }) => id))).toEqual(publicIds);
    expect(pages.map(({ items }) => items.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap(({ items }) => items).every(({ visibility }) => visibility === 'public')).toBe(true);
  });

  test("a cursor is bound to its caller, ticket and view: a customer's cannot show internal notes", async () => {
    const { nextCursor } = await comments.listComments({
      ticketId: ticket.id,
      visibility: 'public',
      limit: 1,
      callerId: 'alice',
    });
    if (!nextCursor) throw new Error('expected a second page');
    const reuse = (query: { ticketId: string; visibility: 'all' | 'public'; callerId: string }) =>
      comments.listComments({ ...query, limit: 1, cursor: nextCursor });

    await expect(reuse({ ticketId: ticket.id, visibility: 'all', callerId: 'alice' })).rejects.toThrow(
      InvalidInputError,
    );
    await expect(reuse({ ticketId: ticket.id, visibility: 'public', callerId: 'bob' })).rejects.toThrow(
      InvalidInputError,
    );
    await expect(reuse({ ticketId: newId(), visibility: 'public', callerId: 'alice' })).rejects.toThrow(
      InvalidInputError,
    );
    await expect(reuse({ ticketId: ticket.id, visibility: 'public', callerId: 'alice' })).resolves.toMatchObject({
      items: [{ id: publicIds[1] }],
    });
  });

  test("an agent's cursor given to the customer is refused", async () => {
    const { nextCursor } = await comments.listComments({
      ticketId: ticket.id,
      visibility: 'all',
      limit: 1,
      callerId: 'alice',
    });
    if (!nextCursor) throw new Error('expected a second page');
    await expect(
      comments.listComments({
        ticketId: ticket.id,
        visibility: 'public',
        limit: 1,
        callerId: 'alice',
        cursor: nextCursor,
      }),
    ).rejects.toThrow(InvalidInputError);
  });
});

describe("no internal note leaks through a customer's cursor", () => {
  const codec = new ListCursorCodec(CURSOR_SECRET);
  let ticket: Ticket;
  const publicIds: string[] = [];
  const allIds: string[] = [];

  beforeAll(async () => {
    ticket = await storedTicket('in_progress');
    // Runs of internal notes (up to 30 long) between public comments, and notes before the first and after the last.
    const runs = [7, 30, 1, 0, 12, 25, 3];
    for (const [index, notes] of runs.entries()) {
      for (let count = 0; count < notes; count++) {
        const note = aComment(ticket, ada, { visibility: 'internal', body: `Note ${index}.${count}` });
        await comments.addComment(writeOf(ticket, note));
        allIds.push(note.id);
      }
      if (index === runs.length - 1) break;
      const reply = aComment(ticket, ada, { body: `Reply ${index}` });
      await comments.addComment(writeOf(ticket, reply));
      allIds.push(reply.id);
      publicIds.push(reply.id);
    }
  });

  test('a customer paging with every limit sees exactly the public comments, and every cursor points at one', async () => {
    const shape = { ticketId: ticket.id, visibility: 'public' as const, callerId: 'alice' };
    for (let limit = 1; limit <= publicIds.length + 1; limit++) {
      const pages = await allPages({ ticketId: ticket.id, visibility: 'public', limit }, 'alice');
      expect(pages.flatMap(({ items }) => items.map(({ id }) => id))).toEqual(publicIds);
      // Full pages: nothing read is thrown away, so a page is short only at the end.
      expect(pages.slice(0, -1).every(({ items }) => items.length === limit)).toBe(true);
      for (const { items, nextCursor } of pages) {
        if (nextCursor === null) continue;
        const position = commentCursorPosition(codec, nextCursor, shape);
        expect(publicIds).toContain(position);
        expect(position).toBe(items.at(-1)?.id);
      }
    }
  });

  test('an agent paging with every limit sees every comment once, oldest first', async () => {
    const shape = { ticketId: ticket.id, visibility: 'all' as const, callerId: 'ada' };
    for (const limit of [1, 2, 3, 5, 7, 13, 29, 100]) {
      const pages = await allPages({ ticketId: ticket.id, visibility: 'all', limit }, 'ada');
      expect(pages.flatMap(({ items }) => items.map(({ id }) => id))).toEqual(allIds);
      expect(pages.slice(0, -1).every(({ items }) => items.length === limit)).toBe(true);
      for (const { items, nextCursor } of pages) {
        if (nextCursor !== null) expect(commentCursorPosition(codec, nextCursor, shape)).toBe(items.at(-1)?.id);
      }
    }
  });
});

describe('large comments', () => {
  test("pages read on past DynamoDB's 1 MB responses, merged in order", async () => {
    const ticket = await storedTicket('in_progress');
    const ids: string[] = [];
    // 36 comments of ~60 KB: each prefix holds more than one 1 MB response.
    for (let index = 0; index < 36; index++) {
      const visibility = index % 3 === 0 ? 'public' : 'internal';
      const comment = aComment(ticket, ada, { visibility, body: `${String(index)} ${'x'.repeat(60_000)}` });
      await comments.addComment(writeOf(ticket, comment));
      ids.push(comment.id);
    }
    const pages = await allPages({ ticketId: ticket.id, visibility: 'all', limit: 100 }, 'ada');
    expect(pages.flatMap(({ items }) => items.map(({ id }) => id))).toEqual(ids);
  });
});
