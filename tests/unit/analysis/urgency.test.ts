import { describe, expect, test } from '@jest/globals';
import type { SentimentLabel, SentimentResult } from '../../../layers/shared/src/domain/ticket.js';
import { assessUrgency, URGENCY_SIGNALS } from '../../../layers/shared/src/analysis/urgency.js';

function sentiment(label: SentimentLabel, score = 0.95): SentimentResult {
  const scores = { positive: 0, negative: 0, neutral: 0, mixed: 0 };
  scores[label.toLowerCase() as keyof typeof scores] = score;
  return { label, scores };
}

const signalIds = (text: string): string[] => assessUrgency(text, null).signals;

describe('assessUrgency: the reference messages', () => {
  const outage = 'Our production database is down and we are losing money, please help ASAP!';

  test.each([
    ['NEUTRAL', sentiment('NEUTRAL')],
    ['POSITIVE', sentiment('POSITIVE')],
    ['unknown (Comprehend unavailable)', null],
  ])('an outage costing money is urgent whatever the sentiment: %s', (_label, mood) => {
    const result = assessUrgency(outage, mood);
    expect(result.priority).toBe('urgent');
    expect(result.urgent).toBe(true);
  });

  test('praise is low priority', () => {
    expect(assessUrgency('Thanks, the new dashboard is great!', sentiment('POSITIVE')).priority).toBe('low');
    expect(assessUrgency('Thanks, the new dashboard is great!', null).priority).toBe('low');
  });

  test('a how-to question is normal priority', () => {
    for (const mood of [null, sentiment('NEUTRAL')]) {
      const result = assessUrgency('How do I export my invoices as CSV?', mood);
      expect(result.priority).toBe('normal');
      expect(result.urgent).toBe(false);
    }
  });

  test('a strongly negative complaint without urgency signals is high at most', () => {
    const complaint = 'This is the worst support I have ever had. I am furious and disappointed with your company.';
    const result = assessUrgency(complaint, sentiment('NEGATIVE', 0.99));
    expect(result.priority).toBe('high');
    expect(result.urgent).toBe(false);
  });

  test('a mildly negative message without signals stays normal', () => {
    expect(assessUrgency('The colours in the report are a bit dull.', sentiment('NEGATIVE', 0.6)).priority).toBe('normal');
  });
});

describe('assessUrgency: signals', () => {
  test.each([
    ['We have a full outage in eu-west-1', 'outage'],
    ['The site went down an hour ago', 'service_down'],
    ['API has been down for 2 hours', 'service_down'],
    ['We lost all our data after the migration', 'data_loss'],
    ['I think my account was hacked', 'security_breach'],
    ["I can't log in since this morning", 'cannot_log_in'],
    ['We are unable to sign in', 'cannot_log_in'],
    ['All users are affected', 'everyone_affected'],
    ['Please fix immediately', 'immediately'],
    ['The export is not working', 'not_working'],
    ['El servicio está caído', 'service_down'],
    ['No puedo acceder a mi cuenta', 'cannot_log_in'],
    ['Le site est en panne', 'service_down'],
    ['Das ist dringend, bitte sofort', 'urgent'],
  ])('"%s" carries %s', (text, id) => {
    expect(signalIds(text)).toContain(id);
  });

  test('word boundaries: download, drop-down and prodigy are not signals', () => {
    expect(signalIds('I want to download the drop-down list from the prodigy report')).toEqual([]);
  });

  test('a repeated signal counts once', () => {
    const once = assessUrgency('urgent', null).score;
    expect(assessUrgency('urgent urgent URGENT urgent', null).score).toBe(once);
  });

  test('saying it can wait lowers the priority', () => {
    expect(assessUrgency('The export is not working, it is urgent', null).priority).toBe('high');
    expect(assessUrgency('Not urgent, but the export is not working', null).priority).toBe('normal');
  });

  test('negative sentiment lifts a real signal to urgent', () => {
    const text = 'The website is down';
    expect(assessUrgency(text, sentiment('NEUTRAL')).priority).toBe('high');
    expect(assessUrgency(text, sentiment('NEGATIVE', 0.95)).priority).toBe('urgent');
  });

  test('every exported signal has a unique id and a pattern that matches nothing in plain small talk', () => {
    const ids = URGENCY_SIGNALS.map((signal) => signal.id);
    expect(new Set(ids).size).toBe(ids.length);
    const smallTalk = 'Hello, I have a question about the report layout.';
    expect(URGENCY_SIGNALS.filter((signal) => signal.pattern.test(smallTalk))).toEqual([]);
  });
});
