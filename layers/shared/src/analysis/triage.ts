import type { SentimentResult, TicketCategory, TicketPriority } from '../domain/ticket.js';
import { categorize } from './category.js';
import { assessUrgency } from './urgency.js';

/**
 * A phrase of the analysed text that moved the priority or the category, with
 * where it was found (UTF-16 indices into the analysed text, `end` exclusive),
 * so that a signal touching redacted text can be dropped before storage.
 * Sentiment, which is no phrase of the text, is reported with an empty span.
 */
export interface MatchedSignal {
  kind: string;
  phrase: string;
  start: number;
  end: number;
}

export interface TriageResult {
  priority: TicketPriority;
  category: TicketCategory;
  urgent: boolean;
  signals: { priority: MatchedSignal[]; category: MatchedSignal[] };
}

/**
 * Priority and category of a ticket from its text (subject, a blank line and
 * the description, as analysed), Comprehend's sentiment (null when
 * unavailable) and key phrases, by the rules in triage-rules.json.
 */
export function triage(
  text: string,
  sentiment: SentimentResult | null,
  keyPhrases: readonly string[],
): TriageResult {
  const urgency = assessUrgency(text, sentiment);
  const category = categorize(text, keyPhrases);
  return {
    priority: urgency.priority,
    category: category.category,
    urgent: urgency.urgent,
    signals: { priority: urgency.signals, category: category.signals },
  };
}
