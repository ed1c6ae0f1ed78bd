import type { PiiEntity } from '@aws-sdk/client-comprehend';
import type { Redaction } from '../domain/ticket.js';
import type { TicketText } from './ticket-analyzer.js';
import { codePointToUtf16Index } from './utf8.js';

/**
 * PII that must never be stored: whoever holds it can spend money, reach
 * accounts or impersonate the customer. Other kinds Comprehend finds (names,
 * e-mail addresses, phone numbers) are what agents need to help, and stay.
 * In precedence order: when two detectors disagree about the same span, the
 * earlier type names it.
 */
export const NEVER_STORED_PII_TYPES = [
  'AWS_SECRET_KEY',
  'AWS_ACCESS_KEY',
  'PASSWORD',
  'CREDIT_DEBIT_NUMBER',
  'CREDIT_DEBIT_CVV',
  'INTERNATIONAL_BANK_ACCOUNT_NUMBER',
  'BANK_ACCOUNT_NUMBER',
  'BANK_ROUTING',
  'SSN',
  'PIN',
] as const;
export type NeverStoredPiiType = (typeof NEVER_STORED_PII_TYPES)[number];

/** A stretch of text to redact, as UTF-16 indices (`end` exclusive). */
export interface PiiSpan {
  type: NeverStoredPiiType;
  start: number;
  end: number;
}

/** Subject and description are analysed as one text, so one call covers both. */
export const ANALYSIS_TEXT_SEPARATOR = '\n\n';

export function joinAnalysisText({ subject, description }: TicketText): string {
  return subject + ANALYSIS_TEXT_SEPARATOR + description;
}

export const redactionMarker = (type: NeverStoredPiiType): string => `[REDACTED:${type}]`;

// ---------------------------------------------------------------------------
// The gate in front of the paid DetectPiiEntities call
// ---------------------------------------------------------------------------

/**
 * Every kind in NEVER_STORED_PII_TYPES is either a run of at least three digits
 * (card, CVV, bank account, routing number, IBAN, SSN, PIN; spaces or dashes
 * may separate them), a long key-like
 * token (an AWS access key id is 20 characters, a secret key 40), or a
 * password, which Comprehend recognises only by a word such as "password"
 * next to it. Text with none of these cannot hold a must-never-store entity,
 * so asking Comprehend could not change what is stored: the call is skipped.
 */
const SECRET_HINT =
  /\d(?:[ -]?\d){2,}|(?<!\p{L})(?:pass|pwd|contrase|clave|mot de passe|kennwort|secret|credential|credencial|identifiant)|[A-Za-z0-9/+=_-]{20,}/iu;

export function mayContainSecrets(text: string): boolean {
  return SECRET_HINT.test(text);
}

// ---------------------------------------------------------------------------
// Local detectors: free, and still working when Comprehend is down.
// Keywords cover English plus Spanish, French and German basics; Comprehend's
// own PII detection only knows English and Spanish.
// ---------------------------------------------------------------------------

type Detector = (text: string) => PiiSpan[];

/**
 * Between a keyword and its value: ":", "=", "#", or "is" in its en/es/fr/de
 * forms. Optional before values that are unmistakable on their own (digits
 * after "cvv", a 40-character key after "secret"); required before a password,
 * since any word may be one and "password expiry" must not lose "expiry".
 */
const SEPARATOR = String.raw`[^\S\n]*(?:[:=#]|(?:is|es|est|ist|lautet|was)(?!\p{L})[^\S\n]*:?)[^\S\n]*`;
const OPTIONAL_SEPARATOR = `(?:${SEPARATOR}|[^\\S\\n]*)`;

interface KeywordValueRule {
  type: NeverStoredPiiType;
  keywords: string;
  value: string;
  separatorRequired?: boolean;
  /** Matched between separator and value but left in place, like an opening quote. */
  opening?: string;
  accept?: (value: string) => boolean;
}

/** Builds a detector for "<keyword> <separator> <value>"; only the value is redacted. */
function keywordValueDetector(rule: KeywordValueRule): Detector {
  const separator = rule.separatorRequired ? SEPARATOR : OPTIONAL_SEPARATOR;
  const source = `(?<!\\p{L})(?:${rule.keywords})(?!\\p{L})${separator}${rule.opening ?? ''}(?<value>${rule.value})`;
  const pattern = new RegExp(source, 'giud');
  const accept = rule.accept ?? (() => true);
  return (text) => {
    const spans: PiiSpan[] = [];
    for (const match of text.matchAll(pattern)) {
      const range = match.indices?.groups?.['value'];
      const found = match.groups?.['value'];
      if (range !== undefined && found !== undefined && accept(found)) {
        spans.push({ type: rule.type, start: range[0], end: range[1] });
      }
    }
    return spans;
  };
}

/** Words that follow "password is" in complaints ("my password is wrong"), not secrets. */
const NOT_A_PASSWORD = new Set([
  'a', 'an', 'the', 'my', 'not', 'no', 'too', 'very', 'still', 'being', 'now', 'also', 'always', 'never',
  'wrong', 'incorrect', 'invalid', 'correct', 'right', 'expired', 'required', 'blank', 'empty', 'missing',
  'reset', 'rejected', 'locked', 'working', 'changed', 'set', 'same', 'different', 'weak', 'strong',
  'short', 'long', 'case-sensitive', 'forgotten', 'lost', 'ok', 'fine',
  'la', 'el', 'mi', 'muy', 'incorrecta', 'correcta', 'pas', 'le', 'mon', 'trop', 'nicht', 'falsch', 'zu', 'das',
]);

const isPasswordValue = (value: string): boolean =>
  !NOT_A_PASSWORD.has(value.toLowerCase().replace(/[.,;:!?)]+$/, ''));

const detectPasswords = keywordValueDetector({
  type: 'PASSWORD',
  keywords: 'password|passwort|passcode|passwd|passphrase|pwd|contraseña|contrasena|mot de passe|kennwort',
  separatorRequired: true,
  value: String.raw`"[^"\n]+"|'[^'\n]+'|` + '`[^`\\n]+`' + String.raw`|\S+`,
  accept: isPasswordValue,
});

const detectCvv = keywordValueDetector({
  type: 'CREDIT_DEBIT_CVV',
  keywords:
    'cvv2?|cvc2?|cvn|csc|security code|card verification (?:code|value)|código de seguridad|code de sécurité|cryptogramme|kartenprüfnummer|prüfnummer',
  value: '[0-9]{3,4}(?![0-9])',
});

const detectPin = keywordValueDetector({
  type: 'PIN',
  keywords: String.raw`pin(?:[ -]?(?:code|number|nummer|no\.?))?|código pin|code pin|geheimzahl`,
  value: '[0-9]{4,8}(?![0-9])',
});

const detectAwsSecretKeys = keywordValueDetector({
  type: 'AWS_SECRET_KEY',
  keywords: 'aws_secret_access_key|secret[ _-]?access[ _-]?key|secret[ _-]?key|secret',
  opening: `["'\`]?`,
  value: '[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])',
});

const detectBankRouting = keywordValueDetector({
  type: 'BANK_ROUTING',
  keywords: String.raw`routing(?: number| no\.?|#)?|aba(?: number| no\.?)?|rtn`,
  value: '[0-9]{9}(?![0-9])',
  accept: passesAbaChecksum,
});

const detectBankAccounts = keywordValueDetector({
  type: 'BANK_ACCOUNT_NUMBER',
  keywords: String.raw`bank account(?: number| no\.?)?|checking account(?: number)?|savings account(?: number)?|cuenta bancaria|número de cuenta|numéro de compte|kontonummer`,
  value: '[0-9](?:[ -]?[0-9]){5,16}(?![0-9])',
});

const AWS_ACCESS_KEY_ID = /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g;

function detectAwsAccessKeys(text: string): PiiSpan[] {
  return [...text.matchAll(AWS_ACCESS_KEY_ID)].map((match) => ({
    type: 'AWS_ACCESS_KEY' as const,
    start: match.index,
    end: match.index + match[0].length,
  }));
}

const SSN_DASHED = /(?<![\p{L}\p{N}-])([0-9]{3})-([0-9]{2})-([0-9]{4})(?![\p{L}\p{N}]|-[0-9])/gu;

function detectSsns(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const match of text.matchAll(SSN_DASHED)) {
    if (isIssuableSsn(match[1] ?? '', match[2] ?? '', match[3] ?? '')) {
      spans.push({ type: 'SSN', start: match.index, end: match.index + match[0].length });
    }
  }
  return spans;
}

/** Area 000, 666 and 900–999, group 00 and serial 0000 are never issued. */
function isIssuableSsn(area: string, group: string, serial: string): boolean {
  const areaNumber = Number(area);
  return areaNumber !== 0 && areaNumber !== 666 && areaNumber < 900 && group !== '00' && serial !== '0000';
}

/** Runs of digit groups separated by one space or dash, the ways people write card numbers. */
const DIGIT_GROUP_RUN = /(?<![\p{L}\p{N}])[0-9]+(?:[ -][0-9]+)*(?![\p{L}\p{N}])/gu;
const CARD_MIN_DIGITS = 13;
const CARD_MAX_DIGITS = 19;

function detectCardNumbers(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const run of text.matchAll(DIGIT_GROUP_RUN)) {
    const groups = digitGroups(run[0], run.index);
    spans.push(...cardNumbersIn(groups));
  }
  return spans;
}

interface DigitGroup {
  digits: string;
  start: number;
  end: number;
}

function digitGroups(run: string, offset: number): DigitGroup[] {
  return [...run.matchAll(/[0-9]+/g)].map((group) => ({
    digits: group[0],
    start: offset + group.index,
    end: offset + group.index + group[0].length,
  }));
}

/**
 * A run may hold a card next to other numbers ("order 12 4111 1111 1111 1111"):
 * every window of whole groups with 13–19 digits is a candidate, the longest
 * Luhn-valid window from the leftmost start wins, and the search goes on after it.
 */
function cardNumbersIn(groups: DigitGroup[]): PiiSpan[] {
  const spans: PiiSpan[] = [];
  let first = 0;
  while (first < groups.length) {
    const last = longestCardWindowEnd(groups, first);
    if (last === -1) {
      first += 1;
      continue;
    }
    spans.push({ type: 'CREDIT_DEBIT_NUMBER', start: groups[first]!.start, end: groups[last]!.end });
    first = last + 1;
  }
  return spans;
}

function longestCardWindowEnd(groups: DigitGroup[], first: number): number {
  let digits = '';
  let found = -1;
  for (let last = first; last < groups.length; last++) {
    digits += groups[last]!.digits;
    if (digits.length > CARD_MAX_DIGITS) break;
    if (digits.length >= CARD_MIN_DIGITS && looksLikeCardNumber(digits)) found = last;
  }
  return found;
}

function looksLikeCardNumber(digits: string): boolean {
  // "0000 0000 0000 0000" passes Luhn but is a placeholder, not a card.
  return passesLuhn(digits) && !/^(\d)\1*$/.test(digits);
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let doubled = false;
  for (let index = digits.length - 1; index >= 0; index--) {
    let digit = digits.charCodeAt(index) - 48;
    if (doubled) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    doubled = !doubled;
  }
  return sum % 10 === 0;
}

function passesAbaChecksum(digits: string): boolean {
  const weights = [3, 7, 1, 3, 7, 1, 3, 7, 1];
  const sum = weights.reduce((total, weight, index) => total + weight * (digits.charCodeAt(index) - 48), 0);
  return sum % 10 === 0 && !/^0+$/.test(digits);
}

/** Country code, two check digits, then 11–30 letters or digits, optionally in groups of four. */
const IBAN_CANDIDATE = /(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])/g;
const IBAN_MIN_LENGTH = 15;
const IBAN_MAX_LENGTH = 34;

function detectIbans(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const match of text.matchAll(IBAN_CANDIDATE)) {
    const length = validIbanPrefixLength(match[0]);
    if (length > 0) {
      spans.push({ type: 'INTERNATIONAL_BANK_ACCOUNT_NUMBER', start: match.index, end: match.index + length });
    }
  }
  return spans;
}

/**
 * The candidate may have swallowed an uppercase word after the IBAN
 * ("DE89 3704 0044 0532 0130 00 EUR"): try it whole, then cut at each space
 * from the right. Returns the valid prefix's length, or 0.
 */
function validIbanPrefixLength(candidate: string): number {
  const cuts = [candidate.length];
  for (let index = candidate.lastIndexOf(' '); index > 0; index = candidate.lastIndexOf(' ', index - 1)) {
    cuts.push(index);
  }
  for (const cut of cuts) {
    const compact = candidate.slice(0, cut).replaceAll(' ', '');
    const fits = compact.length >= IBAN_MIN_LENGTH && compact.length <= IBAN_MAX_LENGTH;
    if (fits && passesIbanChecksum(compact)) return cut;
  }
  return 0;
}

/** ISO 13616: move the first four characters to the end, read letters as 10–35, the number mod 97 is 1. */
export function passesIbanChecksum(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const character of rearranged) {
    const value = Number.parseInt(character, 36);
    if (Number.isNaN(value)) return false;
    remainder = (remainder * (value > 9 ? 100 : 10) + value) % 97;
  }
  return remainder === 1;
}

const LOCAL_DETECTORS: readonly Detector[] = [
  detectCardNumbers,
  detectCvv,
  detectIbans,
  detectBankAccounts,
  detectBankRouting,
  detectSsns,
  detectPasswords,
  detectAwsAccessKeys,
  detectAwsSecretKeys,
  detectPin,
];

/** Spans of must-never-store PII that rules alone can find, possibly overlapping. */
export function detectLocalPii(text: string): PiiSpan[] {
  return LOCAL_DETECTORS.flatMap((detect) => detect(text));
}

// ---------------------------------------------------------------------------
// Comprehend's findings
// ---------------------------------------------------------------------------

const NEVER_STORED = new Set<string>(NEVER_STORED_PII_TYPES);

const isNeverStoredType = (type: string | undefined): type is NeverStoredPiiType =>
  type !== undefined && NEVER_STORED.has(type);

/**
 * The must-never-store entities among DetectPiiEntities' answer for `text` (or
 * a prefix of it), with Comprehend's code-point offsets turned into UTF-16
 * indices: an emoji before a card number would otherwise shift the span.
 */
export function comprehendPiiSpans(text: string, entities: readonly PiiEntity[]): PiiSpan[] {
  const toUtf16 = codePointToUtf16Index(text);
  const spans: PiiSpan[] = [];
  for (const { Type, BeginOffset, EndOffset } of entities) {
    if (!isNeverStoredType(Type) || BeginOffset === undefined || EndOffset === undefined) continue;
    const start = toUtf16(BeginOffset);
    const end = toUtf16(EndOffset);
    if (end > start) spans.push({ type: Type, start, end });
  }
  return spans;
}

// ---------------------------------------------------------------------------
// Redaction
// ---------------------------------------------------------------------------

const typePrecedence = (type: NeverStoredPiiType): number => NEVER_STORED_PII_TYPES.indexOf(type);
const spanLength = (span: PiiSpan): number => span.end - span.start;

/**
 * Overlapping spans become one span covering all of them, so no digit of
 * either survives; it is named after its longest member (ties: precedence).
 * Returns sorted, disjoint spans.
 */
export function resolveOverlaps(spans: readonly PiiSpan[]): PiiSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const resolved: PiiSpan[] = [];
  let namer: PiiSpan | undefined;
  for (const span of sorted) {
    const current = resolved.at(-1);
    if (current === undefined || namer === undefined || span.start >= current.end) {
      resolved.push({ ...span });
      namer = span;
      continue;
    }
    current.end = Math.max(current.end, span.end);
    if (namesBetter(span, namer)) {
      namer = span;
      current.type = span.type;
    }
  }
  return resolved;
}

function namesBetter(candidate: PiiSpan, incumbent: PiiSpan): boolean {
  const lengthDifference = spanLength(candidate) - spanLength(incumbent);
  if (lengthDifference !== 0) return lengthDifference > 0;
  return typePrecedence(candidate.type) < typePrecedence(incumbent.type);
}

/** Replaces sorted, disjoint, in-range spans with their markers. */
export function redactText(text: string, spans: readonly PiiSpan[]): string {
  let out = '';
  let cursor = 0;
  for (const span of spans) {
    out += text.slice(cursor, span.start) + redactionMarker(span.type);
    cursor = span.end;
  }
  return out + text.slice(cursor);
}

export interface RedactedTicketText extends TicketText {
  /** Removed spans per type, sorted by type. */
  redactions: Redaction[];
  /** The disjoint spans that were redacted, as indices into the joined analysis text. */
  spans: PiiSpan[];
}

/**
 * Redacts spans found in `joinAnalysisText(text)` from the subject and the
 * description. A span reaching across the separator is clipped to each side
 * (both sides are redacted) and counted once.
 */
export function redactTicketText(text: TicketText, spans: readonly PiiSpan[]): RedactedTicketText {
  const descriptionStart = text.subject.length + ANALYSIS_TEXT_SEPARATOR.length;
  const descriptionEnd = descriptionStart + text.description.length;
  const resolved = resolveOverlaps(spans).filter(
    (span) => span.start < text.subject.length || (span.end > descriptionStart && span.start < descriptionEnd),
  );
  return {
    subject: redactText(text.subject, clipSpans(resolved, 0, text.subject.length)),
    description: redactText(text.description, clipSpans(resolved, descriptionStart, descriptionEnd)),
    redactions: countByType(resolved),
    spans: resolved,
  };
}

/** The parts of `spans` inside [from, to), re-based so that `from` is 0. */
function clipSpans(spans: readonly PiiSpan[], from: number, to: number): PiiSpan[] {
  return spans
    .map((span) => ({ type: span.type, start: Math.max(span.start, from) - from, end: Math.min(span.end, to) - from }))
    .filter((span) => span.end > span.start);
}

function countByType(spans: readonly PiiSpan[]): Redaction[] {
  const counts = new Map<string, number>();
  for (const span of spans) counts.set(span.type, (counts.get(span.type) ?? 0) + 1);
  return [...counts]
    .map(([type, count]) => ({ type, count }))
    .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}
