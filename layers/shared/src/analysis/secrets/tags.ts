/** Secrets in an agent's tags, where "-" or "_" after a keyword separates its value. */

import { API_KEY_RULE } from './api-keys.js';
import { AWS_SECRET_KEY_RULE } from './aws-keys.js';
import { BANK_ACCOUNT_RULE, BANK_CODE_RULE, BANK_ROUTING_RULE } from './bank-accounts.js';
import { CVV_RULE, PIN_RULE } from './card-codes.js';
import { tagValueDetector } from './keyword-values.js';
import { detectTagPasswords } from './passwords.js';
import type { Detector, SecretSpan } from './secret-span.js';
import { SSN_RULE } from './ssns.js';

/**
 * In tags, "-" or "_" after a keyword separates its value as ":" does in the
 * text, for every keyword rule: "pin-4821" goes as "password-hunter2" does.
 * A password's tag has rules of its own (detectTagPasswords), since a word
 * may follow its keyword ("password-reset").
 */
const TAG_DETECTORS: readonly Detector[] = [
  CVV_RULE,
  PIN_RULE,
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
