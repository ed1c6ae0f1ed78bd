/**
 * The on-box floor under redaction: detectors for every kind of secret that
 * must never be stored. They read the normalized analysis view (see
 * analysis-view.ts), so a number written in full-width or Arabic-Indic
 * digits, or with invisible characters between its digits, is found like
 * any other. Comprehend's DetectPiiEntities adds to what they find; it is
 * never the only line. Keywords cover English, Spanish, French, German,
 * Portuguese and Italian, and for passwords, PINs and card codes also the
 * other languages of PASSWORD_LANGUAGES, whatever language Comprehend supports.
 * Each family of detectors has its module in secrets/; this one runs them
 * all, over the view and over its skeleton (secrets/skeleton.ts).
 */

import { detectKeywordApiKeys, detectPrefixedTokens, detectPrivateKeys } from './secrets/api-keys.js';
import { detectAwsAccessKeys, detectBareAwsSecretKeys, detectKeywordAwsSecretKeys } from './secrets/aws-keys.js';
import { detectBankAccounts, detectBankRouting } from './secrets/bank-accounts.js';
import { detectCvv, detectPins } from './secrets/card-codes.js';
import { detectCardNumbers } from './secrets/card-numbers.js';
import { detectIbans } from './secrets/ibans.js';
import { detectPasswords, detectUrlPasswords } from './secrets/passwords.js';
import type { Detector, SecretSpan } from './secrets/secret-span.js';
import { isOwnSkeleton, skeletonOf } from './secrets/skeleton.js';
import { detectKeywordSsns, detectSsns } from './secrets/ssns.js';
import { detectTagSecrets } from './secrets/tags.js';
import { tableSecrets } from './secrets/tables.js';

export { looksLikeCardNumber, passesLuhn } from './secrets/card-numbers.js';
export { passesIbanChecksum } from './secrets/ibans.js';
export { NOT_A_PASSWORD } from './secrets/password-words.js';
export { mayContainSecrets } from './secrets/secret-hint.js';
export { NEVER_STORED_PII_TYPES, type NeverStoredPiiType, type SecretSpan } from './secrets/secret-span.js';

const DETECTORS: readonly Detector[] = [
  detectCardNumbers,
  detectCvv,
  detectIbans,
  detectBankAccounts,
  detectBankRouting,
  detectSsns,
  detectKeywordSsns,
  detectPasswords,
  detectUrlPasswords,
  detectAwsAccessKeys,
  detectKeywordAwsSecretKeys,
  detectBareAwsSecretKeys,
  detectPrefixedTokens,
  detectKeywordApiKeys,
  detectPrivateKeys,
  detectPins,
];

/**
 * Spans of must-never-store secrets in `text` (the analysis view), possibly
 * overlapping. From `tagsStart` on, the text is tags, one a line.
 */
export function detectSecrets(text: string, tagsStart = text.length): SecretSpan[] {
  const spans = detectIn(text, tagsStart);
  if (isOwnSkeleton(text)) return spans;
  const skeleton = skeletonOf(text);
  if (skeleton.text === text) return spans;
  // The skeleton has one unit for each entry of `from`.
  const firstTagUnit = skeleton.from.findIndex((viewStart) => viewStart >= tagsStart);
  const skeletonTagsStart = firstTagUnit === -1 ? skeleton.from.length : firstTagUnit;
  const mapped = detectIn(skeleton.text, skeletonTagsStart).flatMap((span) => {
    // What stands for markup at either end (a cell's end read as ":") is not part of the secret.
    let { start, end } = span;
    while (start < end && skeleton.markup[start]) start++;
    while (end > start && skeleton.markup[end - 1]) end--;
    const viewStart = skeleton.from[start];
    const viewEnd = skeleton.to[end - 1];
    return end > start && viewStart !== undefined && viewEnd !== undefined
      ? [{ type: span.type, start: viewStart, end: viewEnd }]
      : [];
  });
  return [...spans, ...mapped];
}

function detectIn(text: string, tagsStart: number): SecretSpan[] {
  const tables = tableSecrets(text);
  const found = [...DETECTORS.flatMap((detect) => detect(text)), ...detectTagSecrets(text, tagsStart)];
  return [...found, ...tables.spans].filter((span) => !inNames(tables.names, span.start));
}

/** Whether `index` is in one of the (sorted, disjoint) stretches. */
function inNames(names: readonly [number, number][], index: number): boolean {
  let low = 0;
  let high = names.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const stretch = names[middle];
    if (stretch === undefined) return false;
    const [start, end] = stretch;
    if (index < start) high = middle - 1;
    else if (index >= end) low = middle + 1;
    else return true;
  }
  return false;
}
