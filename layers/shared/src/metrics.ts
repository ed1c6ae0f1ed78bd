import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * The business metrics, written as CloudWatch embedded metric format (EMF)
 * lines on stdout: CloudWatch turns them into metrics in the namespace
 * POWERTOOLS_METRICS_NAMESPACE names (the stack's, template.yaml Globals),
 * each with the `service` dimension (POWERTOOLS_SERVICE_NAME).
 *
 * Dimensions are closed vocabularies only (priorities, categories, language
 * codes, kinds of personal data, status codes): never a ticket's text or an
 * id, which would make a metric per ticket and copy personal data into
 * CloudWatch. A value outside its vocabulary is counted as `other`.
 */

export const METRICS_NAMESPACE_FALLBACK = 'aws-support-system';

/** Every metric the layer emits, by name. */
export const METRIC_NAMES = {
  ticketsCreated: 'TicketsCreated',
  analysisPending: 'AnalysisPending',
  analysisFailed: 'AnalysisFailed',
  analysisCompleted: 'AnalysisCompleted',
  redactions: 'Redactions',
  idempotentReplays: 'IdempotentReplays',
  updateConflicts: 'UpdateConflicts',
  rejections: 'Rejections',
  streamRecordsRetried: 'StreamRecordsRetried',
} as const;

/** What was analyzed: a ticket's text or a comment's body. */
export type AnalysisSubjectKind = 'ticket' | 'comment';

/** The facts of one stored analysis that metrics count; structurally the domain's analysis. */
export interface AnalysisFacts {
  status: string;
  language: string | null;
  redactions: readonly { type: string; count: number }[];
}

/** A ticket as created: its triage and its analysis. */
export interface CreatedTicketFacts {
  priority: string;
  category: string;
  analysis: AnalysisFacts;
}

const OTHER = 'other';
/** An RFC 5646 language code as Comprehend reports one (en, pt, zh-TW); `und` while undetermined. */
const LANGUAGE_CODE = /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/;
/** A priority or category word of the API's vocabulary. */
const VOCABULARY_WORD = /^[a-z][a-z_]{0,31}$/;
/** A kind of personal data or secret, as stored redactions name it (EMAIL, CREDIT_DEBIT_NUMBER). */
const REDACTION_KIND = /^[A-Z][A-Z0-9_]{0,63}$/;

const bounded = (value: string | null, pattern: RegExp, none: string): string =>
  value === null ? none : pattern.test(value) ? value : OTHER;

/** Records the business metrics; each call writes its own EMF line, so dimensions never mix between facts. */
export class BusinessMetrics {
  readonly #metrics: Metrics;
  #single: Metrics | undefined;

  constructor(metrics: Metrics) {
    this.#metrics = metrics;
  }

  /** A new ticket: one count per priority, per category and per language, then its analysis. */
  ticketCreated(ticket: CreatedTicketFacts): void {
    this.#count(METRIC_NAMES.ticketsCreated, [
      { Priority: bounded(ticket.priority, VOCABULARY_WORD, OTHER) },
      { Category: bounded(ticket.category, VOCABULARY_WORD, OTHER) },
      { Language: bounded(ticket.analysis.language, LANGUAGE_CODE, 'und') },
    ]);
    this.analysisStored('ticket', ticket.analysis);
  }

  /** An analysis stored with new text: pending (owed, completed later from the stream) or failed, and what it redacted. */
  analysisStored(subject: AnalysisSubjectKind, analysis: AnalysisFacts): void {
    if (analysis.status === 'pending') this.#count(METRIC_NAMES.analysisPending, [{ Subject: subject }]);
    if (analysis.status === 'failed') this.#count(METRIC_NAMES.analysisFailed, [{ Subject: subject }]);
    this.redactions(analysis.redactions);
  }

  /** A pending analysis completed from the stream, `complete` or `failed` (Comprehend refused the text). */
  analysisCompleted(subject: AnalysisSubjectKind, status: string): void {
    const outcome = status === 'complete' || status === 'failed' ? status : OTHER;
    this.#count(METRIC_NAMES.analysisCompleted, [{ Subject: subject, Outcome: outcome }]);
    if (outcome === 'failed') this.#count(METRIC_NAMES.analysisFailed, [{ Subject: subject }]);
  }

  /** Spans of personal data or secrets removed from stored text, by kind. */
  redactions(redactions: readonly { type: string; count: number }[]): void {
    for (const { type, count } of redactions) {
      if (count > 0) this.#count(METRIC_NAMES.redactions, [{ Kind: bounded(type, REDACTION_KIND, OTHER) }], count);
    }
  }

  /** A create answered from the first one's result (Idempotency-Key): nothing new was stored or analyzed. */
  idempotentReplay(): void {
    this.#count(METRIC_NAMES.idempotentReplays, []);
  }

  /** An update refused because the ticket moved on (412) or its state forbids the change (409). */
  updateConflict(statusCode: number): void {
    this.#count(METRIC_NAMES.updateConflicts, [{ StatusCode: String(statusCode) }]);
  }

  /** A request answered with a 4xx status, by status. */
  rejection(statusCode: number): void {
    this.#count(METRIC_NAMES.rejections, [{ StatusCode: String(statusCode) }]);
  }

  /** Stream records a batch left for Lambda to retry. */
  streamRecordsRetried(count: number): void {
    if (count > 0) this.#count(METRIC_NAMES.streamRecordsRetried, [], count);
  }

  /**
   * One EMF line: the metric under each dimension set given (every set also
   * has `service`), or under `service` alone.
   */
  #count(name: string, dimensionSets: Record<string, string>[], value = 1): void {
    // One single-metric instance for every line: adding its metric publishes the line and clears its
    // dimensions, and a new instance per line would cost more than the line (its own configuration and console).
    this.#single ??= this.#metrics.singleMetric();
    for (const dimensions of dimensionSets) this.#single.addDimensions(dimensions);
    this.#single.addMetric(name, MetricUnit.Count, value);
  }
}

/** The layer's metrics, written to stdout for CloudWatch to read from the function's log. */
export const businessMetrics = new BusinessMetrics(
  new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE_FALLBACK }),
);
