import type { SentimentResult, TicketCategory, TicketPriority } from '../domain/ticket.js';
import { classify, priorityFrom, type Classification } from './triage-classifier.js';
import { triageFeatures, type TriageFeatures } from './triage-features.js';
import { triageRules } from './triage-rules.js';
import type { MatchedSignal, TextMatch } from './text-patterns.js';
import { triageModel } from './triage-model.js';
import { TONE_SIGNAL, urgencyWithTone } from './urgency.js';

export interface TriageResult {
  priority: TicketPriority;
  category: TicketCategory;
  urgent: boolean;
  signals: { priority: MatchedSignal[]; category: MatchedSignal[] };
}

/** Signal kind of a phrase the model weighed, as opposed to a phrase of triage-rules.json. */
export const LEARNED_SIGNAL = 'learned';
/**
 * Signal kind of a ticket in a language triage does not read (the languages
 * of triage-rules.json's `words`): its "low" would only mean nothing was
 * understood, so it is normal, and an agent looks at it.
 */
export const UNREAD_SIGNAL = 'unread';

/**
 * Priority and category of a ticket from its text (subject, a blank line and
 * the description, as analyzed), Comprehend's sentiment and the language it
 * detected (each null when unavailable).
 *
 * The triage model (triage-model.json) decides, reading the words and the
 * verdicts of the rules in triage-rules.json. The signals are the rules'
 * evidence for the chosen priority and category, when the rules found any,
 * and the phrases that weighed most in the model's choice.
 *
 * Tone never sets the priority: a strongly negative message raises a normal
 * ticket to high only when it describes an impact (scope or disrupted work).
 */
export function triage(text: string, sentiment: SentimentResult | null, language: string | null = null): TriageResult {
  return triageWith(readForTriage(text), sentiment, language);
}

/**
 * What triage reads of a text before Comprehend's sentiment and language are
 * known: its features and the model's decisions on them, which need the text
 * alone (and are most of triage's cost).
 */
export interface TriageReading {
  readonly text: string;
  readonly features: TriageFeatures;
  readonly priority: Classification<TicketPriority>;
  readonly category: Classification<TicketCategory>;
}

export function readForTriage(text: string): TriageReading {
  const features = triageFeatures(text);
  const model = triageModel();
  return {
    text,
    features,
    priority: classify(model.priority, features, priorityFrom),
    category: classify(model.category, features),
  };
}

/** `triage` of the text read, with Comprehend's sentiment and language (each null when unavailable). */
export function triageWith(
  { text, features, priority: decidedPriority, category: decidedCategory }: TriageReading,
  sentiment: SentimentResult | null,
  language: string | null = null,
): TriageResult {
  let priority = decidedPriority.label;
  let prioritySignals: MatchedSignal[] = features.urgency.priority === priority ? [...features.urgency.signals] : [];
  prioritySignals.push(...learned(decidedPriority.reasons, prioritySignals));
  if (priority === 'normal' && sentiment?.label === 'NEGATIVE') {
    // The rules' tone step: strongly negative and an impact described raise normal to high, once.
    // The rules then explain the priority; the model's reasons were for normal.
    const withTone = urgencyWithTone(features.urgencyReading, sentiment);
    if (withTone.priority === 'high' && withTone.signals.some((signal) => signal.kind === TONE_SIGNAL)) {
      priority = 'high';
      prioritySignals = [...withTone.signals];
    }
  }
  if (priority === 'low' && !readable(text, language)) {
    priority = 'normal';
    prioritySignals = [{ kind: UNREAD_SIGNAL, phrase: '', start: 0, end: 0 }];
  }

  const categorySignals = [...features.categorization.evidence[decidedCategory.label]];
  categorySignals.push(...learned(decidedCategory.reasons, categorySignals));

  return {
    priority,
    category: decidedCategory.label,
    urgent: priority === 'urgent',
    signals: { priority: inTextOrder(prioritySignals), category: inTextOrder(categorySignals) },
  };
}

/**
 * Whether the text is in a language triage reads: the language Comprehend
 * detected, or, without one, whether most of its letters are Latin (every
 * language triage reads is written in Latin letters).
 */
function readable(text: string, language: string | null): boolean {
  if (language !== null) return triageRules().words.languages.includes(language);
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  return latin * 2 >= letters;
}

/** The model's phrases not already shown by a rule's signal. */
function learned(reasons: readonly TextMatch[], shown: readonly MatchedSignal[]): MatchedSignal[] {
  return reasons
    .filter((reason) => !shown.some((signal) => signal.start < reason.end && reason.start < signal.end))
    .map((reason): MatchedSignal => ({ kind: LEARNED_SIGNAL, ...reason }));
}

function inTextOrder(signals: readonly MatchedSignal[]): MatchedSignal[] {
  const seen = new Set<string>();
  return [...signals]
    .sort((a, b) => a.start - b.start)
    .filter((signal) => {
      const key = `${signal.kind}\u0000${signal.start}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
