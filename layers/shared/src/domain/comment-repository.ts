import type { Comment, CommentAnalysis, CommentPage } from './comment-schema.js';
import type { HistoryEntry, TicketStatus } from './ticket.js';
import type { IdempotencyClaim, ServiceLevelsWrite } from './ticket-repository.js';

/**
 * What the conversation needs of the store. A comment and what it changes of
 * its ticket are written in one transaction.
 */
export interface CommentRepository {
  /**
   * Stores the comment, adds it to its ticket's counts and times and, with
   * `move`, moves the ticket's status with its history entry; all only if
   * the ticket is still at `expectedVersion` (else PreconditionFailedError;
   * NotFoundError if it is gone). With `idempotency`, the record of the key
   * goes in the same transaction: a key already used for this ticket by this
   * author returns the earlier comment (`replayed: true`) and stores nothing,
   * or throws IdempotencyMismatchError when it came with another fingerprint.
   */
  addComment(write: CommentWrite, idempotency?: IdempotencyClaim): Promise<AddedComment>;

  /**
   * The comment an earlier add with this key (by this author, on this ticket)
   * stored, or null if the key is new; IdempotencyMismatchError when it came
   * with another fingerprint.
   */
  findCommentReplay(authorId: string, ticketId: string, claim: IdempotencyClaim): Promise<Comment | null>;

  /** One page of a ticket's comments, oldest first. */
  listComments(query: CommentListQuery): Promise<CommentPage>;

  /** One comment of a ticket, if it is in the view asked for (a public comment is in both); else null. */
  findComment(lookup: CommentLookup): Promise<Comment | null>;
}

export interface CommentWrite {
  comment: Comment;
  /** The ticket's version the comment was decided on. */
  expectedVersion: number;
  /** Whether the comment is an agent's public reply: the first one sets the ticket's `firstResponseAt`. */
  isAgentReply: boolean;
  /** The status move the comment makes, if any: the ticket goes from `from` to `status` and to `entry.version`, updated at `entry.at`. */
  move?: { from: TicketStatus; status: TicketStatus; entry: HistoryEntry };
  /** The ticket's due times once the comment is added, when it moves them (a status move, a first response). */
  serviceLevels?: ServiceLevelsWrite;
}

export interface AddedComment {
  comment: Comment;
  replayed: boolean;
}

export interface CommentListQuery {
  ticketId: string;
  /** Which comments the caller may see: all of them (agents), or the public ones alone. */
  visibility: 'all' | 'public';
  limit: number;
  cursor?: string;
  /** Who asks: a cursor is only valid for the caller, the ticket and the query it came from. */
  callerId: string;
}

export interface CommentLookup {
  ticketId: string;
  /** The comment's id. */
  id: string;
  /** Which comments the caller may see: all of them (agents), or the public ones alone. */
  visibility: CommentListQuery['visibility'];
}

/** A comment by its place: its ticket, its id, and its visibility (which says where it is kept). */
export type CommentRef = Pick<Comment, 'ticketId' | 'id' | 'visibility'>;

/** What completing comments' pending analyses needs of the store: read a comment, write its completed analysis. */
export interface CommentAnalysisCompletionStore {
  /** The comment, or null if there is none. */
  getComment(ref: CommentRef): Promise<Comment | null>;

  /**
   * Stores a comment's completed analysis and its body as re-redacted, only
   * if its analysis is still pending (only a completion changes a body, and
   * it ends pending): otherwise PreconditionFailedError, or NotFoundError if
   * the comment is gone. Nothing else of the comment or its ticket is written.
   */
  completeCommentAnalysis(completion: CommentAnalysisCompletionWrite): Promise<void>;
}

export interface CommentAnalysisCompletionWrite {
  comment: CommentRef;
  body: string;
  analysis: CommentAnalysis;
}

/** What may owe an analysis, as a record of the table's stream names it: a ticket, or one comment of a ticket. */
export type AnalysisSubject = { kind: 'ticket'; ticketId: string } | { kind: 'comment'; comment: CommentRef };
