import { TICKET_CATEGORIES, type TicketCategory } from '../domain/ticket.js';
import { firstMatch, subjectLength as subjectLengthOf, type MatchedSignal, type TextMatch } from './text-patterns.js';
import { triageRules, type CompiledPattern, type TriageRules } from './triage-rules.js';

/**
 * Category from the words of the ticket, weighed as a reader would:
 *
 *  - a topic phrase ("invoice", "password reset", "router") names what the
 *    ticket is about and weighs more than a mention ("payment", "system");
 *  - each phrase counts once however often it is repeated, more when it is
 *    in the subject (the customer's own summary);
 *  - every category scoring at least `fitShare` of the best score (and the
 *    minimum) fits, and of those the first in the rubric's precedence wins:
 *    a breach reported with a login failure is security, a double charge
 *    shown with an error page is billing; a decisive phrase ("hacked",
 *    "charged twice") makes its category fit whatever else scores;
 *  - the request decides when it differs from the problem: a request phrase
 *    ("please add", "send it back", "just wanted to say thanks") leaves only
 *    the categories with a request or a decisive phrase in the running;
 *  - nothing scoring the minimum: general.
 */

export interface Categorization {
  category: TicketCategory;
  /** The chosen category's evidence, first occurrence of each phrase, in text order. */
  signals: MatchedSignal[];
  scores: Record<TicketCategory, number>;
  /** Every category's evidence, as `signals` is the chosen one's. */
  evidence: Record<TicketCategory, MatchedSignal[]>;
}

/** `subjectLength`: the first characters of `text` that are the subject (the analyzed text starts with it). */
export function categorize(
  text: string,
  subjectLength = subjectLengthOf(text),
  rules: TriageRules = triageRules(),
): Categorization {
  const { weights, evidence } = rules.category;
  const scored = evidence.map(({ category, topic, mention, decisive, request }) => {
    const signals: MatchedSignal[] = [];
    let score = 0;
    const weigh = (patterns: readonly CompiledPattern[], kind: 'topic' | 'mention', weight: number) => {
      // Each phrase once, wherever it occurs; the subject and key phrases multiply its weight.
      for (const { pattern } of patterns) {
        const first = firstMatch(pattern, text);
        if (!first) continue;
        // Matches come in text order: one in the subject would be the first.
        const inSubject = first.start < subjectLength;
        score += weight * (inSubject ? weights.subject : 1);
        signals.push({ kind, phrase: first.phrase, start: first.start, end: first.end });
      }
    };
    weigh(topic, 'topic', weights.topic);
    weigh(mention, 'mention', weights.mention);
    const decisiveMatch = firstOf(decisive, text);
    if (decisiveMatch) signals.push({ kind: 'decisive', ...decisiveMatch });
    const requestMatch = firstOf(request, text);
    if (requestMatch) signals.push({ kind: 'request', ...requestMatch });
    return { category, score, signals, decided: decisiveMatch !== undefined, requested: requestMatch !== undefined };
  });

  const best = Math.max(...scored.map((entry) => entry.score));
  const threshold = Math.max(weights.minimum, weights.fitShare * best);
  // `evidence` is in precedence order, so the first that fits is the rubric's choice; when the
  // customer names a request, only the categories it or a decisive phrase names compete.
  const requested = scored.some((entry) => entry.requested);
  const chosen = requested
    ? scored.find((entry) => entry.decided || entry.requested)
    : scored.find((entry) => entry.decided || (entry.score >= threshold && entry.score > 0));
  const scores = Object.fromEntries(scored.map((entry) => [entry.category, entry.score])) as Record<
    TicketCategory,
    number
  >;
  // General has no evidence of its own: it is what is left when nothing else fits.
  const evidenceOf = Object.fromEntries(
    TICKET_CATEGORIES.map((category): [TicketCategory, MatchedSignal[]] => [
      category,
      [...(scored.find((entry) => entry.category === category)?.signals ?? [])].sort((a, b) => a.start - b.start),
    ]),
  ) as Record<TicketCategory, MatchedSignal[]>;
  if (!chosen) return { category: 'general', signals: [], scores, evidence: evidenceOf };
  return { category: chosen.category, signals: evidenceOf[chosen.category], scores, evidence: evidenceOf };
}

/** The first match of the first of `patterns` that matches `text`. */
function firstOf(patterns: readonly CompiledPattern[], text: string): TextMatch | undefined {
  for (const { pattern } of patterns) {
    const match = firstMatch(pattern, text);
    if (match) return match;
  }
  return undefined;
}
