/**
 * A customer and an agent commenting on one ticket at once, through the
 * comment service and the repositories on DynamoDB Local: every comment that
 * moves the status races every other for the ticket's version, and each one
 * that loses reads the ticket again and decides again. All of them go
 * through, each stored once, with the ticket's counts and history agreeing.
 */
import { beforeAll, expect, jest, test } from '@jest/globals';
import { ulid } from 'ulid';
import { CommentService } from '../../layers/shared/src/domain/comment-service.js';
import type { Caller } from '../../layers/shared/src/domain/ticket.js';
import { DynamoDbCommentRepository } from '../../layers/shared/src/repository/dynamodb-comment-repository.js';
import { DynamoDbTicketRepository } from '../../layers/shared/src/repository/dynamodb-ticket-repository.js';
import { createTestTable, type TestTable } from '../support/dynamodb-test-table.js';
import { aTicket } from '../support/tickets.js';
import { fixedSecret } from '../support/secret-source.js';

jest.setTimeout(60_000);

const CURSOR_SECRET = 'integration-tests-cursor-secret-0123456789';
const alice: Caller = { id: 'alice', email: 'alice@example.com', role: 'customer' };
const ada: Caller = { id: 'ada', email: null, role: 'agent' };

let table: TestTable;
let tickets: DynamoDbTicketRepository;
let service: CommentService;

beforeAll(async () => {
  table = await createTestTable('comment-races');
  const options = {
    client: table.documentClient,
    tableName: table.tableName,
    cursorSecret: fixedSecret(CURSOR_SECRET),
  };
  tickets = new DynamoDbTicketRepository(options);
  service = new CommentService({
    tickets,
    comments: new DynamoDbCommentRepository(options),
    // Analysis is not what races: the words are kept as sent.
    analyzer: {
      analyzeComment: (body) =>
        Promise.resolve({
          body,
          analysis: { status: 'complete', language: 'en', sentiment: null, redactions: [] },
        }),
    },
    fingerprintSecret: fixedSecret(CURSOR_SECRET),
  });
});

test.each([1, 2, 3])(
  'round %i: 16 comments in flight from a customer and an agent all succeed, each stored once',
  async () => {
    const ticket = aTicket({ id: ulid(), status: 'open', requester: { id: 'alice', email: 'alice@example.com' } });
    await tickets.create(ticket);

    // Alternating authors, so that nearly every comment finds the status the other one left and moves it back.
    const authors = Array.from({ length: 16 }, (_, index) => (index % 2 === 0 ? ada : alice));
    const results = await Promise.allSettled(
      authors.map((author, index) =>
        service.addComment(author, ticket.id, { body: `Turn ${String(index)}`, visibility: 'public' }),
      ),
    );

    const failures = results.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []));
    expect(failures).toEqual([]);
    const added = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value.comment] : []));

    const listed = await service.listComments(ada, ticket.id, { limit: 100 });
    expect(listed.nextCursor).toBeNull();
    // Each comment stored exactly once, and nothing else.
    expect(listed.items.map(({ id }) => id).sort()).toEqual(added.map(({ id }) => id).sort());
    expect(listed.items.map(({ body }) => body).sort()).toEqual(
      authors.map((_, index) => `Turn ${String(index)}`).sort(),
    );

    const stored = await tickets.get(ticket.id, 'agent');
    if (!stored) throw new Error('the ticket is gone');
    expect(stored.commentCount).toBe(16);
    expect(stored.version).toBe(1 + stored.history.length);
    // The history is one chain of moves, each made by one of these comments, by its author.
    const byId = new Map(added.map((comment) => [comment.id, comment]));
    let status = ticket.status;
    stored.history.forEach((entry, index) => {
      expect(entry.version).toBe(index + 2);
      const [change] = entry.changes;
      expect(change).toMatchObject({ field: 'status', from: status });
      const comment = byId.get(entry.commentId ?? '');
      expect(comment?.author.id).toBe(entry.by.id);
      status = change?.to as typeof status;
    });
    expect(stored.status).toBe(status);
    expect(new Set(stored.history.map((entry) => entry.commentId)).size).toBe(stored.history.length);
  },
);
