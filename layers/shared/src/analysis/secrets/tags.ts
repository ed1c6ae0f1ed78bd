/** Secrets in an agent's tags, where "-" or "_" after a keyword separates its value. */

import { API_KEY_RULE } from './api-keys.js';
import { AWS_SECRET_KEY_RULE } from './aws-keys.js';
import { BANK_ACCOUNT_RULE, BANK_CODE_RULE, BANK_ROUTING_RULE } from './bank-accounts.js';
import { CVV_RULE, PIN_RULE } from './card-codes.js';
import { tagValueDetector, type KeywordValueRule } from './keyword-values.js';
import { detectTagPasswords } from './passwords.js';
import type { Detector, SecretSpan } from './secret-span.js';
import { SSN_RULE } from './ssns.js';

/**
 * A card's code in a tag is the whole tag: its keyword, "-" or "_", and
 * digits as many as the code has ("pin-4821", "cvv_123"). A tag with more
 * ("customer-pin-4821-batch") or a year after the keyword ("pin-2024", a
 * pinned item of that year) is kept: labels name such things far more often
 * than agents write a card's code into one.
 */
const wholeCodeTag = (rule: KeywordValueRule, digits: string): KeywordValueRule => ({
  ...rule,
  opening: '',
  value: `[0-9]{${digits}}`,
  accept: (value, _afterWord, match) =>
    (match.index === 0 || match.input.charAt(match.index - 1) === '\n') &&
    /^(?:\n|$)/.test(match.input.slice(match.index + match[0].length)) &&
    !/^(?:19|20)[0-9]{2}$/.test(value),
});

/**
 * In tags, "-" or "_" after a keyword separates its value as ":" does in the
 * text, for every keyword rule: "ssn-123-45-6789" goes as "password-hunter2"
 * does. A password's tag has rules of its own (detectTagPasswords), since a
 * word may follow its keyword ("password-reset").
 */
const TAG_DETECTORS: readonly Detector[] = [
  wholeCodeTag(CVV_RULE, '3,4'),
  wholeCodeTag(PIN_RULE, '4,8'),
  SSN_RULE,
  BANK_ACCOUNT_RULE,
  BANK_ROUTING_RULE,
  BANK_CODE_RULE,
  AWS_SECRET_KEY_RULE,
  API_KEY_RULE,
].map(tagValueDetector);

/** The secrets in `text` from `tagsStart` on, where the tags stand one a line. */
export function detectTagSecrets(text: string, tagsStart: number): SecretSpan[] {
  if (tagsStart >= text.length) return [];
  const tags = text.slice(tagsStart);
  const inTags = TAG_DETECTORS.flatMap((detect) => detect(tags)).map((span) => ({
    type: span.type,
    start: span.start + tagsStart,
    end: span.end + tagsStart,
  }));
  return [...detectTagPasswords(text, tagsStart), ...inTags];
}
