import { describe, expect, test } from '@jest/globals';
import { triageFeatures } from '../../../layers/shared/src/analysis/triage-features.js';

const textFeatures = (values: Map<string, number>) => [...values].filter(([name]) => !name.startsWith('rule:'));

describe('what the triage model reads of a ticket', () => {
  test('words without case or accents, word pairs, stems and the subject\'s words', () => {
    const { values } = triageFeatures('Störung im Netz\n\nDie STÖRUNG betrifft alle Filialen.');
    expect(values.has('w:storung')).toBe(true);
    expect(values.has('b:die storung')).toBe(true);
    expect(values.has('p:filia')).toBe(true);
    expect(values.has('s:netz')).toBe(true);
    expect(values.has('s:filialen')).toBe(false);
    // "Störung" and "STÖRUNG" are one word, counted twice.
    expect(values.get('w:storung')).toBeGreaterThan(values.get('w:netz')!);
  });

  test('a long ticket\'s words are scaled to unit length; a short ticket\'s weigh less, being less evidence', () => {
    const lengthOf = (values: Map<string, number>) =>
      Math.sqrt(textFeatures(values).reduce((sum, [, value]) => sum + value * value, 0));
    const long = triageFeatures(`Down\n\n${'The shop is down, customers cannot pay, orders are lost. '.repeat(40)}`);
    const short = triageFeatures('Down\n\nThe shop is down.');
    expect(lengthOf(long.values)).toBeCloseTo(1, 10);
    expect(lengthOf(short.values)).toBeLessThan(0.5);
    // The rules' verdicts weigh the same in both.
    expect(short.values.get('rule:priority:' + short.urgency.priority)).toBe(long.values.get('rule:priority:' + long.urgency.priority));
  });

  test('the rules\' verdicts are features too, and kept for the signals', () => {
    const features = triageFeatures('Charged twice\n\nMy card was charged twice for the March invoice.');
    expect(features.values.has(`rule:priority:${features.urgency.priority}`)).toBe(true);
    expect(features.values.has(`rule:category:${features.categorisation.category}`)).toBe(true);
    expect(features.categorisation.category).toBe('billing');
    expect(features.values.get('rule:score:billing')).toBeGreaterThan(0);
    for (const signal of features.urgency.signals) expect(features.values.has(`rule:kind:${signal.kind}`)).toBe(true);
  });

  test('every text feature knows where it first occurs', () => {
    const text = 'Login\n\nI cannot log in, the login page loops.';
    const { values, spans } = triageFeatures(text);
    for (const [name] of textFeatures(values)) {
      const span = spans.get(name)!;
      expect(text.slice(span.start, span.end)).toBe(span.phrase);
    }
    expect(spans.get('w:login')).toMatchObject({ phrase: 'Login', start: 0 });
    expect(spans.get('b:log in')).toMatchObject({ phrase: 'log in' });
  });
});
