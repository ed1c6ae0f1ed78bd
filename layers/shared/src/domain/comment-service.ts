import { ulid } from 'ulid';
import {
  clockAfter,
  DEFAULT_SERVICE_LEVEL_TARGETS,
  serviceLevelsAt,
  type ServiceLevelTargets,
} from './service-levels.js';
import type { CommentRepository, CommentWrite } from './comment-repository.js';
import type { Comment, CommentPage } from './comment-schema.js';
import { requestFingerprint, type RequestFingerprint } from './request-fingerprint.js';
import type { SecretSource } from './secret-source.js';
import { InvalidInputError, NotFoundError, PreconditionFailedError, UnavailableError } from './errors.js';
import type { TicketAnalyzer } from './ticket-analyzer.js';
import { listCommentsSchema, type ListCommentsInput, type NewCommentInput } from './ticket-inputs.js';
import type { ServiceLevelsWrite, TicketRepository } from './ticket-repository.js';
import { hasVisibleText, sanitizeText } from './ticket-text.js';
import {
  COMMENT_BODY_MAX_LENGTH,
  type Caller,
  type HistoryEntry,
  type Ticket,
  type TicketWithHistory,
} from './ticket.js';
import { assertCommentAllowed, canSee, statusAfterComment } from './workflow.js';

export interface AddedCommentResult {
  comment: Comment;
  /** The ticket with its history as the caller sees it once the comment is added. */
  ticket: TicketWithHistory;
  /** True when an Idempotency-Key matched an earlier add: nothing new was stored. */
  replayed: boolean;
}

type StatusMove = NonNullable<CommentWrite['move']>;

/**
 * How many times a comment is tried in all while other writers keep moving its
 * ticket (a customer and an agent answering at once). Each loser re-reads the
 * ticket and decides again after a pause: full jitter under a ceiling that
 * doubles from RETRY_BASE_MS up to RETRY_MAX_MS, so racing comments spread out
 * instead of colliding again in step, and a comment that keeps losing gives up
 * (503, Retry-After) within about a second of pauses.
 */
const COMMENT_ATTEMPTS = 10;
const RETRY_BASE_MS = 10;
const RETRY_MAX_MS = 160;

/** The conversation on a ticket: who may say what, what it does to the ticket's status, and who sees it. */
export class CommentService {
  private readonly tickets: Pick<TicketRepository, 'get'>;
  private readonly comments: CommentRepository;
  private readonly analyzer: Pick<TicketAnalyzer, 'analyzeComment'>;
  private readonly now: () => Date;
  private readonly fingerprint: RequestFingerprint;
  private readonly newId: (time: number) => string;
  private readonly pause: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly serviceLevelTargets: ServiceLevelTargets;

  constructor(deps: {
    tickets: Pick<TicketRepository, 'get'>;
    comments: CommentRepository;
    analyzer: Pick<TicketAnalyzer, 'analyzeComment'>;
    /** Keys the fingerprints of idempotent adds (see request-fingerprint.ts); read only for those. */
    fingerprintSecret: SecretSource;
    /** The deployment's targets: a status move or a first response moves the ticket's due times. */
    serviceLevelTargets?: ServiceLevelTargets;
    now?: () => Date;
    /** A comment's id, a ULID of the moment it is stamped with (ids sort as their `createdAt`). */
    newId?: (time: number) => string;
    /** Waits between attempts; a timer unless a test injects one. */
    pause?: (ms: number) => Promise<void>;
    /** In [0, 1): the jitter of the pauses; Math.random unless a test injects one. */
    random?: () => number;
  }) {
    this.fingerprint = requestFingerprint(deps.fingerprintSecret, 'add-comment');
    this.tickets = deps.tickets;
    this.comments = deps.comments;
    this.analyzer = deps.analyzer;
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? ((time) => ulid(time));
    this.pause = deps.pause ?? ((ms) => new Promise((wake) => setTimeout(wake, ms)));
    this.random = deps.random ?? Math.random;
    this.serviceLevelTargets = deps.serviceLevelTargets ?? DEFAULT_SERVICE_LEVEL_TARGETS;
  }

  /**
   * Adds a comment if the caller may see the ticket (else 404) and may say it
   * (an internal note is an agent's; a closed ticket takes none), moving the
   * ticket's status as the conversation goes. A write that loses a race with
   * another change of the ticket re-reads it and decides again.
   */
  async addComment(
    caller: Caller,
    ticketId: string,
    input: NewCommentInput,
    idempotencyKey?: string,
  ): Promise<AddedCommentResult> {
    const body = sanitizeText(input.body);
    if (!hasVisibleText(body)) {
      throw new InvalidInputError('The comment needs a body.', [
        { path: '/body', message: 'has no visible text once control characters are removed' },
      ]);
    }
    // The limit is on the words as kept: control characters a client's editor added do not count against it.
    if (characterCount(body) > COMMENT_BODY_MAX_LENGTH) {
      throw new InvalidInputError('The comment is too long.', [
        {
          path: '/body',
          message: `must NOT have more than ${String(COMMENT_BODY_MAX_LENGTH)} characters once control characters are removed`,
        },
      ]);
    }
    const { visibility } = input;
    const claim =
      idempotencyKey === undefined
        ? undefined
        : { key: idempotencyKey, fingerprint: await this.fingerprint([input.body, input.visibility]) };
    let current = await this.readVisible(caller, ticketId);
    if (claim) {
      // A retry is answered from the first comment before any paid analysis runs, whatever the ticket's state now.
      const replay = await this.comments.findCommentReplay(caller.id, ticketId, claim);
      if (replay) return { comment: replay, ticket: current, replayed: true };
    }
    assertCommentAllowed(caller, current, visibility);

    const outcome = await this.analyzer.analyzeComment(body);
    const isAgentReply = caller.role === 'agent' && visibility === 'public';

    for (let attempt = 1; ; attempt++) {
      // Stamped at each attempt: a retry follows the change it lost to, and its history entry must too;
      // its id is of the same moment, so that comments listed by id read oldest first.
      const at = this.now();
      const comment: Comment = {
        id: this.newId(at.getTime()),
        ticketId,
        author: { id: caller.id, role: caller.role },
        body: outcome.body,
        visibility,
        createdAt: at.toISOString(),
        analysis: outcome.analysis,
      };
      const move = this.moveFor(caller, current, comment);
      const serviceLevels = this.serviceLevelsAfter(current, comment, isAgentReply, move);
      try {
        const added = await this.comments.addComment(
          {
            comment,
            expectedVersion: current.version,
            isAgentReply,
            ...(move && { move }),
            ...(serviceLevels && { serviceLevels }),
          },
          claim,
        );
        if (added.replayed) {
          return { comment: added.comment, ticket: current, replayed: true };
        }
        const ticket = afterComment(current, comment, isAgentReply, move);
        if (serviceLevels) ticket.sla = serviceLevelsAt(serviceLevels.clock, ticket.firstResponseAt, this.now());
        return { comment, ticket, replayed: false };
      } catch (error) {
        if (!(error instanceof PreconditionFailedError)) throw error;
        if (attempt >= COMMENT_ATTEMPTS) {
          // Contention, not a conflict with the ticket's state: retrying shortly will succeed.
          throw new UnavailableError('The ticket is being changed by others right now; retry shortly.', 1);
        }
        const ceiling = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (attempt - 1));
        await this.pause(Math.floor(this.random() * ceiling));
        current = await this.readVisible(caller, ticketId);
        assertCommentAllowed(caller, current, visibility);
      }
    }
  }

  /** A ticket's comments, oldest first; a customer never sees agents' internal notes. */
  async listComments(caller: Caller, ticketId: string, input: ListCommentsInput): Promise<CommentPage> {
    const { limit, cursor } = input;
    assertPageSize(limit);
    await this.readVisible(caller, ticketId);
    return this.comments.listComments({
      ticketId,
      limit,
      cursor,
      // From the caller alone: nothing in the request can show a customer an internal note.
      visibility: caller.role === 'agent' ? 'all' : 'public',
      callerId: caller.id,
    });
  }

  /**
   * One comment of a ticket the caller may see. A missing comment, a comment
   * of another ticket and, to a customer, an internal note are all the same
   * 404: a customer cannot tell that a note exists.
   */
  async getComment(caller: Caller, ticketId: string, commentId: string): Promise<Comment> {
    await this.readVisible(caller, ticketId);
    const comment = await this.comments.findComment({
      ticketId,
      id: commentId,
      // From the caller alone, as for a list: a customer's read never reaches an internal note.
      visibility: caller.role === 'agent' ? 'all' : 'public',
    });
    if (!comment) throw new NotFoundError(`No comment ${commentId} was found on ticket ${ticketId}.`);
    return comment;
  }

  /** The status move the comment makes, as the ticket's next version and its history entry; undefined if none. */
  private moveFor(caller: Caller, ticket: Ticket, comment: Comment): StatusMove | undefined {
    const status = statusAfterComment(caller, ticket, comment.visibility);
    if (status === null) return undefined;
    const entry: HistoryEntry = {
      version: ticket.version + 1,
      at: comment.createdAt,
      commentId: comment.id,
      by: { id: caller.id, role: caller.role },
      changes: [{ field: 'status', from: ticket.status, to: status }],
    };
    return { from: ticket.status, status, entry };
  }

  /**
   * The ticket's due times once the comment is added, when it moves them: a
   * status move stops or restarts the clock, and an agent's first public
   * reply settles the first response. Undefined when it moves neither.
   */
  private serviceLevelsAfter(
    ticket: Ticket,
    comment: Comment,
    isAgentReply: boolean,
    move: StatusMove | undefined,
  ): ServiceLevelsWrite | undefined {
    const firstResponse = isAgentReply && ticket.firstResponseAt === null;
    if (!move && !firstResponse) return undefined;
    const next = {
      ...(move && { status: move.status }),
      ...(firstResponse && { firstResponseAt: comment.createdAt }),
    };
    return {
      clock: clockAfter(ticket, next, comment.createdAt, this.serviceLevelTargets),
      firstResponseAt: firstResponse ? comment.createdAt : ticket.firstResponseAt,
      decidedOn: ticket.firstResponseAt,
    };
  }

  /** The ticket as the caller sees it; 404 when it is missing or another customer's. */
  private async readVisible(caller: Caller, ticketId: string): Promise<TicketWithHistory> {
    const ticket = await this.tickets.get(ticketId, caller.role);
    if (!ticket || !canSee(caller, ticket)) throw new NotFoundError(`No ticket ${ticketId} was found.`);
    return ticket;
  }
}

/** The ticket once `comment` is added, as its author sees it (an author always sees their own comment). */
function afterComment(
  current: TicketWithHistory,
  comment: Comment,
  isAgentReply: boolean,
  move: StatusMove | undefined,
): TicketWithHistory {
  return {
    ...current,
    commentCount: current.commentCount + 1,
    lastCommentAt: comment.createdAt,
    firstResponseAt: current.firstResponseAt ?? (isAgentReply ? comment.createdAt : null),
    ...(move && {
      status: move.status,
      version: move.entry.version,
      updatedAt: move.entry.at,
      history: [...current.history, move.entry],
    }),
  };
}

const { minimum: MIN_PAGE_SIZE, maximum: MAX_PAGE_SIZE } = listCommentsSchema.properties.limit;

/** The schema's bounds again, for what a validator lets through (a coerced `1e400`). */
function assertPageSize(limit: number): void {
  if (!Number.isInteger(limit) || limit < MIN_PAGE_SIZE || limit > MAX_PAGE_SIZE) {
    throw new InvalidInputError('The page size is out of range.', [
      { path: '/limit', message: `must be an integer from ${MIN_PAGE_SIZE} to ${MAX_PAGE_SIZE}` },
    ]);
  }
}

/** Characters as JSON Schema's maxLength counts them: code points, so an emoji (a surrogate pair) is one. */
const characterCount = (text: string) => text.length - (text.match(SURROGATE_PAIR)?.length ?? 0);
const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
