import type { SentimentResult, TicketCategory, TicketPriority } from '../domain/ticket.js';
import { categorize } from './category.js';
import { assessUrgency, URGENCY_SIGNALS } from './urgency.js';

/**
 * A phrase of the analysed text that moved the priority or the category, with
 * where it was found (UTF-16 indices into the analysed text, `end` exclusive),
 * so that a signal touching redacted text can be dropped before storage.
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
 * Priority and category of a ticket from its text (subject and description
 * as analysed), Comprehend's sentiment (null when unavailable) and key phrases.
 */
export function triage(
  text: string,
  sentiment: SentimentResult | null,
  keyPhrases: readonly string[],
): TriageResult {
  const urgency = assessUrgency(text, sentiment);
  const prioritySignals = URGENCY_SIGNALS.filter((signal) => urgency.signals.includes(signal.id)).flatMap(
    (signal): MatchedSignal[] => {
      const match = new RegExp(signal.pattern.source, signal.pattern.flags.replace('g', '')).exec(text);
      return match ? [{ kind: signal.id, phrase: match[0], start: match.index, end: match.index + match[0].length }] : [];
    },
  );
  const category = categorize(text, keyPhrases);
  return {
    priority: urgency.priority,
    category,
    urgent: urgency.urgent,
    signals: { priority: prioritySignals, category: [] },
  };
}
