import { describe, expect, test } from '@jest/globals';
import {
  classify,
  parseTriageModel,
  priorityFrom,
  HIGH_FROM,
  URGENT_FROM,
  type TriageModelFile,
} from '../../../layers/shared/src/analysis/triage-classifier.js';
import { triageFeatures } from '../../../layers/shared/src/analysis/triage-features.js';
import { triageModel } from '../../../layers/shared/src/analysis/triage-model.js';
import { TICKET_CATEGORIES, TICKET_PRIORITIES } from '../../../layers/shared/src/domain/ticket.js';

/** One weight per category, `weight` for `category` and nothing for the others. */
const toward = (category: string, weight: number) => TICKET_CATEGORIES.map((each) => (each === category ? weight : 0));
/** A model that knows a few words: "outage" pulls to urgent, "invoice" to billing, "feedback" to low. */
const tinyModel = (): TriageModelFile => ({
  priority: {
    labels: [...TICKET_PRIORITIES],
    bias: [0, 0, 0.5, 0],
    weights: { 'w:outage': [6, 1, 0, 0], 'w:everyone': [3, 0, 0, 0], 'w:feedback': [0, 0, 0, 5] },
  },
  category: {
    labels: [...TICKET_CATEGORIES],
    bias: toward('general', 0),
    weights: { 'w:invoice': toward('billing', 4), 'b:the invoice': toward('billing', 2) },
  },
});

describe('a linear classifier over the triage features', () => {
  const model = parseTriageModel(tinyModel());

  test('the label with the highest score wins; probabilities add up to one', () => {
    const result = classify(model.priority, triageFeatures('Outage\n\nThe outage hits everyone.'));
    expect(result.label).toBe('urgent');
    expect(result.probabilities.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 10);
    expect(result.probabilities[0]).toBe(Math.max(...result.probabilities));
  });

  test('with no known word the bias decides', () => {
    expect(classify(model.priority, triageFeatures('Hello\n\nA question about colours.')).label).toBe('normal');
  });

  test('the reasons are the phrases that pulled toward the label, strongest first, each place once', () => {
    const text = 'Copy for May\n\nPlease resend the invoice, the invoice for May.';
    const result = classify(model.category, triageFeatures(text));
    expect(result.label).toBe('billing');
    for (const reason of result.reasons) expect(text.slice(reason.start, reason.end)).toBe(reason.phrase);
    // "invoice" pulls harder than "the invoice", which overlaps it and is left out.
    expect(result.reasons).toEqual([
      { phrase: 'invoice', start: text.indexOf('invoice'), end: text.indexOf('invoice') + 7 },
    ]);
  });

  test('a decision other than the likeliest label is explained against the strongest other label', () => {
    const result = classify(model.priority, triageFeatures('Feedback\n\nFeedback on the outage report.'), () => 'low');
    expect(result.label).toBe('low');
    expect(result.reasons.map((reason) => reason.phrase)).toContain('Feedback');
    expect(result.reasons.map((reason) => reason.phrase)).not.toContain('outage');
  });
});

describe('priority from probabilities', () => {
  test.each([
    [[URGENT_FROM, 0.6, 0.1, 0.1], 'urgent'],
    [[URGENT_FROM - 0.01, 0.6, 0.2, 0.19], 'high'],
    [[0.1, HIGH_FROM - 0.1, 0.3, 0.6 - HIGH_FROM], 'high'],
    [[0.1, HIGH_FROM - 0.11, 0.45, 0.46 - HIGH_FROM], 'normal'],
    [[0.05, 0.1, 0.25, 0.6], 'low'],
  ])('%j → %s', (probabilities, priority) => {
    expect(priorityFrom(probabilities)).toBe(priority);
  });
});

describe('the model file is checked before use', () => {
  const broken = (edit: (file: TriageModelFile) => void) => () => {
    const file = tinyModel();
    edit(file);
    return parseTriageModel(file);
  };

  test.each([
    [
      'an unknown label',
      broken((f) => (f.category.labels[6] = 'sales')),
      /category: labels must be billing, account, /,
    ],
    [
      'labels out of order',
      broken((f) => f.priority.labels.reverse()),
      /priority: labels must be urgent, high, normal, low, in that order/,
    ],
    ['a bias of the wrong length', broken((f) => f.priority.bias.pop()), /priority: bias needs one number per label/],
    [
      'a weight that is not a number',
      broken((f) => (f.priority.weights['w:outage'] = [1, 2, Number.NaN, 3])),
      /weights of "w:outage"/,
    ],
    ['a missing classifier', broken((f) => delete (f as Partial<TriageModelFile>).category), /category: no labels/],
  ])('%s fails, naming the entry', (_case, load, message) => {
    expect(load).toThrow(message);
  });

  test("the shipped model loads, with weights for words and for the rules' verdicts", () => {
    const { priority, category } = triageModel();
    expect(priority.labels).toEqual(TICKET_PRIORITIES);
    expect(category.labels).toEqual(TICKET_CATEGORIES);
    const names = [...priority.weights.keys()];
    expect(names.some((name) => name.startsWith('w:'))).toBe(true);
    expect(names.some((name) => name.startsWith('rule:priority:'))).toBe(true);
  });
});
