import type { CommentAnalysis } from './comment-schema.js';
import type { TicketAnalysis, TicketCategory, TicketPriority } from './ticket.js';

/** The customer's words an analysis reads: subject, description and tags. */
export interface TicketFields {
  subject: string;
  description: string;
  tags?: readonly string[];
}

/**
 * What analysis decides about a ticket. `subject`, `description` and `tags`
 * are the values to store: the customer's words, with every secret that must
 * never be stored redacted.
 */
export interface AnalysisOutcome {
  subject: string;
  description: string;
  tags: string[];
  priority: TicketPriority;
  category: TicketCategory;
  analysis: TicketAnalysis;
}

/** What analysis decides about a comment: the body to store, with every secret that must never be stored redacted. */
export interface CommentOutcome {
  body: string;
  analysis: CommentAnalysis;
}

export interface TicketAnalyzer {
  /**
   * Never throws for a Comprehend failure: the outcome then carries
   * `analysis.status: "pending"` (retryable) or `"failed"` (the text was
   * rejected), with priority, category and redaction from on-box rules alone.
   */
  analyze(fields: TicketFields): Promise<AnalysisOutcome>;

  /**
   * The tags to store when an agent sets `tags` on a ticket with this text:
   * every secret that must never be stored redacted by the same rules as a
   * new ticket's, read together with the text (the rest of a card number
   * begun in the description is a secret in a tag too). On-box rules only,
   * which may be loaded on first use (functions that never redact do not load them).
   */
  redactTags(text: Pick<TicketFields, 'subject' | 'description'>, tags: readonly string[]): Promise<string[]>;

  /**
   * The kinds of must-never-store secret an identifier holds (an assignee's
   * id), read as a tag is; empty when it holds none. An identifier is not
   * redacted but refused: a changed id would name someone else. On-box rules
   * only, loaded as for redactTags.
   */
  secretKindsIn(identifier: string): Promise<string[]>;

  /**
   * A comment's body (the words as they will be kept) through the same
   * redaction floor as a description, with its language and sentiment. Never
   * throws for a Comprehend failure: the outcome then carries
   * `analysis.status: "pending"` or `"failed"`, with the floor applied.
   */
  analyzeComment(body: string): Promise<CommentOutcome>;
}
