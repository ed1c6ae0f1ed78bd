import type { TicketAnalysis, TicketCategory, TicketPriority } from '../domain/ticket.js';

export interface TicketText {
  subject: string;
  description: string;
}

/**
 * What analysis decides about a new ticket. `subject` and `description` are the
 * texts to store: sanitised, with PII that must never be stored redacted.
 */
export interface AnalysisOutcome extends TicketText {
  priority: TicketPriority;
  category: TicketCategory;
  analysis: TicketAnalysis;
}

export interface TicketAnalyzer {
  /**
   * Never throws for a Comprehend failure: the outcome then carries
   * `analysis.status: "pending"` (retryable) or `"failed"` (the text was
   * rejected), with priority, category and redaction from local rules alone.
   */
  analyze(text: TicketText): Promise<AnalysisOutcome>;
}
