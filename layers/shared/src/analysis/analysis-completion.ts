import { NotFoundError, PreconditionFailedError } from '../domain/errors.js';
import type { FieldChange, HistoryEntry, Redaction, TicketWithHistory } from '../domain/ticket.js';
import { errorNameOf } from '../error-name.js';
import { logger } from '../logger.js';
import type { AnalysisCompletionStore } from '../domain/ticket-repository.js';
import { analysisOutcome, type ComprehendFindings } from './analysis-outcome.js';
import type { TicketFields } from '../domain/ticket-analyzer.js';
import { analysisView } from './analysis-view.js';

/*
 * Every ticket is analyzed: one stored with `analysis.status: "pending"`
 * (Comprehend failed or was slow at create time) is completed here, from the
 * table's stream. The outcome comes from the same pure function create uses
 * (analysisOutcome), so the stored text is re-redacted with whatever
 * Comprehend finds, and triage follows the same rules.
 */

/** The system's own name in a ticket's history. */
const ANALYSIS_ACTOR = { id: 'analysis', role: 'system' } as const;

/** Writes that lose to a concurrent change are re-read and re-applied this many times in all. */
const WRITE_ATTEMPTS = 3;

export type CompletionResult =
  /** Analyzed and stored (`complete`, or `failed` when Comprehend refused the text). */
  | 'completed'
  /** Nothing to do: the ticket is gone or no longer pending. */
  | 'skipped'
  /** Still owed: Comprehend or the table failed; ask again later. */
  | 'retry';

export interface ComprehendFindingsSource {
  /** One entry per text, in order; a document still failing has status `pending`. */
  findings(texts: readonly string[]): Promise<ComprehendFindings[]>;
}

export interface AnalysisCompletionOptions {
  repository: AnalysisCompletionStore;
  comprehend: ComprehendFindingsSource;
  now?: () => Date;
}

export class AnalysisCompletion {
  readonly #repository: AnalysisCompletionStore;
  readonly #comprehend: ComprehendFindingsSource;
  readonly #now: () => Date;

  constructor({ repository, comprehend, now = () => new Date() }: AnalysisCompletionOptions) {
    this.#repository = repository;
    this.#comprehend = comprehend;
    this.#now = now;
  }

  /** Completes each ticket's pending analysis; answers the ids of those still owed one, to be asked for again. */
  async completeAndListRetries(ticketIds: readonly string[]): Promise<string[]> {
    const results = await this.complete(ticketIds);
    return [...results].flatMap(([id, result]) => (result === 'retry' ? [id] : []));
  }

  /** Completes each ticket's pending analysis; never throws for one ticket's failure. */
  async complete(ticketIds: readonly string[]): Promise<Map<string, CompletionResult>> {
    const results = new Map<string, CompletionResult>();
    const pending: TicketWithHistory[] = [];
    await Promise.all(
      ticketIds.map(async (id) => {
        const current = await this.#read(id);
        if (current === 'unreadable') results.set(id, 'retry');
        else if (current?.analysis.status !== 'pending') results.set(id, 'skipped');
        else pending.push(current);
      }),
    );

    if (pending.length > 0) {
      // The stream's image may be stale: Comprehend reads the text as it is stored now.
      const views = pending.map((ticket) => analysisView(fieldsOf(ticket)));
      const findings = await this.#comprehend
        .findings(views.map((view) => view.analyzedText))
        .catch((error: unknown) => {
          logger.error('Comprehend findings could not be gathered', { errorName: errorNameOf(error) });
          return pending.map((): null => null);
        });
      await Promise.all(
        pending.map(async (ticket, index) => {
          results.set(ticket.id, await this.#store(ticket, findings[index]));
        }),
      );
    }

    const counts = { completed: 0, skipped: 0, retry: 0 };
    for (const result of results.values()) counts[result] += 1;
    logger.info('Pending analyses processed', counts);
    return results;
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
    };
  }

  async #read(id: string): Promise<TicketWithHistory | null | 'unreadable'> {
    try {
      return await this.#repository.get(id);
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
 * The stored text holds only markers where create redacted, so the outcome
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
