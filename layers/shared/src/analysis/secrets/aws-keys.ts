/** AWS credentials: access key ids, and secret access keys standing alone or after a keyword. */

import { keywordValueDetector, type KeywordValueRule } from './keyword-values.js';
import type { SecretSpan } from './secret-span.js';

/**
 * Access key ids of users (AKIA) and temporary credentials (ASIA): in any
 * case and in groups when they stand alone, and as written (upper case) when
 * glued to a word ("keyAKIA…").
 */
const AWS_ACCESS_KEY_IDS = [
  /(?<![A-Za-z0-9])(?:AKIA|ASIA)(?:[\s./_–-]{0,3}[A-Z0-9]){16}(?![A-Za-z0-9])/gi,
  /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g,
];

export function detectAwsAccessKeys(text: string): SecretSpan[] {
  return AWS_ACCESS_KEY_IDS.flatMap((pattern) =>
    [...text.matchAll(pattern)].map((match) => ({
      type: 'AWS_ACCESS_KEY' as const,
      start: match.index,
      end: match.index + match[0].length,
    })),
  );
}

/**
 * A secret access key is 40 characters of base64's alphabet. Standing alone,
 * a token that long with upper case, lower case and digits is a key, unless
 * it reads as words ("src/components/UserProfile/Avatar2/index",
 * "getUserAccountPreferencesForRegion2Async"):
 * a git hash is lower-case hex, and a random key rarely splits into
 * camel-case segments with the vowels of words.
 */
const AWS_SECRET_KEY_SHAPE = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/g;
const WORDLIKE_SEGMENT = /^(?:[A-Za-z][a-z0-9]*(?:[A-Z][a-z0-9]+)*)?$/;

/**
 * Words have vowels (about two letters in five, against one in five in random
 * base64), and a path's digits are few and end its names ("Avatar2"), where
 * a key's are scattered.
 */
function readsAsWords(token: string): boolean {
  const letters = token.replace(/[^A-Za-z]/g, '');
  const vowels = letters.replace(/[^aeiouAEIOU]/g, '');
  const digits = token.replace(/[^0-9]/g, '');
  return letters.length > 0 && vowels.length / letters.length >= 0.3 && digits.length <= 3 && !/[0-9][a-z]/.test(token);
}

export function detectBareAwsSecretKeys(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const match of text.matchAll(AWS_SECRET_KEY_SHAPE)) {
    const key = match[0];
    const mixed = /[A-Z]/.test(key) && /[a-z]/.test(key) && /[0-9]/.test(key);
    const words = key.split('/').every((segment) => WORDLIKE_SEGMENT.test(segment)) && readsAsWords(key);
    if (mixed && !words) spans.push({ type: 'AWS_SECRET_KEY', start: match.index, end: match.index + key.length });
  }
  return spans;
}

export const AWS_SECRET_KEY_RULE: KeywordValueRule = {
  type: 'AWS_SECRET_KEY',
  keywords: 'aws_secret_access_key|secret[ _-]?access[ _-]?key|secret[ _-]?key|secret',
  settingName: true,
  opening: `["'\`]?`,
  value: '[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])',
};

export const detectKeywordAwsSecretKeys = keywordValueDetector(AWS_SECRET_KEY_RULE);
