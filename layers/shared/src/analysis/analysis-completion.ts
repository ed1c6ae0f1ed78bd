import { clockAfter, DEFAULT_SERVICE_LEVEL_TARGETS, type ServiceLevelTargets } from '../domain/service-levels.js';
import type { AnalysisSubject, CommentAnalysisCompletionStore, CommentRef } from '../domain/comment-repository.js';
import type { Comment } from '../domain/comment-schema.js';
import { NotFoundError, PreconditionFailedError } from '../domain/errors.js';
import type { FieldChange, HistoryEntry, Redaction, TicketWithHistory } from '../domain/ticket.js';
import { errorNameOf } from '../error-name.js';
import { logger } from '../logger.js';
import type { AnalysisCompletionStore } from '../domain/ticket-repository.js';
import { analysisOutcome, commentOutcome, type ComprehendFindings } from './analysis-outcome.js';
import type { TicketFields } from '../domain/ticket-analyzer.js';
import { analysisView, type AnalysisView } from './analysis-view.js';
import type { FindingsRequest } from './comprehend-batch.js';

/*
 * Every ticket and every comment is analyzed: one stored with
 * `analysis.status: "pending"` (Comprehend failed or was slow when it was
 * written) is completed here, from the table's stream. The outcome comes from
 * the same pure functions create uses (analysisOutcome, commentOutcome), so
 * the stored text is re-redacted with whatever Comprehend finds, and triage
 * follows the same rules. The tickets and comments of one batch go to
 * Comprehend together.
 */

/** The system's own name in a ticket's history. */
const ANALYSIS_ACTOR = { id: 'analysis', role: 'system' } as const;

/** Writes that lose to a concurrent change are re-read and re-applied this many times in all. */
const WRITE_ATTEMPTS = 3;

export type CompletionResult =
  /** Analyzed and stored (`complete`, or `failed` when Comprehend refused the text). */
  | 'completed'
  /** Nothing to do: the ticket or comment is gone or no longer pending. */
  | 'skipped'
  /** Still owed: Comprehend or the table failed; ask again later. */
  | 'retry';

export interface ComprehendFindingsSource {
  /** One entry per text, in order; a document still failing has status `pending`. */
  findings(requests: readonly FindingsRequest[]): Promise<ComprehendFindings[]>;
}

export interface AnalysisCompletionOptions {
  repository: AnalysisCompletionStore;
  comments: CommentAnalysisCompletionStore;
  comprehend: ComprehendFindingsSource;
  /** The deployment's targets: a priority analysis decides moves the ticket's due times. */
  serviceLevelTargets?: ServiceLevelTargets;
  now?: () => Date;
}

/** A ticket or comment read as still pending, with the text Comprehend is to read. */
type Pending =
  | { kind: 'ticket'; key: string; ticket: TicketWithHistory; view: AnalysisView }
  | { kind: 'comment'; key: string; comment: Comment; view: AnalysisView };

/** A result's key: the ticket's or the comment's id (ULIDs: a ticket and a comment never share one). */
const keyOf = (subject: AnalysisSubject) => (subject.kind === 'ticket' ? subject.ticketId : subject.comment.id);

export class AnalysisCompletion {
  readonly #repository: AnalysisCompletionStore;
  readonly #comments: CommentAnalysisCompletionStore;
  readonly #comprehend: ComprehendFindingsSource;
  readonly #now: () => Date;
  readonly #serviceLevelTargets: ServiceLevelTargets;

  constructor({
    repository,
    comments,
    comprehend,
    serviceLevelTargets = DEFAULT_SERVICE_LEVEL_TARGETS,
    now = () => new Date(),
  }: AnalysisCompletionOptions) {
    this.#repository = repository;
    this.#comments = comments;
    this.#comprehend = comprehend;
    this.#serviceLevelTargets = serviceLevelTargets;
    this.#now = now;
  }

  /** Completes each pending analysis; answers the tickets and comments still owed one, to be asked for again. */
  async completeAndListRetries(subjects: readonly AnalysisSubject[]): Promise<AnalysisSubject[]> {
    const results = await this.complete(subjects);
    return subjects.filter((subject) => results.get(keyOf(subject)) === 'retry');
  }

  /** Completes each pending analysis, by ticket or comment id; never throws for one subject's failure. */
  async complete(subjects: readonly AnalysisSubject[]): Promise<Map<string, CompletionResult>> {
    const results = new Map<string, CompletionResult>();
    const pending: Pending[] = [];
    await Promise.all(
      subjects.map(async (subject) => {
        const key = keyOf(subject);
        const current = await this.#readPending(subject);
        if (current === 'unreadable') results.set(key, 'retry');
        else if (current === null) results.set(key, 'skipped');
        else pending.push(current);
      }),
    );

    if (pending.length > 0) {
      // The stream's image may be stale: Comprehend reads the text as it is stored now.
      const findings = await this.#comprehend
        .findings(pending.map(({ kind, view }) => ({ text: view.analyzedText, keyPhrases: kind === 'ticket' })))
        .catch((error: unknown) => {
          logger.error('Comprehend findings could not be gathered', { errorName: errorNameOf(error) });
          return pending.map((): null => null);
        });
      await Promise.all(
        pending.map(async (item, index) => {
          const found = findings[index];
          const result =
            item.kind === 'ticket' ? await this.#store(item.ticket, found) : await this.#storeComment(item, found);
          results.set(item.key, result);
        }),
      );
    }

    const counts = { completed: 0, skipped: 0, retry: 0 };
    for (const result of results.values()) counts[result] += 1;
    logger.info('Pending analyses processed', counts);
    return results;
  }

  /** The ticket or comment as stored now if its analysis is still pending; null if it is gone or done. */
  async #readPending(subject: AnalysisSubject): Promise<Pending | null | 'unreadable'> {
    if (subject.kind === 'ticket') {
      const ticket = await this.#read(subject.ticketId);
      if (ticket === 'unreadable' || ticket?.analysis.status !== 'pending')
        return ticket === 'unreadable' ? ticket : null;
      return { kind: 'ticket', key: ticket.id, ticket, view: analysisView(fieldsOf(ticket)) };
    }
    const comment = await this.#readComment(subject.comment);
    if (comment === 'unreadable' || comment?.analysis.status !== 'pending')
      return comment === 'unreadable' ? comment : null;
    return { kind: 'comment', key: comment.id, comment, view: analysisView(commentFieldsOf(comment)) };
  }

  /**
   * A comment's write: its body re-redacted and its analysis, only while it is
   * still pending. Only a completion changes a comment, and it ends pending:
   * a lost condition means the work is already done.
   */
  async #storeComment(
    { comment, view }: Extract<Pending, { kind: 'comment' }>,
    findings: ComprehendFindings | null | undefined,
  ): Promise<CompletionResult> {
    if (!findings || findings.status === 'pending') return 'retry';
    const outcome = commentOutcome(commentFieldsOf(comment), view, findings);
    try {
      await this.#comments.completeCommentAnalysis({
        comment: { ticketId: comment.ticketId, id: comment.id, visibility: comment.visibility },
        body: outcome.body,
        analysis: {
          ...outcome.analysis,
          redactions: sumOfRedactions(comment.analysis.redactions, outcome.analysis.redactions),
        },
      });
      return 'completed';
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof PreconditionFailedError) return 'skipped';
      logger.warn('A completed comment analysis could not be stored', {
        ticketId: comment.ticketId,
        commentId: comment.id,
        errorName: errorNameOf(error),
      });
      return 'retry';
    }
  }

  async #store(read: TicketWithHistory, findings: ComprehendFindings | null | undefined): Promise<CompletionResult> {
    if (!findings || findings.status === 'pending') return 'retry';
    let current = read;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#repository.completeAnalysis(this.#completionOf(current, findings));
        return 'completed';
      } catch (error) {
        if (error instanceof NotFoundError) return 'skipped';
        if (!(error instanceof PreconditionFailedError) || attempt >= WRITE_ATTEMPTS) {
          logger.warn('A completed analysis could not be stored', { ticketId: read.id, errorName: errorNameOf(error) });
          return 'retry';
        }
      }
      // Someone changed the ticket in between: decide again on what is stored now.
      const reread = await this.#read(read.id);
      if (reread === 'unreadable') return 'retry';
      // Only a completion changes the text, and it clears pending: Comprehend's offsets still fit what is stored.
      if (reread?.analysis.status !== 'pending') return 'skipped';
      current = reread;
    }
  }

  /**
   * The write for one ticket. Priority and category an agent has set are
   * theirs: analysis only fills them in while nobody has chosen. Status,
   * assignee and tags are not part of it at all.
   */
  #completionOf(ticket: TicketWithHistory, findings: ComprehendFindings) {
    const fields = fieldsOf(ticket);
    const outcome = analysisOutcome(fields, analysisView(fields), findings);
    // A closed ticket is final: its priority and category stay as they were closed.
    const chosen = (field: FieldChange['field']) =>
      ticket.status === 'closed' ||
      ticket.history.some(
        (entry) => entry.by.role !== 'system' && entry.changes.some((change) => change.field === field),
      );
    const priority = chosen('priority') ? ticket.priority : outcome.priority;
    const category = chosen('category') ? ticket.category : outcome.category;

    const at = this.#now().toISOString();
    const changes: FieldChange[] = [{ field: 'analysis', from: ticket.analysis.status, to: outcome.analysis.status }];
    if (priority !== ticket.priority) changes.push({ field: 'priority', from: ticket.priority, to: priority });
    if (category !== ticket.category) changes.push({ field: 'category', from: ticket.category, to: category });
    const entry: HistoryEntry = { version: ticket.version + 1, at, by: { ...ANALYSIS_ACTOR }, changes };
    return {
      id: ticket.id,
      createdAt: ticket.createdAt,
      expectedVersion: ticket.version,
      subject: outcome.subject,
      description: outcome.description,
      priority,
      category,
      analysis: {
        ...outcome.analysis,
        redactions: sumOfRedactions(ticket.analysis.redactions, outcome.analysis.redactions),
      },
      updatedAt: at,
      entry,
      ...(priority !== ticket.priority && {
        serviceLevels: {
          clock: clockAfter(ticket, { priority }, at, this.#serviceLevelTargets),
          firstResponseAt: ticket.firstResponseAt,
          decidedOn: ticket.firstResponseAt,
        },
      }),
    };
  }

  async #readComment(ref: CommentRef): Promise<Comment | null | 'unreadable'> {
    try {
      return await this.#comments.getComment(ref);
    } catch (error) {
      logger.warn('A comment with a pending analysis could not be read', {
        ticketId: ref.ticketId,
        commentId: ref.id,
        errorName: errorNameOf(error),
      });
      return 'unreadable';
    }
  }

  async #read(id: string): Promise<TicketWithHistory | null | 'unreadable'> {
    try {
      return await this.#repository.getWithWholeHistory(id);
    } catch (error) {
      logger.warn('A ticket with a pending analysis could not be read', {
        ticketId: id,
        errorName: errorNameOf(error),
      });
      return 'unreadable';
    }
  }
}

/**
 * The stored text holds only markers where it was redacted when written, so the outcome
 * counts only what this completion redacted: the counts already stored are
 * carried forward and the new ones added to them.
 */
function sumOfRedactions(stored: readonly Redaction[], added: readonly Redaction[]): Redaction[] {
  const counts = new Map<string, number>();
  for (const { type, count } of [...stored, ...added]) counts.set(type, (counts.get(type) ?? 0) + count);
  return [...counts]
    .map(([type, count]) => ({ type, count }))
    .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}

function fieldsOf(ticket: TicketWithHistory): TicketFields {
  return { subject: ticket.subject, description: ticket.description, tags: ticket.tags };
}

/** A comment's body is read as a description without a subject, as when it was added (comprehend-analyzer.ts). */
function commentFieldsOf(comment: Comment): TicketFields {
  return { subject: '', description: comment.body };
}
