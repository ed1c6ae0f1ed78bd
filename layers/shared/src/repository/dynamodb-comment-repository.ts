import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  AddedComment,
  CommentAnalysisCompletionStore,
  CommentAnalysisCompletionWrite,
  CommentListQuery,
  CommentLookup,
  CommentRef,
  CommentRepository,
  CommentWrite,
} from '../domain/comment-repository.js';
import type { Comment, CommentPage } from '../domain/comment-schema.js';
import {
  IdempotencyMismatchError,
  NotFoundError,
  PreconditionFailedError,
  UnavailableError,
} from '../domain/errors.js';
import type { SecretSource } from '../domain/secret-source.js';
import type { IdempotencyClaim } from '../domain/ticket-repository.js';
import { commentFromItem, unexpiredCommentRecordFromItem, type CommentIdempotencyRecord } from './comment-item.js';
import { commentCursorPosition, encodeCommentCursor, readCommentPage } from './comment-pages.js';
import { commentConditionFailure, refusalError } from './condition-failure.js';
import type { DynamoDbTicketRepositoryOptions } from './dynamodb-ticket-repository.js';
import { ListCursorCodec } from './list-cursor.js';
import { assertPageSize, type RunQuery } from './list-pages.js';
import { cancellationReasons, throwStoreFailure, transactAfterConflicts, translatingErrors } from './sdk-errors.js';
import { commentKey } from './table-layout.js';
import { readComment, readCommentIdempotencyRecord, readCommentInView, type TicketTable } from './table-reads.js';
import { commentTransaction } from './write-requests.js';

/**
 * The conversation's port (domain/comment-repository.ts) on the tickets'
 * table: comments live in their ticket's partition (table-layout.ts).
 */
export class DynamoDbCommentRepository implements CommentRepository, CommentAnalysisCompletionStore {
  readonly #table: TicketTable;
  readonly #cursorSecret: SecretSource;
  readonly #now: () => Date;
  readonly #runQuery: RunQuery = (input) =>
    translatingErrors(this.#table.client.send(new QueryCommand({ ...input, TableName: this.#table.tableName })));

  constructor({ client, tableName, cursorSecret, now = () => new Date() }: DynamoDbTicketRepositoryOptions) {
    this.#table = { client, tableName };
    this.#cursorSecret = cursorSecret;
    this.#now = now;
  }

  async addComment(write: CommentWrite, idempotency?: IdempotencyClaim): Promise<AddedComment> {
    const { comment, expectedVersion } = write;
    try {
      // Another write of the ticket may be mid-transaction (a concurrent comment, or a double submit with
      // this key): once it commits, this one goes through, or with the same key replays it.
      await transactAfterConflicts(this.#table.client, () =>
        commentTransaction(this.#table.tableName, write, idempotency, this.#epochSeconds()),
      );
      return { comment, replayed: false };
    } catch (error) {
      const failure = commentConditionFailure(error, comment.ticketId, expectedVersion, idempotency !== undefined);
      if (failure?.kind === 'comment_stored') return { comment, replayed: false };
      if (failure?.kind === 'comment_key_used' && idempotency) {
        const known = failure.item && unexpiredCommentRecordFromItem(failure.item, this.#epochSeconds());
        return {
          comment: await this.#replay(comment.author.id, comment.ticketId, idempotency, known),
          replayed: true,
        };
      }
      if (failure?.kind === 'not_found' || failure?.kind === 'version_moved') throw refusalError(failure);
      throwStoreFailure(error);
    }
  }

  async findCommentReplay(authorId: string, ticketId: string, claim: IdempotencyClaim): Promise<Comment | null> {
    const record = await this.#record(authorId, ticketId, claim.key);
    return record ? this.#replay(authorId, ticketId, claim, record) : null;
  }

  async listComments(query: CommentListQuery): Promise<CommentPage> {
    assertPageSize(query.limit);
    const after =
      query.cursor === undefined ? undefined : commentCursorPosition(await this.#cursors(), query.cursor, query);
    const page = await readCommentPage(this.#runQuery, query, after, commentFromItem);
    return {
      items: page.entries,
      nextCursor:
        page.lastServedId === null ? null : encodeCommentCursor(await this.#cursors(), page.lastServedId, query),
    };
  }

  async #cursors(): Promise<ListCursorCodec> {
    return new ListCursorCodec(await this.#cursorSecret());
  }

  findComment(lookup: CommentLookup): Promise<Comment | null> {
    return readCommentInView(this.#table, lookup);
  }

  getComment(ref: CommentRef): Promise<Comment | null> {
    return readComment(this.#table, ref);
  }

  async completeCommentAnalysis({ comment, body, analysis }: CommentAnalysisCompletionWrite): Promise<void> {
    try {
      await this.#table.client.send(
        new UpdateCommand({
          TableName: this.#table.tableName,
          Key: commentKey(comment.ticketId, comment.id, comment.visibility),
          UpdateExpression: 'SET #body = :body, #analysis = :analysis',
          ConditionExpression: 'attribute_exists(pk) AND #analysis.#status = :pending',
          ExpressionAttributeNames: { '#body': 'body', '#analysis': 'analysis', '#status': 'status' },
          ExpressionAttributeValues: { ':body': body, ':analysis': analysis, ':pending': 'pending' },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      const [reason] = cancellationReasons(error) ?? [];
      if (reason === undefined) throwStoreFailure(error);
      if (!reason.Item) throw new NotFoundError(`Comment ${comment.id} of ticket ${comment.ticketId} does not exist.`);
      throw new PreconditionFailedError(`Comment ${comment.id} of ticket ${comment.ticketId} is no longer pending.`);
    }
  }

  /** The comment an earlier add with this key stored; `known` is its record, if already at hand. */
  async #replay(
    authorId: string,
    ticketId: string,
    claim: IdempotencyClaim,
    known: CommentIdempotencyRecord | null,
  ): Promise<Comment> {
    const record = known ?? (await this.#record(authorId, ticketId, claim.key));
    if (!record) throw new UnavailableError('The earlier request with this Idempotency-Key could not be read.', 1);
    if (record.fingerprint !== claim.fingerprint) {
      throw new IdempotencyMismatchError('This Idempotency-Key was already used with a different request.');
    }
    // The record names the comment by id alone, and its visibility says which key it is under: both are read.
    const comment = await readCommentInView(this.#table, { ticketId, id: record.commentId, visibility: 'all' });
    if (!comment) throw new UnavailableError('The comment added with this Idempotency-Key could not be read.', 1);
    return comment;
  }

  #record(authorId: string, ticketId: string, key: string): Promise<CommentIdempotencyRecord | null> {
    return readCommentIdempotencyRecord(this.#table, { authorId, ticketId, key }, this.#epochSeconds());
  }

  #epochSeconds(): number {
    return Math.floor(this.#now().getTime() / 1000);
  }
}
