/**
 * Triage quality against a labelled set: what `npm run eval:triage` prints.
 * Pure: labels and predictions in, figures out.
 */
import { CATEGORY_PRECEDENCE } from '../layers/shared/src/analysis/triage-rules.js';
import { TICKET_PRIORITIES, type TicketCategory, type TicketPriority } from '../layers/shared/src/domain/ticket.js';

export interface TriageOutcome {
  label: { priority: TicketPriority; category: TicketCategory };
  predicted: { priority: TicketPriority; category: TicketCategory };
}

/** counts[labelIndex][predictedIndex], in the order of `classes`. */
export interface ConfusionMatrix<T extends string> {
  classes: readonly T[];
  counts: number[][];
}

export interface TriageMetrics {
  tickets: number;
  /** "Urgent or high" as the positive class: the tickets an agent must pick up first. */
  pressing: { precision: number; recall: number; f1: number; truePositives: number; predicted: number; actual: number };
  urgentRecall: number;
  categoryAccuracy: number;
  priorityConfusion: ConfusionMatrix<TicketPriority>;
  categoryConfusion: ConfusionMatrix<TicketCategory>;
}

export interface Target {
  name: string;
  value: number;
  minimum: number;
  met: boolean;
}

/** The agreed bar: close to two careful support leads agreeing with each other. */
export const TARGETS = {
  pressingF1: 0.85,
  pressingPrecision: 0.85,
  urgentRecall: 0.95,
  categoryAccuracy: 0.85,
} as const;

const isPressing = (priority: TicketPriority): boolean => priority === 'urgent' || priority === 'high';

/** A ratio whose denominator is zero is 0: nothing predicted or nothing to find scores nothing. */
const ratio = (numerator: number, denominator: number): number => (denominator === 0 ? 0 : numerator / denominator);

export function confusionMatrix<T extends string>(
  classes: readonly T[],
  pairs: readonly { label: T; predicted: T }[],
): ConfusionMatrix<T> {
  const counts = classes.map(() => classes.map(() => 0));
  for (const { label, predicted } of pairs) {
    const row = classes.indexOf(label);
    const column = classes.indexOf(predicted);
    const cells = counts[row];
    if (cells === undefined || column < 0) throw new Error(`Unknown class: ${row < 0 ? label : predicted}`);
    cells[column] = (cells[column] ?? 0) + 1;
  }
  return { classes, counts };
}

export function triageMetrics(outcomes: readonly TriageOutcome[]): TriageMetrics {
  const truePositives = outcomes.filter((o) => isPressing(o.label.priority) && isPressing(o.predicted.priority)).length;
  const predicted = outcomes.filter((o) => isPressing(o.predicted.priority)).length;
  const actual = outcomes.filter((o) => isPressing(o.label.priority)).length;
  const precision = ratio(truePositives, predicted);
  const recall = ratio(truePositives, actual);
  const urgent = outcomes.filter((o) => o.label.priority === 'urgent');
  return {
    tickets: outcomes.length,
    pressing: {
      precision,
      recall,
      f1: ratio(2 * precision * recall, precision + recall),
      truePositives,
      predicted,
      actual,
    },
    urgentRecall: ratio(urgent.filter((o) => o.predicted.priority === 'urgent').length, urgent.length),
    categoryAccuracy: ratio(outcomes.filter((o) => o.label.category === o.predicted.category).length, outcomes.length),
    priorityConfusion: confusionMatrix(
      TICKET_PRIORITIES,
      outcomes.map((o) => ({ label: o.label.priority, predicted: o.predicted.priority })),
    ),
    categoryConfusion: confusionMatrix(
      // The rubric's precedence order, so the matrix reads like the rubric.
      CATEGORY_PRECEDENCE,
      outcomes.map((o) => ({ label: o.label.category, predicted: o.predicted.category })),
    ),
  };
}

export function targetsFor(metrics: TriageMetrics): Target[] {
  const target = (name: string, value: number, minimum: number): Target => ({
    name,
    value,
    minimum,
    met: value >= minimum,
  });
  return [
    target('urgent-or-high F1', metrics.pressing.f1, TARGETS.pressingF1),
    target('urgent-or-high precision', metrics.pressing.precision, TARGETS.pressingPrecision),
    target('urgent recall', metrics.urgentRecall, TARGETS.urgentRecall),
    target('category accuracy', metrics.categoryAccuracy, TARGETS.categoryAccuracy),
  ];
}

/** A fixed-width table: rows are labels, columns predictions. */
export function formatConfusion<T extends string>({ classes, counts }: ConfusionMatrix<T>): string {
  const width = Math.max(6, ...classes.map((c) => c.length)) + 1;
  const cell = (text: string | number) => String(text).padStart(width);
  const header = `${'label \\ predicted'.padEnd(width + 4)}${classes.map(cell).join('')}${cell('total')}`;
  const rows = classes.map((c, i) => {
    const row = counts[i] ?? [];
    return `${c.padEnd(width + 4)}${row.map(cell).join('')}${cell(row.reduce((a, b) => a + b, 0))}`;
  });
  return [header, ...rows].join('\n');
}

export function formatReport(metrics: TriageMetrics): string {
  const percent = (value: number) => value.toFixed(3);
  const { pressing } = metrics;
  const lines = [
    `tickets: ${metrics.tickets}`,
    `urgent-or-high: precision ${percent(pressing.precision)}, recall ${percent(pressing.recall)}, F1 ${percent(pressing.f1)}` +
      ` (${pressing.truePositives} right of ${pressing.predicted} predicted, ${pressing.actual} labelled)`,
    `urgent recall: ${percent(metrics.urgentRecall)}`,
    `category accuracy: ${percent(metrics.categoryAccuracy)}`,
    '',
    'priority (rows = label, columns = predicted)',
    formatConfusion(metrics.priorityConfusion),
    '',
    'category (rows = label, columns = predicted)',
    formatConfusion(metrics.categoryConfusion),
    '',
    'targets',
    ...targetsFor(metrics).map(
      (t) => `  ${t.met ? 'pass' : 'FAIL'}  ${t.name.padEnd(26)} ${percent(t.value)}  (at least ${t.minimum})`,
    ),
  ];
  return lines.join('\n');
}
