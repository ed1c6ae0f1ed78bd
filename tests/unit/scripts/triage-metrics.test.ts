import { describe, expect, test } from '@jest/globals';
import type { TicketCategory, TicketPriority } from '../../../layers/shared/src/domain/ticket.js';
import { formatReport, targetsFor, triageMetrics, type TriageOutcome } from '../../../scripts/triage-metrics.js';
import { parseLabelledTickets } from '../../../scripts/labelled-tickets.js';

const outcome = (
  label: [TicketPriority, TicketCategory],
  predicted: [TicketPriority, TicketCategory],
): TriageOutcome => ({
  label: { priority: label[0], category: label[1] },
  predicted: { priority: predicted[0], category: predicted[1] },
});

describe('triageMetrics', () => {
  const outcomes = [
    outcome(['urgent', 'security'], ['urgent', 'security']),
    outcome(['urgent', 'technical'], ['high', 'technical']),
    outcome(['high', 'billing'], ['normal', 'billing']),
    outcome(['normal', 'technical'], ['high', 'bug']),
    outcome(['low', 'general'], ['low', 'general']),
  ];
  const metrics = triageMetrics(outcomes);

  test('urgent or high is the positive class', () => {
    // Predicted pressing: 3 (urgent, high, high); right: 2; labelled pressing: 3.
    expect(metrics.pressing).toMatchObject({ truePositives: 2, predicted: 3, actual: 3 });
    expect(metrics.pressing.precision).toBeCloseTo(2 / 3);
    expect(metrics.pressing.recall).toBeCloseTo(2 / 3);
    expect(metrics.pressing.f1).toBeCloseTo(2 / 3);
  });

  test('urgent recall counts only urgent predicted as urgent', () => {
    expect(metrics.urgentRecall).toBe(0.5);
  });

  test('category accuracy and confusion matrices, rows = label, columns = predicted', () => {
    expect(metrics.categoryAccuracy).toBeCloseTo(4 / 5);
    expect(metrics.priorityConfusion.classes).toEqual(['urgent', 'high', 'normal', 'low']);
    expect(metrics.priorityConfusion.counts).toEqual([
      [1, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 1, 0, 0],
      [0, 0, 0, 1],
    ]);
    const technical = metrics.categoryConfusion.classes.indexOf('technical');
    const bug = metrics.categoryConfusion.classes.indexOf('bug');
    expect(metrics.categoryConfusion.counts[technical]![bug]).toBe(1);
    expect(metrics.categoryConfusion.counts.flat().reduce((a, b) => a + b, 0)).toBe(5);
  });

  test('targets pass or fail against the agreed minimums; nothing predicted scores zero, not NaN', () => {
    expect(targetsFor(metrics).map((t) => [t.name, t.met])).toEqual([
      ['urgent-or-high F1', false],
      ['urgent-or-high precision', false],
      ['urgent recall', false],
      ['category accuracy', false],
    ]);
    const perfect = triageMetrics([
      outcome(['urgent', 'bug'], ['urgent', 'bug']),
      outcome(['low', 'general'], ['low', 'general']),
    ]);
    expect(targetsFor(perfect).every((t) => t.met)).toBe(true);
    const none = triageMetrics([outcome(['low', 'general'], ['low', 'general'])]);
    expect(none.pressing).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });

  test('the report shows figures, both matrices and pass/fail', () => {
    const report = formatReport(metrics);
    expect(report).toContain('urgent-or-high: precision 0.667, recall 0.667, F1 0.667');
    expect(report).toContain('feature_request');
    expect(report).toMatch(/FAIL {2}category accuracy/);
  });
});

describe('parseLabelledTickets', () => {
  test('reads JSONL, ignoring extra fields and blank lines', () => {
    const line = JSON.stringify({
      id: 'a',
      language: 'en',
      subject: 's',
      body: 'b',
      priority: 'low',
      category: 'general',
      note: 1,
    });
    expect(parseLabelledTickets(`${line}\n\n`)).toEqual([
      { id: 'a', language: 'en', subject: 's', body: 'b', priority: 'low', category: 'general' },
    ]);
  });

  test('a bad line fails the file, naming the line', () => {
    const good = JSON.stringify({
      id: 'a',
      language: 'en',
      subject: 's',
      body: 'b',
      priority: 'low',
      category: 'general',
    });
    expect(() => parseLabelledTickets(`${good}\n{oops`)).toThrow(/line 2: not JSON/);
    expect(() => parseLabelledTickets(good.replace('"low"', '"whenever"'))).toThrow(
      "line 1: unknown priority 'whenever'",
    );
    expect(() => parseLabelledTickets('')).toThrow('no tickets');
  });
});
