/**
 * DetectPiiEntities: pattern detectors with checksums, for the entity types a support ticket
 * must never store. Card numbers must pass Luhn and SSNs the SSA's numbering rules, so order
 * numbers and dates are not flagged. Types that are just digits or words without a format of
 * their own (CVV, PIN, password, secret key) are only recognized right after a keyword naming
 * them ("CVV 123", "password: hunter2"); the entity spans the value, not the keyword.
 */
// The layer's own checks: what a card number is, and which words after "password is"
// describe the password rather than being it, are facts about text, not about Comprehend.
import { NOT_A_PASSWORD, passesLuhn } from '../../layers/shared/src/analysis/secret-detectors.js';
import type { Utf16Span } from './offsets.js';

export type PiiType =
  | 'CREDIT_DEBIT_NUMBER'
  | 'CREDIT_DEBIT_CVV'
  | 'SSN'
  | 'EMAIL'
  | 'PHONE'
  | 'PIN'
  | 'PASSWORD'
  | 'AWS_ACCESS_KEY'
  | 'AWS_SECRET_KEY';

export interface PiiSpan extends Utf16Span {
  type: PiiType;
  score: number;
}

interface Detector {
  type: PiiType;
  /** Global, with indices (`d`). The value is capture group 1 when the pattern has one (a cue keyword precedes it), else the whole match. */
  pattern: RegExp;
  /** Length of the entity at the start of the matched value, or undefined to reject it. */
  accept?: (value: string) => number | undefined;
  score: number;
}

/** Earlier detectors win when spans overlap: a card number is not also a phone number. */
const DETECTORS: Detector[] = [
  {
    type: 'AWS_ACCESS_KEY',
    // The AKIA/ASIA… prefix is itself the cue: no other common token has this shape.
    pattern: /(?<![A-Z0-9])(?:AKIA|ASIA|AIDA|AROA|AGPA|ANPA|ANVA|AIPA)[A-Z0-9]{16}(?![A-Z0-9])/dg,
    score: 0.99,
  },
  {
    type: 'AWS_SECRET_KEY',
    pattern:
      /\b(?:aws[_ ]?)?secret(?:[_ ]access)?[_ ]key\b[^A-Za-z0-9/+\n]{0,12}?(?:is\s+)?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/dgi,
    score: 0.99,
  },
  {
    type: 'EMAIL',
    pattern: /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/dgu,
    score: 0.9999,
  },
  {
    type: 'CREDIT_DEBIT_NUMBER',
    // 13–19 digits, optionally grouped by single spaces or hyphens.
    pattern: /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d])/dg,
    accept: longestLuhnValidPrefix,
    score: 0.99,
  },
  {
    type: 'CREDIT_DEBIT_CVV',
    pattern: /\b(?:cvv2?|cvc2?|csc|security code|card verification (?:value|code))\b[^\d\n]{0,15}?(\d{3,4})(?!\d)/dgi,
    score: 0.95,
  },
  {
    type: 'SSN',
    pattern: /(?<![\d-])(?:\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4})(?![\d-])/dg,
    accept: whole(isPlausibleSsn),
    score: 0.99,
  },
  {
    type: 'SSN',
    pattern: /\b(?:ssn|social security(?: number| no\.?)?)\b[^\d\n]{0,15}?(\d{9})(?!\d)/dgi,
    accept: whole(isPlausibleSsn),
    score: 0.95,
  },
  {
    type: 'PIN',
    pattern: /\bpin(?: code| number)?\b[^\d\n]{0,15}?(\d{4,8})(?!\d)/dgi,
    score: 0.9,
  },
  {
    type: 'PASSWORD',
    pattern:
      /\b(?:password|passwd|passcode|passphrase|pwd|contraseña|clave)\b(?:\s+(?:is|was|es|era)\s*:?|\s*[:=])\s*["'“‘]?([^\s"'”’]+)/dgiu,
    accept: whole((value) => !NOT_A_PASSWORD.has(value.toLowerCase())),
    score: 0.9,
  },
  {
    type: 'PHONE',
    // North American numbers: (555) 123-4567, 555-123-4567, +1 555.123.4567, 5551234567.
    pattern: /(?<![\w+])(?:\+?1[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-]?)\d{3}[ .-]?\d{4}(?!\d)/dg,
    score: 0.95,
  },
  {
    type: 'PHONE',
    // International: a leading + and 8–15 digits in groups.
    pattern: /(?<![\w+])\+\d(?:[ .-]?\(?\d+\)?){2,6}(?![\d])/dg,
    accept: whole((value) => countDigits(value) >= 8 && countDigits(value) <= 15),
    score: 0.9,
  },
];

export function detectPii(text: string): PiiSpan[] {
  const found: PiiSpan[] = [];
  // Card-shaped digit runs that fail Luhn still block other detectors, so that part of an
  // invalid card number is not reported as a phone number.
  const claimed: Utf16Span[] = [];

  for (const detector of DETECTORS) {
    for (const match of text.matchAll(detector.pattern)) {
      const group = match.indices?.[1] ?? match.indices?.[0];
      if (!group) continue;
      const [begin, end] = trimValue(text, group[0], group[1]);
      const span = { begin, end };
      if (claimed.some((other) => overlaps(other, span))) continue;
      claimed.push(span);
      const length = detector.accept ? detector.accept(text.slice(begin, end)) : end - begin;
      if (length === undefined) continue;
      found.push({ type: detector.type, begin, end: begin + length, score: detector.score });
    }
  }
  return found.sort((a, b) => a.begin - b.begin);
}

/** Captured values like passwords may swallow the sentence's closing punctuation. */
function trimValue(text: string, begin: number, end: number): [number, number] {
  const trimmed = trimTrailingPunctuation(text.slice(begin, end));
  return [begin, begin + Math.max(1, trimmed.length)];
}

function trimTrailingPunctuation(value: string): string {
  return value.replace(/[.,;:!?)\]}]+$/u, '');
}

function whole(isValid: (value: string) => boolean): (value: string) => number | undefined {
  return (value) => (isValid(value) ? value.length : undefined);
}

/**
 * The digit run may continue past the card number ("4111 1111 1111 1111 123" with the CVV
 * after it), so try every cut at a group boundary, longest first.
 */
function longestLuhnValidPrefix(value: string): number | undefined {
  for (let end = value.length; end > 0; end--) {
    const atBoundary = end === value.length || !/\d/.test(value.charAt(end));
    if (!atBoundary || !/\d/.test(value.charAt(end - 1))) continue;
    const digits = countDigits(value.slice(0, end));
    if (digits >= 13 && digits <= 19 && passesLuhn(value.slice(0, end).replace(/\D/g, ''))) return end;
  }
  return undefined;
}

function overlaps(a: Utf16Span, b: Utf16Span): boolean {
  return a.begin < b.end && b.begin < a.end;
}

function countDigits(value: string): number {
  return value.replace(/\D/g, '').length;
}

/** SSA rules: area 001–899 except 666, group 01–99, serial 0001–9999. */
function isPlausibleSsn(value: string): boolean {
  const digits = value.replace(/\D/g, '');
  const area = Number(digits.slice(0, 3));
  const group = Number(digits.slice(3, 5));
  const serial = Number(digits.slice(5));
  return area > 0 && area !== 666 && area < 900 && group > 0 && serial > 0;
}
