import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  checkTriageRules,
  compileTriageRules,
  triageRules,
  TriageDataError,
} from '../../../layers/shared/src/analysis/triage-rules.js';

const bundled = JSON.parse(
  readFileSync(new URL('../../../layers/shared/src/analysis/triage-rules.json', import.meta.url), 'utf8'),
) as {
  priority: { kinds: Record<string, Record<string, unknown>> };
  category: {
    categories: Record<string, Record<string, string[]>>;
    weights: Record<string, unknown>;
  };
};
const edited = (edit: (rules: typeof bundled) => void) => {
  const copy = structuredClone(bundled);
  edit(copy);
  return () => compileTriageRules(copy);
};

describe('triage rules data file', () => {
  test('the bundled file loads: every category in precedence order, level kinds and modifiers', () => {
    expect(triageRules().category.evidence.map((entry) => entry.category)).toEqual([
      'security',
      'billing',
      'account',
      'bug',
      'technical',
      'feature_request',
      'general',
    ]);
    expect(triageRules().priority.levels.map((kind) => kind.kind)).toEqual(
      expect.arrayContaining([
        'breach_confirmed',
        'data_loss',
        'outage',
        'money_wrong',
        'cannot_log_in',
        'crash',
        'blocked',
      ]),
    );
  });

  test.each([
    [
      'an invalid pattern',
      edited((r) => {
        r.priority.kinds.outage!.patterns = ['outages?', 'down ('];
      }),
      /priority\.kinds\.outage\.patterns\[1\] is not a valid pattern/,
    ],
    [
      'a pattern matching empty text',
      edited((r) => {
        r.priority.kinds.crash!.patterns = ['(?:crash)?'];
      }),
      /priority\.kinds\.crash\.patterns\[0\] matches empty text/,
    ],
    [
      'an unknown level',
      edited((r) => {
        r.priority.kinds.crash!.level = 'critical';
      }),
      /priority\.kinds\.crash\.level must be one of urgent, high, normal, low/,
    ],
    [
      'a missing modifier kind',
      edited((r) => {
        delete r.priority.kinds.hedge;
      }),
      /priority\.kinds\.hedge is missing/,
    ],
    [
      'an unknown modifier in raisedBy',
      edited((r) => {
        r.priority.kinds.outage!.raisedBy = ['loudness'];
      }),
      /priority\.kinds\.outage\.raisedBy\[0\] must be one of/,
    ],
    [
      'a missing category',
      edited((r) => {
        delete r.category.categories.bug;
      }),
      /category\.categories\.bug must be an object/,
    ],
    [
      'an unknown category',
      edited((r) => {
        r.category.categories.sales = { topic: ['x'], mention: ['y'] };
      }),
      /category\.categories\.sales is not a ticket category/,
    ],
    [
      'an empty phrase list',
      edited((r) => {
        r.category.categories.billing!.topic = [];
      }),
      /category\.categories\.billing\.topic must be a non-empty list of phrases/,
    ],
    [
      'a weight that is not a number',
      edited((r) => {
        r.category.weights.topic = '3';
      }),
      /category\.weights\.topic must be a finite number/,
    ],
  ])('%s fails loudly, naming the entry', (_case, load, message) => {
    expect(load).toThrow(TriageDataError);
    expect(load).toThrow(message);
  });

  test('the check the layer build runs compiles the bundled rules as the functions do', () => {
    const checked = checkTriageRules();
    expect(checked.priority.levels.map(({ kind, pattern }) => [kind, pattern.source])).toEqual(
      triageRules().priority.levels.map(({ kind, pattern }) => [kind, pattern.source]),
    );
  });

  test('phrases that make a pattern only when joined pass at run time and fail the build check, naming the first', () => {
    const copy = structuredClone(bundled);
    copy.priority.kinds.outage!.patterns = ['(?:outage', 'down)'];
    expect(() => compileTriageRules(copy)).not.toThrow();
    expect(() => compileTriageRules(copy, 'triage-rules.json', { checkEachPhrase: true })).toThrow(
      /priority\.kinds\.outage\.patterns\[0\] is not a valid pattern/,
    );
  });

  test('not an object at all', () => {
    expect(() => compileTriageRules([])).toThrow(
      'Invalid triage rules in triage-rules.json: (document) must be an object',
    );
  });

  test('no category lists a phrase twice: each phrase weighs once', () => {
    const { categories } = bundled.category;
    for (const [name, evidence] of Object.entries(categories)) {
      for (const [field, phrases] of Object.entries(evidence)) {
        const repeated = phrases.filter((phrase, index) => phrases.indexOf(phrase) !== index);
        expect({ list: `${name}.${field}`, repeated }).toEqual({ list: `${name}.${field}`, repeated: [] });
      }
    }
  });
});
