import { describe, expect, test } from '@jest/globals';
import { triageFeatures } from '../../../layers/shared/src/analysis/triage-features.js';

const textFeatures = (values: Map<string, number>) => [...values].filter(([name]) => !name.startsWith('rule:'));

describe('what the triage model reads of a ticket', () => {
  test("words without case or accents, word pairs, stems and the subject's words", () => {
    const { values } = triageFeatures('Störung im Netz\n\nDie STÖRUNG betrifft alle Filialen.');
    expect(values.has('w:storung')).toBe(true);
    expect(values.has('b:die storung')).toBe(true);
    expect(values.has('p:filia')).toBe(true);
    expect(values.has('s:netz')).toBe(true);
    expect(values.has('s:filialen')).toBe(false);
    // "Störung" and "STÖRUNG" are one word; "die" alone is no feature.
    expect(values.has('w:die')).toBe(false);
  });

  test("a long ticket's words are scaled to unit length; a short ticket's weigh less, being less evidence", () => {
    const lengthOf = (values: Map<string, number>) =>
      Math.sqrt(textFeatures(values).reduce((sum, [, value]) => sum + value * value, 0));
    const words = Array.from({ length: 400 }, (_, index) => `word${String.fromCharCode(97 + (index % 26))}${index}`);
    const long = triageFeatures(`Down\n\nThe shop is down: ${words.join(' ')}`);
    const short = triageFeatures('Down\n\nThe shop is down.');
    expect(lengthOf(long.values)).toBeCloseTo(1, 10);
    expect(lengthOf(short.values)).toBeLessThan(0.5);
    // The rules' verdicts weigh the same in both.
    expect(short.values.get('rule:priority:' + short.urgency.priority)).toBe(
      long.values.get('rule:priority:' + long.urgency.priority),
    );
  });

  test("the rules' verdicts are features too, and kept for the signals", () => {
    const features = triageFeatures('Charged twice\n\nMy card was charged twice for the March invoice.');
    expect(features.values.has(`rule:priority:${features.urgency.priority}`)).toBe(true);
    expect(features.values.has(`rule:category:${features.categorization.category}`)).toBe(true);
    expect(features.categorization.category).toBe('billing');
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

  test('a word is there or not: repeating it adds nothing', () => {
    const once = triageFeatures('Question\n\nHow do I change my profile picture? outage');
    const stuffed = triageFeatures(`Question\n\nHow do I change my profile picture? ${'outage '.repeat(50)}`);
    expect(stuffed.values.get('w:outage')).toBe(once.values.get('w:outage'));
  });

  test('numbers read as "#", courtesy not at all, and pairs stay within the subject or the description', () => {
    const { values } = triageFeatures(
      'Login at 09:00\n\nDear Support Team, I hope you are well. 300 users cannot log in. Best regards',
    );
    expect(values.has('w:#')).toBe(true);
    expect(values.has('b:# users')).toBe(true);
    expect([...values.keys()].some((name) => /\d/.test(name))).toBe(false);
    for (const name of ['w:hope', 'w:finds', 'b:best regards', 'w:regards']) expect(values.has(name)).toBe(false);
    expect(values.has('b:# dear')).toBe(false);
  });
});
