import { describe, expect, test } from '@jest/globals';
import { assessUrgency } from '../../../layers/shared/src/analysis/urgency.js';
import type { SentimentResult } from '../../../layers/shared/src/domain/ticket.js';

const sentiment = (label: SentimentResult['label'], negative = 0.9): SentimentResult => ({
  label,
  scores: { positive: label === 'POSITIVE' ? 0.9 : 0.03, negative, neutral: 0.05, mixed: 0.02 },
});
const kinds = (text: string, tone: SentimentResult | null = null) => assessUrgency(text, tone).signals.map((s) => s.kind);

describe('assessUrgency', () => {
  test('no problem described is low, whatever the tone', () => {
    expect(assessUrgency('Thanks for the quick fix last week, great job!', sentiment('POSITIVE')).priority).toBe('low');
    expect(assessUrgency('Which plans include single sign-on?', sentiment('NEGATIVE')).priority).toBe('low');
  });

  test('a vague problem is normal; tone alone does not raise it', () => {
    expect(assessUrgency('There is an issue with the export page.', null).priority).toBe('normal');
    expect(assessUrgency('There is an issue with the export page. Terrible!', sentiment('NEGATIVE', 0.99)).priority).toBe('normal');
  });

  test('a failure troubleshooting did not fix is high; intermittent stays normal', () => {
    expect(assessUrgency('The scanner is not working. We restarted it but the problem persists.', null).priority).toBe('high');
    expect(
      assessUrgency('The scanner intermittently fails to connect. We restarted it but the problem persists.', null).priority,
    ).toBe('normal');
  });

  test('an outage is high, urgent when many are affected, high again when intermittent', () => {
    expect(assessUrgency('The API is down.', null).priority).toBe('high');
    expect(assessUrgency('The API is down for all of our customers.', null).priority).toBe('urgent');
    expect(assessUrgency('The API has sporadic outages for all of our customers.', null).priority).toBe('high');
  });

  test('a hedge in the same sentence lowers a breach one level, not in another sentence', () => {
    expect(assessUrgency('Our server may have been compromised.', null).priority).toBe('high');
    expect(kinds('Our server may have been compromised.')).toContain('breach_suspected');
    expect(assessUrgency('Our server was compromised. We may need help with forensics.', null).priority).toBe('urgent');
  });

  test('"urgent" raises a normal problem with described impact to high, never to urgent, never without impact', () => {
    expect(assessUrgency('URGENT: problem with the scheduler.', null).priority).toBe('normal');
    expect(assessUrgency('URGENT: problem with the scheduler, it is affecting our daily operations.', null).priority).toBe(
      'high',
    );
    expect(kinds('URGENT: problem with the scheduler, it is affecting our daily operations.')).toEqual(
      expect.arrayContaining(['asap', 'impact', 'problem']),
    );
  });

  test('a problem mentioned only in a question does not count', () => {
    expect(assessUrgency('How can we avoid downtime during upgrades?', null).priority).toBe('low');
  });

  test('repeating a phrase reports it once, at its first occurrence', () => {
    const text = 'Outage. Outage again. Outage!';
    expect(assessUrgency(text, null).signals.filter((s) => s.kind === 'outage')).toEqual([
      { kind: 'outage', phrase: 'Outage', start: 0, end: 6 },
    ]);
  });
});
