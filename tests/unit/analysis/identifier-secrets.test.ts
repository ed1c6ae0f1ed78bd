import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { secretKindsIn } from '../../../layers/shared/src/analysis/analysis-outcome.js';

describe('secretKindsIn: secrets in an identifier (an assignee id)', () => {
  test.each([
    ['4111111111111111', 'CREDIT_DEBIT_NUMBER'],
    ['user-4111111111111111', 'CREDIT_DEBIT_NUMBER'],
    ['AKIAIOSFODNN7EXAMPLE', 'AWS_ACCESS_KEY'],
    ['password=Hunter2!x', 'PASSWORD'],
    ['pin-4821', 'PIN'],
    ['cvv_123', 'CREDIT_DEBIT_CVV'],
  ])('%p holds a %s', (identifier, kind) => {
    expect(secretKindsIn(identifier)).toContain(kind);
  });

  test.each(['ada', 'agent-ada', 'ada@example.com', 'Google_1234567890', '12345', 'pin-reset', 'pinto-4821'])(
    '%p holds none',
    (identifier) => {
      expect(secretKindsIn(identifier)).toEqual([]);
    },
  );

  test('a Cognito sub (a UUID) is never one, although about one in fifty passes the card checks read across its hyphens', () => {
    // d4d4b814-20d2-4c59-9e30-3035368d7bfd: its digits, hyphens skipped, pass the Luhn check.
    expect(secretKindsIn('d4d4b814-20d2-4c59-9e30-3035368d7bfd')).toEqual([]);
    fc.assert(
      fc.property(fc.uuid(), (sub) => secretKindsIn(sub).length === 0),
      { numRuns: 5000 },
    );
  });
});
