import { ulid } from 'ulid';
import { requestFingerprint, type RequestFingerprint } from './request-fingerprint.js';
import type { SecretSource } from './secret-source.js';
import {
  clockAfter,
  DEFAULT_SERVICE_LEVEL_TARGETS,
  serviceLevelsAt,
  startClock,
  type ServiceLevelTargets,
} from './service-levels.js';
import { InvalidInputError, NotFoundError, PreconditionFailedError, UnavailableError } from './errors.js';
import type { TicketAnalyzer } from './ticket-analyzer.js';
import { listTicketsSchema, type ListTicketsInput, type NewTicketInput, type TicketChanges } from './ticket-inputs.js';
import type { TicketPage, TicketRepository } from './ticket-repository.js';
import { hasVisibleText, sanitizeText } from './ticket-text.js';
import type { Caller, FieldChange, HistoryEntry, Ticket, TicketWithHistory } from './ticket.js';
import { assertChangeAllowed, canSee, fieldsToWrite } from './workflow.js';

export interface CreatedTicket {
  ticket: Ticket;
  /** True when an Idempotency-Key matched an earlier create: nothing new was stored. */
  replayed: boolean;
}

/**
 * How many times an update without If-Match re-reads and re-applies itself
 * when another writer got in between; with If-Match the caller decides instead.
 */
const UPDATE_ATTEMPTS = 3;

/** The ticket operations behind the four routes: authorization, workflow and persistence rules. */
export class TicketService {
  private readonly repository: TicketRepository;
  private readonly analyzer: TicketAnalyzer;
  private readonly now: () => Date;
  private readonly fingerprint: RequestFingerprint;
  private readonly newId: () => string;
  private readonly serviceLevelTargets: ServiceLevelTargets;

  constructor(deps: {
    repository: TicketRepository;
    analyzer: TicketAnalyzer;
    /** Keys the fingerprints of idempotent creates (see request-fingerprint.ts); read only for those. */
    fingerprintSecret: SecretSource;
    serviceLevelTargets?: ServiceLevelTargets;
    now?: () => Date;
    newId?: () => string;
  }) {
    this.repository = deps.repository;
    this.serviceLevelTargets = deps.serviceLevelTargets ?? DEFAULT_SERVICE_LEVEL_TARGETS;
    this.analyzer = deps.analyzer;
    this.fingerprint = requestFingerprint(deps.fingerprintSecret, 'create-ticket');
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? (() => ulid());
  }

  async create(caller: Caller, input: NewTicketInput, idempotencyKey?: string): Promise<CreatedTicket> {
    const fields = {
      subject: sanitizeText(input.subject),
      description: sanitizeText(input.description),
      tags: normalizeTags(input.tags ?? []),
    };
    assertNotBlank(fields);
    const claim =
      idempotencyKey === undefined
        ? undefined
        : { key: idempotencyKey, fingerprint: await this.fingerprint(canonicalCreate(input)) };
    if (claim) {
      // A retry is answered from the first ticket before any paid analysis runs.
      const replay = await this.repository.findReplay(caller.id, claim, caller.role);
      if (replay) return { ticket: replay, replayed: true };
    }
    const outcome = await this.analyzer.analyze(fields);
    const now = this.now();
    const at = now.toISOString();
    const ticket: Ticket = {
      id: this.newId(),
      subject: outcome.subject,
      description: outcome.description,
      status: 'open',
      priority: outcome.priority,
      category: outcome.category,
      tags: outcome.tags,
      requester: { id: caller.id, email: caller.email },
      assigneeId: null,
      channel: input.channel ?? 'api',
      analysis: outcome.analysis,
      createdAt: at,
      updatedAt: at,
      version: 1,
      commentCount: 0,
      lastCommentAt: null,
      firstResponseAt: null,
      sla: serviceLevelsAt(startClock(at, outcome.priority, 'open', this.serviceLevelTargets), null, now),
    };
    return this.repository.create(ticket, claim, caller.role);
  }

  async get(caller: Caller, id: string): Promise<TicketWithHistory> {
    const ticket = await this.repository.get(id, caller.role);
    if (!ticket || !canSee(caller, ticket)) {
      throw new NotFoundError(`No ticket ${id} was found.`);
    }
    return ticket;
  }

  /**
   * Applies `changes` if the workflow and the caller's role allow them. With
   * `ifMatch`, the write happens only at one of those versions (else 412);
   * without it, a concurrent change is re-read and the update re-checked.
   */
  async update(
    caller: Caller,
    id: string,
    requested: TicketChanges,
    ifMatch?: number[] | '*',
  ): Promise<TicketWithHistory> {
    await this.assertNoSecretIn(requested.assigneeId);
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(caller, id);
      // Tags an agent sets go through the same redaction floor as a new ticket's, read with the ticket's text.
      const changes = {
        ...requested,
        ...(requested.tags && { tags: await this.analyzer.redactTags(current, normalizeTags(requested.tags)) }),
      };
      const pinned = Array.isArray(ifMatch);
      if (pinned && !ifMatch.includes(current.version)) {
        throw new PreconditionFailedError(
          `The ticket has changed: it is at version ${current.version}. Fetch it again and retry.`,
        );
      }
      assertChangeAllowed(caller, current, changes);
      const fields = fieldsToWrite(caller, current, changes);
      if (fields.length === 0) return current;

      const { history, ...ticket } = current;
      const now = this.now();
      const at = now.toISOString();
      const changed = pick(changes, fields);
      const clock = clockAfter(ticket, changed, at, this.serviceLevelTargets);
      const next: Ticket = {
        ...ticket,
        ...changed,
        version: ticket.version + 1,
        updatedAt: at,
        sla: serviceLevelsAt(clock, ticket.firstResponseAt, now),
      };
      const entry: HistoryEntry = {
        version: next.version,
        at,
        by: { id: caller.id, role: caller.role },
        changes: fields.map((field): FieldChange => ({ field, from: ticket[field], to: next[field] })),
      };
      try {
        await this.repository.update(next, ticket.version, entry);
        return { ...next, history: [...history, entry] };
      } catch (error) {
        // With If-Match, the next read decides: the version moved (412), or only the conversation did (retry).
        if (!(error instanceof PreconditionFailedError)) throw error;
        if (attempt >= UPDATE_ATTEMPTS) {
          // Contention, not a conflict with the ticket's state: retrying shortly will succeed.
          throw new UnavailableError('The ticket is being changed by others right now; retry shortly.', 1);
        }
      }
    }
  }

  async list(caller: Caller, input: ListTicketsInput): Promise<TicketPage> {
    const { status, priority, sort, limit, cursor } = input;
    assertPageSize(limit);
    if (sort !== undefined) assertQueueOrder(caller, input);
    return this.repository.list({
      status,
      priority,
      ...(sort === 'due' && { sort }),
      limit,
      cursor,
      // Last, and from the caller alone: nothing in the request can widen a customer's scope.
      scope: caller.role === 'agent' ? { kind: 'all' } : { kind: 'requester', requesterId: caller.id },
      callerId: caller.id,
      seenBy: caller.role,
    });
  }

  /** An assignee is named by a user id: one holding a secret is refused, so the secret is never stored or published. */
  private async assertNoSecretIn(assigneeId: string | null | undefined): Promise<void> {
    if (typeof assigneeId !== 'string') return;
    const kinds = await this.analyzer.secretKindsIn(assigneeId);
    if (kinds.length > 0) {
      throw new InvalidInputError('The assignee must be named by a user id.', [
        {
          path: '/assigneeId',
          message: `must be a user id; it holds what reads as ${kinds.join(', ')}, which is never stored`,
        },
      ]);
    }
  }
}

const { minimum: MIN_PAGE_SIZE, maximum: MAX_PAGE_SIZE } = listTicketsSchema.properties.limit;

/**
 * The schema's bounds again, for what a validator lets through: coercing a
 * query string turns `Infinity` or `1e400` into a number that no minimum or
 * maximum check refuses.
 */
function assertPageSize(limit: number): void {
  if (!Number.isInteger(limit) || limit < MIN_PAGE_SIZE || limit > MAX_PAGE_SIZE) {
    throw new InvalidInputError('The page size is out of range.', [
      { path: '/limit', message: `must be an integer from ${MIN_PAGE_SIZE} to ${MAX_PAGE_SIZE}` },
    ]);
  }
}

/**
 * A queue order sorts an agent's status queue: without a status, or for a
 * customer's own tickets (newest first), no index holds that order. The due
 * order takes no priority: the byDue index cannot narrow to one.
 */
function assertQueueOrder(caller: Caller, { status, priority, sort }: ListTicketsInput): void {
  const problem =
    caller.role !== 'agent'
      ? "orders an agent's status queue; a customer's tickets are listed newest first"
      : status === undefined
        ? 'orders a status queue: it needs a status'
        : sort === 'due' && priority !== undefined
          ? 'due cannot be combined with a priority'
          : undefined;
  if (problem) throw new InvalidInputError('This list cannot be sorted so.', [{ path: '/sort', message: problem }]);
}

function assertNotBlank(text: { subject: string; description: string }): void {
  const errors = (['subject', 'description'] as const)
    .filter((field) => !hasVisibleText(text[field]))
    .map((field) => ({ path: `/${field}`, message: 'has no visible text once control characters are removed' }));
  if (errors.length > 0) throw new InvalidInputError('The ticket needs a subject and a description.', errors);
}

/** Tags are case-insensitive labels: stored lower-case, once each, in the order given. */
function normalizeTags(tags: string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim().toLowerCase()))];
}

/** What a create asked for, independent of key order and of absent optional fields. */
function canonicalCreate(input: NewTicketInput): unknown[] {
  return [input.subject, input.description, input.tags ?? [], input.channel ?? 'api'];
}

function pick(changes: TicketChanges, fields: (keyof TicketChanges)[]): TicketChanges {
  return Object.fromEntries(fields.map((field) => [field, changes[field]]));
}
