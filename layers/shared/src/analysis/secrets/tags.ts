/** Secrets in an agent's tags, where "-" or "_" after a keyword separates its value. */

import { API_KEY_RULE } from './api-keys.js';
import { AWS_SECRET_KEY_RULE } from './aws-keys.js';
import { BANK_ACCOUNT_RULE, BANK_CODE_RULE, BANK_ROUTING_RULE } from './bank-accounts.js';
import { CVV_RULE, isYear, PIN_RULE } from './card-codes.js';
import { tagValueDetector, valuesOf, type KeywordValueRule } from './keyword-values.js';
import { detectProseTagPasswords, detectTagPasswords } from './passwords.js';
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
    !isYear(value),
});

/**
 * A card's code glued to its keyword, the whole tag: "pin4821", "CVV737"
 * (a year still stays: "pin2024").
 */
const gluedCodeTag = (rule: KeywordValueRule, digits: string): Detector => {
  const pattern = new RegExp(`(?<![^\n])(?:${rule.keywords})(?<value>[0-9]{${digits}})(?![^\n])`, 'giud');
  return (text) => valuesOf(text, pattern, rule.type, (value) => !isYear(value));
};

/**
 * A tag's form in prose, a token of its own: "see pin-4821", "cvv_737.", with
 * the year a tag keeps ("pin-2024 release" stays). Only "-" or "_" joins the
 * keyword and the digits, and the digits end the token.
 */
const codeToken = (rule: KeywordValueRule, digits: string): Detector => {
  const pattern = new RegExp(
    `(?<![^\\s"'“‘(\\[])(?:${rule.keywords})(?:[-_](?:code|number|nr|no))?[-_](?<value>[0-9]{${digits}})(?=[\\s.,;:!?)\\]"'”’]|$)`,
    'giud',
  );
  return (text) =>
    valuesOf(text, pattern, rule.type, (value, _afterWord, match) => !isYear(value) && !isErrorCode(match));
};

/**
 * A code-like token in capitals right after a word naming an error or an
 * alert is that error's code, as a terminal shows it ("Error PIN-4821
 * appears", "warning: CVV-102"); written otherwise ("error pin-4821") it is
 * still read as a PIN.
 */
const AFTER_AN_ERROR_WORD = /(?:^|[^\p{L}\p{N}])(?:error|err|fault|alarm|warning|alert|status)[^\S\n]*:?[^\S\n]+$/iu;
const isErrorCode = (match: RegExpExecArray): boolean =>
  /^[A-Z]+[-_]/.test(match[0]) &&
  AFTER_AN_ERROR_WORD.test(match.input.slice(Math.max(0, match.index - 16), match.index));

const PROSE_DETECTORS: readonly Detector[] = [codeToken(CVV_RULE, '3,4'), codeToken(PIN_RULE, '4,8')];

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
const GLUED_TAG_DETECTORS: readonly Detector[] = [gluedCodeTag(CVV_RULE, '3,4'), gluedCodeTag(PIN_RULE, '4,8')];

/** The secrets in `text` from `tagsStart` on, where the tags stand one a line. */
export function detectTagSecrets(text: string, tagsStart: number): SecretSpan[] {
  const prose = text.slice(0, tagsStart);
  const inProse = [...PROSE_DETECTORS.flatMap((detect) => detect(prose)), ...detectProseTagPasswords(prose)];
  if (tagsStart >= text.length) return inProse;
  const tags = text.slice(tagsStart);
  const inTags = [...TAG_DETECTORS, ...GLUED_TAG_DETECTORS]
    .flatMap((detect) => detect(tags))
    .map((span) => ({
      type: span.type,
      start: span.start + tagsStart,
      end: span.end + tagsStart,
    }));
  return [...inProse, ...detectTagPasswords(text, tagsStart), ...inTags];
}
