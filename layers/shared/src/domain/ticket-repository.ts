import type { FromSchema } from 'json-schema-to-ts';
import type { ServiceLevelClock } from './service-levels.js';
import type { ticketPageSchema } from './ticket-schema.js';
import type {
  CallerRole,
  HistoryEntry,
  QueueOrder,
  Ticket,
  TicketAnalysis,
  TicketCategory,
  TicketPriority,
  TicketStatus,
  TicketWithHistory,
} from './ticket.js';

/**
 * The store the domain talks to. Only the DynamoDB implementation knows table
 * keys, index names and expressions.
 *
 * A ticket is read as a caller of one role sees it (`seenBy`; a customer by
 * default): a customer's `commentCount` and `lastCommentAt` leave agents'
 * internal notes out.
 */
export interface TicketRepository {
  /**
   * Stores a new ticket. With `idempotency`, the ticket and its idempotency
   * record are written in one transaction: a second create with the same key
   * returns the first ticket (`replayed: true`) and stores nothing; the same
   * key with another fingerprint throws IdempotencyMismatchError.
   */
  create(ticket: Ticket, idempotency?: IdempotencyClaim, seenBy?: CallerRole): Promise<CreateResult>;

  /** The record an earlier create with this key left, if it has not expired. */
  findIdempotentCreate(requesterId: string, key: string): Promise<IdempotencyRecord | null>;

  /**
   * The ticket an earlier create with this key produced, or null if the key is
   * new (lets a retry be answered before any paid analysis). Throws
   * IdempotencyMismatchError when the key came with another fingerprint.
   */
  findReplay(requesterId: string, claim: IdempotencyClaim, seenBy?: CallerRole): Promise<Ticket | null>;

  /** The ticket with its history, oldest change first, or null. Strongly consistent. */
  get(id: string, seenBy?: CallerRole): Promise<TicketWithHistory | null>;

  /**
   * Writes `next` and its history entry atomically, only if the stored ticket
   * is still at `expectedVersion`; otherwise throws PreconditionFailedError.
   * Its conversation (comment counts and times) is not written: only comments change it.
   * Throws NotFoundError if the ticket is gone.
   */
  update(next: Ticket, expectedVersion: number, entry: HistoryEntry): Promise<void>;

  /** One page of tickets. Never a Scan: every shape of query maps to a key or index. */
  list(query: ListQuery): Promise<TicketPage>;
}

/** What completing pending analyses needs of the store: read a ticket, write its completed analysis. */
export interface AnalysisCompletionStore {
  /**
   * The ticket with its whole history, however long: whether an agent chose
   * its priority or category may lie further back than a response holds.
   */
  getWithWholeHistory(id: string): Promise<TicketWithHistory | null>;

  /**
   * Stores a completed analysis and its history entry atomically, only if the
   * ticket is still at `expectedVersion` with its analysis pending; otherwise
   * throws PreconditionFailedError (NotFoundError if the ticket is gone).
   * Status, assignee and tags are not written at all.
   */
  completeAnalysis(completion: AnalysisCompletionWrite): Promise<void>;
}

/** What completing a ticket's analysis changes: the re-redacted texts, triage and the analysis record. */
export interface AnalysisCompletionWrite {
  id: string;
  /** As stored: the triage index orders by priority, then creation time. */
  createdAt: string;
  expectedVersion: number;
  subject: string;
  description: string;
  priority: TicketPriority;
  category: TicketCategory;
  analysis: TicketAnalysis;
  updatedAt: string;
  /** At `expectedVersion + 1`, the version the ticket moves to. */
  entry: HistoryEntry;
  /** The due times once the priority is decided, when they move. */
  serviceLevels?: ServiceLevelsWrite;
}

/**
 * A ticket's service-level clock as a write leaves it, and the first response
 * it leaves: the queue by due time follows both. A write decided while no
 * first response had been given (`decidedOn` null) is refused if one was
 * given meanwhile (PreconditionFailedError), so that it is decided again: a
 * first reply need not move the version.
 */
export interface ServiceLevelsWrite {
  clock: ServiceLevelClock;
  firstResponseAt: string | null;
  /** The first response the write was decided on, as read. */
  decidedOn: string | null;
}

export interface IdempotencyClaim {
  key: string;
  /** A digest of the request the key was first used with. */
  fingerprint: string;
}

export interface IdempotencyRecord {
  ticketId: string;
  fingerprint: string;
}

export interface CreateResult {
  ticket: Ticket;
  replayed: boolean;
}

export interface ListQuery {
  /** A customer's own tickets (newest first), or every ticket for an agent. */
  scope: { kind: 'requester'; requesterId: string } | { kind: 'all' };
  status?: TicketStatus;
  priority?: TicketPriority;
  /** With `status`, for agents: the triage order (the default) or the next due time first. */
  sort?: QueueOrder;
  limit: number;
  cursor?: string;
  /** Who asks: a cursor is only valid for the caller and the query it came from. */
  callerId: string;
  /** Whose view of each ticket's conversation the page shows; a customer's by default. */
  seenBy?: CallerRole;
}

/** One page of tickets, oldest or newest first as the query asks. */
export type TicketPage = FromSchema<typeof ticketPageSchema>;
