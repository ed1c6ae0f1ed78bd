import { TICKET_CATEGORIES, TICKET_PRIORITIES, type TicketCategory, type TicketPriority } from '../domain/ticket.js';
import type { TextMatch } from './text-patterns.js';
import { TriageDataError } from './triage-rules.js';
import type { TriageFeatures } from './triage-features.js';

/**
 * The triage model's two linear classifiers (multinomial logistic
 * regression), one for the priority and one for the category, over the
 * features of triage-features.ts; `npm run train:triage` fits them and
 * writes triage-model.json, which triage-model.ts loads.
 *
 * A linear model explains itself: a class's score is a sum of one number per
 * feature present, so the phrases that pushed a ticket to its class, rather
 * than to the runner-up, are the signals an agent sees.
 */

export interface LinearClassifier<Label extends string> {
  labels: readonly Label[];
  bias: readonly number[];
  /** Feature name → one weight per label, in `labels` order. Absent features weigh nothing. */
  weights: ReadonlyMap<string, readonly number[]>;
}

export interface TriageModel {
  priority: LinearClassifier<TicketPriority>;
  category: LinearClassifier<TicketCategory>;
}

export interface Classification<Label extends string> {
  label: Label;
  /** Softmax probability of each label, in the classifier's `labels` order. */
  probabilities: number[];
  /** Text phrases that most favored `label` over the runner-up, strongest first. */
  reasons: TextMatch[];
}

/**
 * From this probability of urgent, a ticket is urgent even when high is more
 * likely: an urgent ticket left in the queue costs far more than a high one
 * looked at early. Cross-validation on the training tickets
 * (`npm run train:triage -- --cross-validate`) shows what it trades.
 */
export const URGENT_FROM = 0.2;
/** From this probability of urgent-or-high, a ticket is high (`npm run train:triage -- --cross-validate` sweeps both). */
export const HIGH_FROM = 0.4;

/**
 * The priority from the priority classifier's probabilities (labels in
 * TICKET_PRIORITIES order: urgent, high, normal, low): urgent from
 * URGENT_FROM; else high from HIGH_FROM of urgent-or-high; else the
 * likelier of normal and low.
 */
export function priorityFrom(
  probabilities: readonly number[],
  { urgentFrom, highFrom } = { urgentFrom: URGENT_FROM, highFrom: HIGH_FROM },
): TicketPriority {
  const [urgent = 0, high = 0, normal = 0, low = 0] = probabilities;
  if (urgent >= urgentFrom) return 'urgent';
  if (urgent + high >= highFrom) return 'high';
  return normal >= low ? 'normal' : 'low';
}

/** Phrases given as the reasons of a decision, at most. */
const MAX_REASONS = 3;

/**
 * Scores a ticket's features; `decide` turns the probabilities into a label
 * (by default the likeliest). The reasons are the phrases that most favored
 * the decided label over the strongest other one.
 */
export function classify<Label extends string>(
  classifier: LinearClassifier<Label>,
  features: TriageFeatures,
  decide: (probabilities: readonly number[]) => Label = (probabilities) => likeliest(classifier, probabilities),
): Classification<Label> {
  const scores = [...classifier.bias];
  for (const [name, value] of features.values) {
    const weights = classifier.weights.get(name);
    weights?.forEach((weight, index) => {
      scores[index] = (scores[index] ?? 0) + weight * value;
    });
  }
  const probabilities = softmax(scores);
  const label = decide(probabilities);
  const chosen = classifier.labels.indexOf(label);
  const strongestOther = argMax(scores.map((score, index) => (index === chosen ? -Infinity : score)));
  return { label, probabilities, reasons: reasonsFor(classifier, features, chosen, strongestOther) };
}

function reasonsFor<Label extends string>(
  classifier: LinearClassifier<Label>,
  features: TriageFeatures,
  chosen: number,
  runnerUp: number,
): TextMatch[] {
  const pulls: { match: TextMatch; pull: number }[] = [];
  for (const [name, value] of features.values) {
    const match = features.spans.get(name);
    const weights = classifier.weights.get(name);
    if (!match || !weights) continue;
    const pull = value * ((weights[chosen] ?? 0) - (weights[runnerUp] ?? 0));
    if (pull > 0) pulls.push({ match, pull });
  }
  pulls.sort((a, b) => b.pull - a.pull || a.match.start - b.match.start);
  const reasons: TextMatch[] = [];
  for (const { match } of pulls) {
    if (reasons.length === MAX_REASONS) break;
    // "data" and "data loss" both pulling: the agent needs to see the phrase once.
    if (reasons.some((reason) => reason.start < match.end && match.start < reason.end)) continue;
    reasons.push(match);
  }
  return reasons;
}

function likeliest<Label extends string>(classifier: LinearClassifier<Label>, probabilities: readonly number[]): Label {
  const label = classifier.labels[argMax(probabilities)];
  if (label === undefined) throw new TriageDataError('a classifier without labels');
  return label;
}

function argMax(values: readonly number[]): number {
  let best = 0;
  let bestValue = values[0];
  values.forEach((value, index) => {
    if (bestValue === undefined || value > bestValue) {
      best = index;
      bestValue = value;
    }
  });
  return best;
}

function softmax(scores: readonly number[]): number[] {
  const top = Math.max(...scores);
  const exponentials = scores.map((score) => Math.exp(score - top));
  const total = exponentials.reduce((sum, value) => sum + value, 0);
  return exponentials.map((value) => value / total);
}

/** The model file's shape, as `npm run train:triage` writes it. */
export interface TriageModelFile {
  priority: ClassifierFile;
  category: ClassifierFile;
}

export interface ClassifierFile {
  labels: string[];
  bias: number[];
  weights: Record<string, number[]>;
}

/**
 * The model file (parsed JSON, a TriageModelFile if well formed) checked
 * against the labels the domain knows: a model trained for other labels, or a
 * truncated file, fails when the layer is built and at cold start, never on a
 * ticket.
 */
export function parseTriageModel(file: unknown): TriageModel {
  const model = isRecord(file) ? file : {};
  return {
    priority: parseClassifier('priority', model.priority, TICKET_PRIORITIES),
    category: parseClassifier('category', model.category, TICKET_CATEGORIES),
  };
}

function parseClassifier<Label extends string>(
  name: string,
  file: unknown,
  known: readonly Label[],
): LinearClassifier<Label> {
  const fail = (problem: string): never => {
    throw new TriageDataError(`triage-model.json: ${name}: ${problem}`);
  };
  if (!isRecord(file) || !Array.isArray(file.labels)) return fail('no labels');
  // Decisions read probabilities by position (priorityFrom), so the order is part of the format.
  if (file.labels.join() !== known.join()) fail(`labels must be ${known.join(', ')}, in that order`);
  const labels = known;
  const isRow = (row: unknown): row is number[] =>
    Array.isArray(row) && row.length === labels.length && row.every((value) => Number.isFinite(value));
  const bias = isRow(file.bias) ? file.bias : fail('bias needs one number per label');
  const weights = new Map<string, readonly number[]>();
  if (typeof file.weights !== 'object' || file.weights === null) return fail('no weights');
  for (const [feature, row] of Object.entries(file.weights)) {
    if (!isRow(row)) return fail(`weights of "${feature}" need one number per label`);
    weights.set(feature, row);
  }
  return { labels, bias, weights };
}

/** A JSON object (an array is not one here: its entries are no named fields). */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
