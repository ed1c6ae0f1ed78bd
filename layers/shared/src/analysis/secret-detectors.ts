/**
 * The on-box floor under redaction: detectors for every kind of secret that
 * must never be stored. They read the normalized analysis view (see
 * analysis-view.ts), so a number written in full-width or Arabic-Indic
 * digits, or with invisible characters between its digits, is found like
 * any other. Comprehend's DetectPiiEntities adds to what they find; it is
 * never the only line. Keywords cover English, Spanish, French, German,
 * Portuguese and Italian basics, whatever language Comprehend supports.
 */

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

/** A stretch of the analysis view to redact, as UTF-16 indices (`end` exclusive). */
export interface SecretSpan {
  type: NeverStoredPiiType;
  start: number;
  end: number;
}

type Detector = (text: string) => SecretSpan[];

// ---------------------------------------------------------------------------
// Numbers: card numbers, SSNs, IBANs
// ---------------------------------------------------------------------------

/**
 * What may stand between the digit groups of one number: a run of white
 * space (line breaks included), a run of punctuation and symbols with at most
 * eight visible characters (a comment marker "<!-- -->" is seven), or one letter-like mark ("4111ー1111", "4111 x 1111").
 * So "4111.1111", "4111 - 1111", "4111\n1111" and "4111/1111" all join, while
 * a word ("4111 or 1111") separates. Each alternative consumes its own kind
 * of character, so a long run is split one way only (no backtracking blow-up).
 */
const GROUP_SEPARATOR = String.raw`(?:\s+|(?:\s*[^\p{L}\p{N}\s]){1,8}\s*|\s*\p{L}\s*)`;
/**
 * Letters may touch a number ("card4111…", "ref:4111…x"); digits may not, or
 * the number would be another one. (Every decimal digit of the view is ASCII.)
 */
const DIGIT_GROUP_RUN = new RegExp(String.raw`(?<![0-9])[0-9]+(?:${GROUP_SEPARATOR}[0-9]+)*(?![0-9])`, 'gu');
const CARD_MIN_DIGITS = 13;
const CARD_MAX_DIGITS = 19;

interface DigitGroup {
  digits: string;
  start: number;
  end: number;
  /** A comma or semicolon and white space stand before it, as between the items of a list. */
  listed: boolean;
}

const LIST_SEPARATOR = /[,;]\s/;

function digitGroupRuns(text: string): DigitGroup[][] {
  return [...text.matchAll(DIGIT_GROUP_RUN)].map((run) => {
    const groups: DigitGroup[] = [];
    for (const group of run[0].matchAll(/[0-9]+/g)) {
      const start = run.index + group.index;
      const previous = groups.at(-1);
      groups.push({
        digits: group[0],
        start,
        end: start + group[0].length,
        listed: previous !== undefined && LIST_SEPARATOR.test(text.slice(previous.end, start)),
      });
    }
    return groups;
  });
}

function detectCardNumbers(text: string): SecretSpan[] {
  return digitGroupRuns(text).flatMap(cardNumbersIn);
}

/**
 * A run may hold a card next to other numbers ("order 12 4111 1111 1111 1111"):
 * every window of whole groups with 13–19 digits is a candidate, the longest
 * card-like window from the leftmost start wins, and the search goes on after it.
 */
function cardNumbersIn(groups: DigitGroup[]): SecretSpan[] {
  const spans: SecretSpan[] = [];
  let first = 0;
  while (first < groups.length) {
    const last = longestCardWindowEnd(groups, first);
    // No window from this group is a card when `last` is -1.
    const start = groups[first]?.start;
    const end = groups[last]?.end;
    if (start === undefined || end === undefined) {
      first += 1;
      continue;
    }
    spans.push({ type: 'CREDIT_DEBIT_NUMBER', start, end });
    first = last + 1;
  }
  return spans;
}

/**
 * The items of a list ("ports 26588, 8532, 32494", "$586.17, $873.15") are
 * separate numbers: across a comma or semicolon followed by white space, only
 * a card's own layout joins (groups of four, or American Express's 4-6-5),
 * so "4111, 1111, 1111, 1111" is still a card.
 */
function longestCardWindowEnd(groups: DigitGroup[], first: number): number {
  let digits = '';
  let listed = false;
  let found = -1;
  for (let last = first; last < groups.length; last++) {
    const group = groups[last];
    if (group === undefined) break;
    digits += group.digits;
    listed ||= last > first && group.listed;
    if (digits.length > CARD_MAX_DIGITS) break;
    if (digits.length < CARD_MIN_DIGITS || !looksLikeCardNumber(digits)) continue;
    if (!listed || hasCardLayout(groups.slice(first, last + 1))) found = last;
  }
  return found;
}

function hasCardLayout(groups: readonly DigitGroup[]): boolean {
  const sizes = groups.map((group) => group.digits.length).join('-');
  return /^(?:4-){3,4}[1-4]$/.test(sizes) || sizes === '4-6-5';
}

/**
 * Luhn-valid, with the leading digits of a card network (Mastercard's 2-series
 * and 51–55, American Express, Diners and JCB on 3, Visa on 4, Maestro and
 * Discover on 5 and 6, UnionPay on 62 and 81). The prefix keeps timestamps
 * and long reference numbers that happen to pass Luhn ("2024-05-01 10:30:00")
 * in the text; "0000 0000 0000 0000" is a placeholder, not a card.
 */
export function looksLikeCardNumber(digits: string): boolean {
  return hasCardNetworkPrefix(digits) && passesLuhn(digits) && !/^(\d)\1*$/.test(digits);
}

function hasCardNetworkPrefix(digits: string): boolean {
  const firstFour = Number(digits.slice(0, 4));
  return /^[3-6]/.test(digits) || (firstFour >= 2221 && firstFour <= 2720) || digits.startsWith('81');
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

/** 3-2-4 digits, whatever separates the groups ("123-45-6789", "123 45 6789", "123.45.6789"). */
const SSN_GROUPED = new RegExp(
  String.raw`(?<![\p{L}\p{N}])([0-9]{3})${GROUP_SEPARATOR}([0-9]{2})${GROUP_SEPARATOR}([0-9]{4})(?![\p{L}\p{N}])`,
  'gu',
);

function detectSsns(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const match of text.matchAll(SSN_GROUPED)) {
    const area = match[1];
    const group = match[2];
    const serial = match[3];
    if (area !== undefined && group !== undefined && serial !== undefined && isIssuableSsn(area, group, serial)) {
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

/**
 * Country code, two check digits, then letters and digits, in any case,
 * grouped by spaces or punctuation or not at all, and possibly glued to the
 * word "iban" before it or to what follows ("ibanDE89…", "…3000EUR").
 */
const IBAN_CANDIDATE =
  /(?:(?<![A-Za-z0-9])|(?<=[iI][bB][aA][nN]))[A-Za-z]{2}(?:[\s./_:,·|–—-]{1,4})?[0-9]{2}(?:(?:[\s./_:,·|–—-]{1,4})?[A-Za-z0-9]){11,40}/g;
/** IBAN length by country (ISO 13616 registry): a candidate is checked at its country's length only. */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HN: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

function detectIbans(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  IBAN_CANDIDATE.lastIndex = 0;
  for (let match = IBAN_CANDIDATE.exec(text); match !== null; match = IBAN_CANDIDATE.exec(text)) {
    const length = longestValidIban(match[0]);
    if (length > 0) {
      spans.push({ type: 'INTERNATIONAL_BANK_ACCOUNT_NUMBER', start: match.index, end: match.index + length });
      IBAN_CANDIDATE.lastIndex = match.index + length;
    } else {
      // The candidate may have started inside a word; the next position may start the real one.
      IBAN_CANDIDATE.lastIndex = match.index + 1;
    }
  }
  return spans;
}

/**
 * The candidate may run on into what follows the IBAN ("DE89 3704 0044 0532
 * 0130 00 EUR"): its first letters and digits, as many as its country's IBAN
 * has, must pass the checksum. Returns their length in the candidate, or 0.
 */
function longestValidIban(candidate: string): number {
  const ends: number[] = [];
  let compact = '';
  for (let index = 0; index < candidate.length; index++) {
    const character = candidate.charAt(index);
    if (!/[A-Za-z0-9]/.test(character)) continue;
    compact += character.toUpperCase();
    ends.push(index + 1);
  }
  const length = IBAN_LENGTHS[compact.slice(0, 2)];
  if (length === undefined || compact.length < length) return 0;
  return passesIbanChecksum(compact.slice(0, length)) ? (ends[length - 1] ?? 0) : 0;
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

// ---------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------

/**
 * Access key ids of users (AKIA) and temporary credentials (ASIA): in any
 * case and in groups when they stand alone, and as written (upper case) when
 * glued to a word ("keyAKIA…").
 */
const AWS_ACCESS_KEY_IDS = [
  /(?<![A-Za-z0-9])(?:AKIA|ASIA)(?:[\s./_–-]{0,3}[A-Z0-9]){16}(?![A-Za-z0-9])/gi,
  /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g,
];

function detectAwsAccessKeys(text: string): SecretSpan[] {
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

function detectBareAwsSecretKeys(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const match of text.matchAll(AWS_SECRET_KEY_SHAPE)) {
    const key = match[0];
    const mixed = /[A-Z]/.test(key) && /[a-z]/.test(key) && /[0-9]/.test(key);
    const words = key.split('/').every((segment) => WORDLIKE_SEGMENT.test(segment)) && readsAsWords(key);
    if (mixed && !words) spans.push({ type: 'AWS_SECRET_KEY', start: match.index, end: match.index + key.length });
  }
  return spans;
}

// ---------------------------------------------------------------------------
// "<keyword> <separator> <value>"
// ---------------------------------------------------------------------------

/**
 * Between a keyword and its value: ":", "=", "#", ">" (a markup tag), an
 * arrow, a dash between spaces, "is" in the languages covered, or a tab (the
 * next cell of a table pasted from a spreadsheet or a form, read like ":":
 * whatever word follows is the value); a closing
 * quote may come first (`"password": "…"`) and the value may start on the
 * next line. Optional before values that are unmistakable on their own (digits
 * after "cvv", a 40-character key after "secret"); required before a password,
 * since any word may be one and "password expiry" must not lose "expiry".
 * Each run of spaces can be matched one way only, so a keyword followed by
 * thousands of spaces costs linear time.
 */
const SPACES = String.raw`[^\S\n]*`;
const SEPARATOR =
  `(?:${SPACES}(?:(?:["'\`“”«»‘’]${SPACES})?(?:[:=#>|→⇒∶꞉]|#:|->|=>|[-–—](?=[^\\S\\n]))|(?<word>is|es|est|ist|lautet|was|é|è|era|war|は)(?![A-Za-z])(?:${SPACES}:)?)` +
  `|[^\\S\\n\\t]*\\t)(?:${SPACES}\\n){0,2}${SPACES}`;
/**
 * What may follow a keyword (and its plural) before its separator: a noun
 * ("CVV code", "PIN number", "SSN#"), or a short aside in brackets ("PIN (4 digits)").
 */
const KEYWORD_TAIL = String.raw`(?:[ -]?(?:code|number|num|no\.?|nr\.?|#))?(?:[^\S\n]*[(\[][^()\[\]\n]{1,30}[)\]])?`;
const OPTIONAL_SEPARATOR = `(?:${SEPARATOR}|${SPACES})`;
/** Keywords are whole words in Latin script; keywords in other scripts need no such edge ("私のパスワード"). */
const KEYWORD_START = String.raw`(?<![A-Za-z0-9\u00C0-\u024F])`;
const KEYWORD_END = String.raw`(?![A-Za-z0-9\u00C0-\u024F])`;

interface KeywordValueRule {
  type: NeverStoredPiiType;
  keywords: string;
  /** The keywords that name a column of a table (see tableSecrets); by default `keywords`. */
  columnKeywords?: string;
  /** Keywords that may also end a longer word in camel case or run together ("dbPassword", "adminpassword"). */
  gluedKeywords?: string;
  value: string;
  separatorRequired?: boolean;
  /** Matched between separator and value but left in place, like an opening quote. */
  opening?: string;
  /**
   * `afterWord`: the separator was a word ("is"), after which a description
   * may follow instead of a value ("password is wrong").
   */
  accept?: (value: string, afterWord: boolean) => boolean;
}

/**
 * Tags that break a line or end a block where a browser renders them: the
 * text on either side is not one word. (Inline tags such as <b> may split a
 * secret, and stay inside what is redacted.)
 */
const BREAKING_TAG_NAMES = 'br|p|div|li|ul|ol|tr|td|th|table|thead|tbody|dt|dd|hr|h[1-6]|pre|blockquote|label';
const BREAKING_TAG = new RegExp(String.raw`^<\/?(?:${BREAKING_TAG_NAMES})(?![A-Za-z0-9])[^<>\n]{0,64}>`, 'i');
const TAG_AT_END = /<\/?[A-Za-z][^<>\n]{0,64}>$/;

/**
 * A value as far as the secret goes: markup tags at either end of it
 * ("Password:<br>S3cr3t!x", "<code>S3cr3t!x") and whatever follows a line
 * break tag inside it stay in the text. A value that is nothing but a tag
 * ("password: <hunter2>") is kept whole. Linear in the value's length.
 */
function withoutMarkupAtEdges(text: string, start: number, end: number): [number, number] {
  const value = text.slice(start, end);
  if (!value.includes('<')) return [start, end];
  let from = 0;
  let to = value.length;
  while (from < to && value[from] === '<') {
    MARKUP.lastIndex = from;
    const tag = MARKUP.exec(value);
    if (tag === null) break;
    from += tag[0].length;
  }
  for (let index = value.indexOf('<', from + 1); index !== -1 && index < to; index = value.indexOf('<', index + 1)) {
    if (BREAKING_TAG.test(value.slice(index, index + 80))) to = index;
  }
  for (let tag = TAG_AT_END.exec(value.slice(Math.max(from, to - 80), to)); tag !== null && to > from;) {
    to -= tag[0].length;
    tag = TAG_AT_END.exec(value.slice(Math.max(from, to - 80), to));
  }
  return /[\p{L}\p{N}]/u.test(value.slice(from, to)) ? [start + from, start + to] : [start, end];
}

/** A keyword of `keywords` as a whole word (or glued to the end of a longer one), and its plural. */
const keywordPattern = (keywords: string, gluedKeywords?: string): string =>
  (gluedKeywords
    ? `(?:${KEYWORD_START}(?:${keywords})|(?<=[A-Za-z])(?:${gluedKeywords}))`
    : `${KEYWORD_START}(?:${keywords})`) + `s?${KEYWORD_END}`;

/**
 * Runs `pattern` (global, with indices, a `value` group and possibly a
 * `word` group for a separator that is a word) and keeps the values `accept`
 * takes, without markup at their edges.
 */
function valuesOf(
  text: string,
  pattern: RegExp,
  type: NeverStoredPiiType,
  accept: (value: string, afterWord: boolean, match: RegExpExecArray) => boolean,
): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const match of text.matchAll(pattern)) {
    const range = match.indices?.groups?.value;
    const found = match.groups?.value;
    if (range === undefined || found === undefined || !accept(found, match.groups?.word !== undefined, match)) continue;
    const [start, end] = withoutMarkupAtEdges(text, range[0], range[1]);
    spans.push({ type, start, end });
  }
  return spans;
}

/** Builds a detector for "<keyword> <separator> <value>"; only the value is redacted. */
function keywordValueDetector(rule: KeywordValueRule): Detector {
  const separator = rule.separatorRequired ? SEPARATOR : OPTIONAL_SEPARATOR;
  const source = `${keywordPattern(rule.keywords, rule.gluedKeywords)}${KEYWORD_TAIL}${separator}${rule.opening ?? ''}(?<value>${rule.value})`;
  const pattern = new RegExp(source, 'giud');
  const accept = rule.accept ?? (() => true);
  return (text) => valuesOf(text, pattern, rule.type, accept);
}

/** Words that follow "password is" in complaints ("my password is wrong"), not secrets. */
export const NOT_A_PASSWORD: ReadonlySet<string> = new Set([
  'a',
  'an',
  'the',
  'my',
  'not',
  'no',
  'too',
  'very',
  'still',
  'being',
  'now',
  'also',
  'always',
  'never',
  'wrong',
  'incorrect',
  'invalid',
  'correct',
  'right',
  'expired',
  'required',
  'blank',
  'empty',
  'missing',
  'reset',
  'rejected',
  'locked',
  'working',
  'changed',
  'set',
  'same',
  'different',
  'weak',
  'strong',
  'short',
  'long',
  'case-sensitive',
  'forgotten',
  'lost',
  'ok',
  'fine',
  'and',
  'or',
  'for',
  'of',
  'to',
  'something',
  'anything',
  'this',
  'that',
  'it',
  'one',
  'what',
  'whatever',
  'your',
  'his',
  'her',
  'their',
  'our',
  'you',
  'me',
  'him',
  'them',
  'us',
  'be',
  'expire',
  'match',
  'la',
  'el',
  'mi',
  'muy',
  'incorrecta',
  'correcta',
  'pas',
  'le',
  'mon',
  'trop',
  'nicht',
  'falsch',
  'zu',
  'das',
  'mein',
  'minha',
  'errada',
  'incorreta',
  'sbagliata',
  'non',
  'il',
  'mia',
]);

/**
 * Words that, right after a password keyword, make the phrase about something
 * else ("password reset link: …", "password-manager", "Password policy: 8 characters"),
 * or complain about the password ("the password I use is wrong").
 */
const ABOUT_THE_PASSWORD = new Set([
  'reset',
  'resets',
  'change',
  'changes',
  'changed',
  'expiry',
  'expiration',
  'expire',
  'expires',
  'expired',
  'policy',
  'policies',
  'requirement',
  'requirements',
  'rule',
  'rules',
  'length',
  'field',
  'fields',
  'manager',
  'hint',
  'hints',
  'date',
  'link',
  'links',
  'page',
  'form',
  'prompt',
  'box',
  'status',
  'strength',
  'history',
  'recovery',
  'recover',
  'update',
  'updates',
  'screen',
  'dialog',
  'message',
  'error',
  'errors',
  'check',
  'complexity',
  'limit',
  'attempt',
  'attempts',
  'button',
  'settings',
  'setting',
  'option',
  'options',
  'section',
  'menu',
  'issue',
  'issues',
  'problem',
  'problems',
  'help',
  'protection',
  'protected',
  'generator',
  'less',
  'login',
  'sync',
  'vault',
  'file',
  'list',
  'entry',
  'request',
  'requests',
  'email',
  'mail',
  'notification',
  'support',
  'question',
  'questions',
  'flow',
  'feature',
  'bug',
  'fail',
  'failure',
  'failures',
  'mismatch',
  'input',
  'security',
  'auth',
  'authentication',
  'hash',
  'encryption',
  'template',
  'rotation',
  'lockout',
  'retry',
  'retries',
  'tips',
  'guide',
  'docs',
  'portal',
  'sso',
  'mfa',
  'otp',
  'not',
  'no',
  'never',
  'wrong',
  'incorrect',
  'invalid',
  'rejected',
  'locked',
  'missing',
  'forgotten',
  'lost',
  'still',
  'keeps',
  'does',
  "doesn't",
  'doesn’t',
  'did',
  "didn't",
  'didn’t',
  "isn't",
  'isn’t',
  'was',
  "wasn't",
  'wasn’t',
  'will',
  "won't",
  'won’t',
  'can',
  "can't",
  'can’t',
  'cannot',
  'should',
  'must',
  'needs',
  'need',
]);

/**
 * After "is", a plain word ending like a verb ("expiring", "changed") or one
 * of NOT_A_PASSWORD describes the password; after ":" or "=" anything is one.
 * A value is never punctuation alone ("**Password:** …").
 */
const isPasswordValue = (value: string, afterWord: boolean): boolean => {
  if (!/[\p{L}\p{N}]/u.test(value)) return false;
  if (!afterWord) return true;
  const word = value.toLowerCase().replace(/[.,;:!?)]+$/, '');
  return !NOT_A_PASSWORD.has(word) && !/^[a-z]+(?:ing|ed)$/.test(word);
};

/** A digit or a symbol among the letters: read as a password, not as a word ("Hunter2024", not "however"). */
const looksLikePassword = (value: string): boolean =>
  /[\p{L}\p{N}]/u.test(value) && /[^\p{L}\p{M}\s]/u.test(value.replace(/[.,;:!?)]+$/, ''));

const PASSWORD_KEYWORDS = [
  'password',
  'passwort',
  'passcode',
  'passwd',
  'passphrase',
  'pwd',
  'pw',
  'pass',
  'pswd',
  'contraseña',
  'contrasena',
  'clave',
  'mot de passe',
  'mdp',
  'kennwort',
  'senha',
  'palavra-passe',
  "parola d['’]ordine",
  'wachtwoord',
  'lösenord',
  'adgangskode',
  'passord',
  'salasana',
  'hasło',
  'heslo',
  'jelszó',
  'şifre',
  'parola',
  'parolă',
  'mật khẩu',
  'kata sandi',
  'pass-word',
  'mot-de-passe',
  'пароль',
  'κωδικός',
  'كلمة المرور',
  'كلمة السر',
  'סיסמה',
  'पासवर्ड',
  'รหัสผ่าน',
  'パスワード',
  '密码',
  '密碼',
  '비밀번호',
].join('|');

/**
 * The keywords where "pass" would mostly be something else: a verb ("pass it
 * on to …: …") or a column of test results ("Test<TAB>Pass").
 */
const PASSWORD_WORDS = PASSWORD_KEYWORDS.split('|')
  .filter((keyword) => keyword !== 'pass')
  .join('|');
const GLUED_PASSWORD_KEYWORDS = 'password|passwd|passwort';
// Quoted, up to the closing quote; unquoted, up to white space or the end of a cell, a line or a block.
const PASSWORD_VALUE =
  String.raw`"[^"\n]+"|'[^'\n]+'|` + '`[^`\\n]+`' + String.raw`|(?:(?!<\/(?:${BREAKING_TAG_NAMES})(?![A-Za-z0-9]))\S)+`;

const PASSWORD_RULE: KeywordValueRule = {
  type: 'PASSWORD',
  keywords: PASSWORD_KEYWORDS,
  columnKeywords: PASSWORD_WORDS,
  gluedKeywords: GLUED_PASSWORD_KEYWORDS,
  separatorRequired: true,
  value: PASSWORD_VALUE,
  accept: isPasswordValue,
};

const SEPARATOR_WORDS = 'is|es|est|ist|lautet|was|é|è|era|war';
/** One to three short words, none of them a separator word. */
const SHORT_WORDS = String.raw`(?:[^\S\n]+(?!(?:${SEPARATOR_WORDS})(?![\p{L}\p{M}'’]))[\p{L}'’]{1,12}(?![\p{L}\p{M}'’])){1,3}`;
/**
 * A password keyword, up to three short words, then a separator: "the
 * password I use is: Hunter2024". A word alone is too weak a separator there
 * ("password before realising it was fraudulent"): "is" needs its colon, and
 * the value is then checked as after "password is"; after ":" or "=" alone it
 * must also read as a password (a digit or a symbol), since "Password reset
 * status: done" names no password. No word between may make the phrase about
 * something else (ABOUT_THE_PASSWORD, "that", "which").
 */
const PASSWORD_AFTER_WORDS = new RegExp(
  `${keywordPattern(PASSWORD_WORDS, GLUED_PASSWORD_KEYWORDS)}(?<between>${SHORT_WORDS})${SEPARATOR}(?<value>${PASSWORD_VALUE})`,
  'giud',
);
const RELATIVE_WORDS = new Set([
  'that',
  'which',
  'who',
  'whose',
  'where',
  'when',
  'while',
  'before',
  'after',
  'and',
  'or',
  'but',
  'this',
  'it',
]);
const acceptAfterWords = (value: string, afterWord: boolean, match: RegExpExecArray): boolean => {
  const between = (match.groups?.between ?? '').trim().toLowerCase().split(/\s+/);
  if (between.some((word) => ABOUT_THE_PASSWORD.has(word) || RELATIVE_WORDS.has(word))) return false;
  const betweenEnd = match.indices?.groups?.between?.[1] ?? match.index;
  const valueStart = match.indices?.groups?.value?.[0] ?? betweenEnd;
  const separator = match[0].slice(betweenEnd - match.index, valueStart - match.index);
  if (afterWord && !separator.includes(':')) return false;
  return isPasswordValue(value, true) && (afterWord || looksLikePassword(value));
};

/**
 * "set / change / reset / update" and up to three short words before a
 * keyword, then "to": "I set my password to hunter2". What follows "to" is
 * as often a verb ("reset your password to continue"), so the value must
 * read as a password (a digit or a symbol) or be quoted.
 */
const SET_TO = String.raw`(?<![\p{L}\p{N}])(?:set|sets|setting|change[sd]?|changing|reset(?:s|ting)?|update[sd]?|updating)(?:[^\S\n]+[\p{L}'’-]{1,15}){0,3}?[^\S\n]+`;
const TO = String.raw`(?:[^\S\n]+back)?[^\S\n]+to[^\S\n]+`;
const PASSWORD_SET_TO = new RegExp(
  `${SET_TO}(?:${PASSWORD_WORDS})s?${KEYWORD_END}${TO}(?<value>${PASSWORD_VALUE})`,
  'giud',
);

/** A password set off by commas: "my new password, Hunter2024, does not work"; it must read as a password. */
const PASSWORD_BETWEEN_COMMAS = new RegExp(
  `${keywordPattern(PASSWORD_WORDS, GLUED_PASSWORD_KEYWORDS)}[^\\S\\n]*,[^\\S\\n]+(?<value>[^\\s,]+),`,
  'giud',
);

const detectKeywordPasswords = keywordValueDetector(PASSWORD_RULE);

function detectPasswords(text: string): SecretSpan[] {
  return [
    ...detectKeywordPasswords(text),
    ...valuesOf(text, PASSWORD_AFTER_WORDS, 'PASSWORD', acceptAfterWords),
    ...valuesOf(
      text,
      PASSWORD_SET_TO,
      'PASSWORD',
      (value) => isPasswordValue(value, true) && (looksLikePassword(value) || /^["'`]/.test(value)),
    ),
    ...valuesOf(
      text,
      PASSWORD_BETWEEN_COMMAS,
      'PASSWORD',
      (value) => looksLikePassword(value) && isPasswordValue(value, true),
    ),
  ];
}

/**
 * In a tag, "-" or "_" right after a password keyword separates it from its
 * value ("password-hunter2"); what follows is read as after "is", and a tag
 * about the password ("password-reset", "password-expired",
 * "password-manager") is kept.
 */
const TAG_PASSWORD = new RegExp(`${keywordPattern(PASSWORD_WORDS, GLUED_PASSWORD_KEYWORDS)}[-_](?<value>\\S+)`, 'giud');
const acceptTagPassword = (value: string): boolean => {
  const [head = ''] = value.split(/[-_]/, 1);
  const first = head.toLowerCase();
  return isPasswordValue(value, true) && isPasswordValue(first, true) && !ABOUT_THE_PASSWORD.has(first);
};

function detectTagPasswords(text: string, tagsStart: number): SecretSpan[] {
  if (tagsStart >= text.length) return [];
  return valuesOf(text.slice(tagsStart), TAG_PASSWORD, 'PASSWORD', acceptTagPassword).map((span) => ({
    type: span.type,
    start: span.start + tagsStart,
    end: span.end + tagsStart,
  }));
}

/** The password of credentials written into a URL: scheme://user:password@host. */
const URL_CREDENTIALS =
  /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/[^\s:/@]{1,256}:(?<value>[^\s@/]{1,256})@/dg;

function detectUrlPasswords(text: string): SecretSpan[] {
  return [...text.matchAll(URL_CREDENTIALS)].flatMap((match) => {
    const range = match.indices?.groups?.value;
    return range ? [{ type: 'PASSWORD' as const, start: range[0], end: range[1] }] : [];
  });
}

const CVV_RULE: KeywordValueRule = {
  type: 'CREDIT_DEBIT_CVV',
  keywords:
    'cvv2?|cvc2?|cvn|csc|cid|security code|card verification (?:code|value|number)|sicherheitscode|código de seguridad|código de segurança|code de sécurité|cryptogramme|kartenprüfnummer|prüfnummer|codice di sicurezza',
  // As a column's name, "CID" is as often a customer's id.
  columnKeywords:
    'cvv2?|cvc2?|cvn|csc|security code|card verification (?:code|value|number)|sicherheitscode|código de seguridad|código de segurança|code de sécurité|cryptogramme|kartenprüfnummer|prüfnummer|codice di sicurezza',
  opening: '#?',
  value: '[0-9](?:[ .-]?[0-9]){2,3}(?![0-9])',
};

const PIN_RULE: KeywordValueRule = {
  type: 'PIN',
  keywords: String.raw`pin(?:[ -]?(?:code|number|nummer|no\.?))?|código pin|code pin|geheimzahl|senha do cartão|codice pin`,
  opening: '#?',
  value: '[0-9](?:[ .-]?[0-9]){3,7}(?![0-9])',
};

const AWS_SECRET_KEY_RULE: KeywordValueRule = {
  type: 'AWS_SECRET_KEY',
  keywords: 'aws_secret_access_key|secret[ _-]?access[ _-]?key|secret[ _-]?key|secret',
  opening: `["'\`]?`,
  value: '[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])',
};

const BANK_ROUTING_RULE: KeywordValueRule = {
  type: 'BANK_ROUTING',
  keywords: String.raw`routing(?: number| no\.?|#)?|aba(?: number| no\.?)?|rtn`,
  value: '[0-9]{9}(?![0-9])',
  accept: passesAbaChecksum,
};

function passesAbaChecksum(digits: string): boolean {
  const weights = [3, 7, 1, 3, 7, 1, 3, 7, 1];
  const sum = weights.reduce((total, weight, index) => total + weight * (digits.charCodeAt(index) - 48), 0);
  return sum % 10 === 0 && !/^0+$/.test(digits);
}

const BANK_ACCOUNT_RULE: KeywordValueRule = {
  type: 'BANK_ACCOUNT_NUMBER',
  keywords: String.raw`bank account(?: number| no\.?)?|checking account(?: number)?|savings account(?: number)?|account number|account ?#|account no\.?|acct(?: no\.?| number)?|cuenta bancaria|número de cuenta|numéro de compte|kontonummer|conta bancária|número da conta|conto corrente`,
  opening: '#?',
  value: String.raw`[0-9](?:[\s./–-]{0,3}[0-9]){5,33}(?![0-9])`,
};

/** Nine digits in one piece are an SSN only when the text says so. */
const SSN_RULE: KeywordValueRule = {
  type: 'SSN',
  keywords: String.raw`ssn|s\.s\.n\.?|social security(?: number| no\.?)?|número de seguro social|seguridad social|sozialversicherungsnummer`,
  opening: '#?',
  value: String.raw`[0-9](?:${GROUP_SEPARATOR}?[0-9]){8}(?![0-9])`,
};

/** "I set my PIN to 4821". */
const PIN_SET_TO = new RegExp(
  `${SET_TO}(?:${PIN_RULE.keywords})s?${KEYWORD_END}${TO}#?(?<value>${PIN_RULE.value})`,
  'giud',
);

function detectPins(text: string): SecretSpan[] {
  return [...detectKeywordPins(text), ...valuesOf(text, PIN_SET_TO, 'PIN', () => true)];
}

const detectCvv = keywordValueDetector(CVV_RULE);
const detectKeywordPins = keywordValueDetector(PIN_RULE);
const detectKeywordAwsSecretKeys = keywordValueDetector(AWS_SECRET_KEY_RULE);
const detectBankRouting = keywordValueDetector(BANK_ROUTING_RULE);
const detectBankAccounts = keywordValueDetector(BANK_ACCOUNT_RULE);
const detectKeywordSsns = keywordValueDetector(SSN_RULE);

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
  detectPins,
];

// ---------------------------------------------------------------------------
// Tables: a header row names a column of secrets
// ---------------------------------------------------------------------------

/** What a column named by one of a rule's keywords holds, and how its cells are read. */
interface ColumnKind {
  type: NeverStoredPiiType;
  /** A header cell: the keyword, perhaps after one word ("New password", "user_password"), with its noun or aside. */
  header: RegExp;
  /** The keyword alone, for what follows a camel-case prefix ("dbPassword"). */
  bare: RegExp;
  /** The value at the start of a cell; null for a password, where the whole cell is the value. */
  value: RegExp | null;
}

/** Words that may stand before a keyword in a column's name. */
const COLUMN_PREFIXES =
  'new|old|current|temp|temporary|initial|default|admin|user|root|master|login|account|wifi|wi-fi|e-mail|email|db|database|app|device|card|bank|neue[sn]?|alte[sn]?|nueva|nuevo|nouveau|nouvelle|nova|novo|nuova';
const COLUMN_END = String.raw`s?${KEYWORD_TAIL}[^\S\n]*[:*]?$`;

const COLUMN_KINDS: readonly ColumnKind[] = [
  PASSWORD_RULE,
  CVV_RULE,
  PIN_RULE,
  AWS_SECRET_KEY_RULE,
  BANK_ROUTING_RULE,
  BANK_ACCOUNT_RULE,
  SSN_RULE,
].map((rule) => {
  const keywords = rule.columnKeywords ?? rule.keywords;
  return {
    type: rule.type,
    header: new RegExp(
      String.raw`^(?:(?:${COLUMN_PREFIXES})[ _.-]?|[\p{L}\p{N}]{1,20}[_.-])?(?:${keywords})${COLUMN_END}`,
      'iu',
    ),
    bare: new RegExp(`^(?:${keywords})${COLUMN_END}`, 'iu'),
    value: rule.type === 'PASSWORD' ? null : new RegExp(`^${rule.opening ?? ''}(?<value>${rule.value})`, 'du'),
  };
});

/** A cell that could be a column's name: letters and a little punctuation, no digits, or nothing. */
const LABEL = /^(?:[\p{L}\p{M}][\p{L}\p{M} _./()#&'’:*-]{0,59})?$/u;
const MAX_HEADER_CELL = 60;

interface Cell {
  /** The cell's text without the white space around it (and without its quotes, in CSV). */
  start: number;
  end: number;
}

/**
 * The cells of the line [start, end) split by `delimiter`. A comma- or
 * semicolon-separated cell may be quoted as in CSV ("a,b" is one cell, "" a quote).
 */
function cellsOf(text: string, start: number, end: number, delimiter: string): Cell[] {
  const cells: Cell[] = [];
  let index = start;
  for (;;) {
    let from = index;
    while (from < end && /[^\S\n]/.test(text.charAt(from)) && text[from] !== delimiter) from++;
    let to: number;
    let next: number;
    if (delimiter !== '\t' && text[from] === '"') {
      let close = from + 1;
      while (close < end && !(text[close] === '"' && text[close + 1] !== '"')) close += text[close] === '"' ? 2 : 1;
      const after = text.indexOf(delimiter, close);
      next = after === -1 || after >= end ? end : after;
      cells.push({ start: from + 1, end: Math.min(close, end) });
    } else {
      const after = text.indexOf(delimiter, from);
      next = after === -1 || after >= end ? end : after;
      to = next;
      while (to > from && /\s/.test(text.charAt(to - 1))) to--;
      cells.push({ start: from, end: to });
    }
    if (next >= end) return cells;
    index = next + 1;
  }
}

function columnKindOf(cell: string): ColumnKind | undefined {
  if (cell.length === 0 || cell.length > MAX_HEADER_CELL) return undefined;
  const camel = /^[a-z][a-z0-9]{0,19}(?=[A-Z])/.exec(cell);
  return COLUMN_KINDS.find(
    (kind) => kind.header.test(cell) || (camel !== null && kind.bare.test(cell.slice(camel[0].length))),
  );
}

const isLabel = (cell: string): boolean => cell.length <= MAX_HEADER_CELL && LABEL.test(cell);

/** The secret in a cell of a column of `kind`, if any. */
function cellValue(text: string, cell: Cell, kind: ColumnKind): SecretSpan | null {
  if (cell.end <= cell.start) return null;
  if (kind.value === null) {
    const [start, end] = withoutMarkupAtEdges(text, cell.start, cell.end);
    return /[\p{L}\p{N}]/u.test(text.slice(start, end)) ? { type: kind.type, start, end } : null;
  }
  const range = kind.value.exec(text.slice(cell.start, cell.end))?.indices?.groups?.value;
  return range ? { type: kind.type, start: cell.start + range[0], end: cell.start + range[1] } : null;
}

interface TableSecrets {
  spans: SecretSpan[];
  /** Stretches [start, end) of header lines that are names, not values: no secret starts there. */
  names: [number, number][];
}

/** Names a column commonly has: in a header, such a cell next to a password's column is not its value. */
const COLUMN_NAMES = new Set([
  'user',
  'username',
  'user name',
  'login',
  'email',
  'e-mail',
  'mail',
  'name',
  'first name',
  'last name',
  'full name',
  'role',
  'roles',
  'notes',
  'note',
  'comment',
  'comments',
  'description',
  'url',
  'site',
  'website',
  'host',
  'hostname',
  'server',
  'account',
  'type',
  'status',
  'date',
  'id',
  'phone',
  'team',
  'group',
  'department',
  'address',
  'service',
  'system',
  'app',
  'application',
  'environment',
  'env',
  'owner',
  'created',
  'updated',
  'expires',
  'expiry',
  'enabled',
  'active',
  'card',
  'bank',
  'customer',
  'client',
  'location',
  'device',
]);

const TABLE_DELIMITERS = ['\t', ',', ';'];

/**
 * A line of cells (separated by tabs, or by commas or semicolons as in CSV)
 * that names a column of secrets ("Email<TAB>Password<TAB>Role") above lines
 * with as many cells: the cells of that column below are secrets, and the
 * header's other cells are names, not values. The header is all names (no
 * digits). A name in the first column is ambiguous, since a table of keys
 * and values ("Password<TAB>Blessed", "Login<TAB>admin") has its keys there:
 * the line's next cell stays a value, and below it only cells that cannot be
 * names are values, unless the line is the block's first and some first cell
 * below cannot be a name (then the whole column is); only a cell that names
 * a column of secrets or a column commonly named ("Role", "Email") is then
 * taken for a name. Also a line of two cells "Password,S3cr3t!x" (no space
 * around the comma or semicolon) is a key and its value.
 * Linear: each line is split once per delimiter and each cell read once.
 */
function tableSecrets(text: string): TableSecrets {
  const lines: [number, number][] = [];
  for (let start = 0; start <= text.length;) {
    const end = text.indexOf('\n', start);
    lines.push([start, end === -1 ? text.length : end]);
    start = end === -1 ? text.length + 1 : end + 1;
  }
  const spans: SecretSpan[] = [];
  const names: [number, number][] = [];
  for (const delimiter of TABLE_DELIMITERS) {
    const cells = lines.map(([start, end]) =>
      text.slice(start, end).includes(delimiter) ? cellsOf(text, start, end, delimiter) : null,
    );
    for (let first = 0; first < lines.length;) {
      let last = first;
      const width = cells[first]?.length ?? 0;
      while (width >= 2 && last + 1 < lines.length && cells[last + 1]?.length === width) last++;
      if (last > first) tableBlock(text, lines, cells as Cell[][], first, last, spans, names);
      first = last + 1;
    }
    if (delimiter !== '\t') {
      cells.forEach((row) => {
        if (row?.length !== 2) return;
        const key = row[0];
        const cell = row[1];
        if (key === undefined || cell === undefined) return;
        const kind = columnKindOf(text.slice(key.start, key.end));
        const at = text.indexOf(delimiter, key.end);
        if (kind === undefined || at !== key.end || at + 1 !== cell.start) return;
        const value = cellValue(text, cell, kind);
        if (value) spans.push(value);
      });
    }
  }
  // As a union of disjoint stretches, sorted: a header line in one pass may hold name cells of another.
  const merged: [number, number][] = [];
  for (const [start, end] of names.sort((a, b) => a[0] - b[0])) {
    const previous = merged.at(-1);
    if (previous !== undefined && start <= previous[1]) previous[1] = Math.max(previous[1], end);
    else merged.push([start, end]);
  }
  return { spans, names: merged };
}

/** One block of lines with as many cells each: header lines, and the columns they name. */
function tableBlock(
  text: string,
  lines: readonly [number, number][],
  cells: Cell[][],
  first: number,
  last: number,
  spans: SecretSpan[],
  names: [number, number][],
): void {
  const read = (cell: Cell) => text.slice(cell.start, cell.end);
  // Whether the first cells of the lines after the block's first line all read as names.
  let namesBelowFirst = true;
  for (let line = first + 1; line <= last && namesBelowFirst; line++) {
    const cell = cells[line]?.[0];
    namesBelowFirst = cell !== undefined && isLabel(read(cell));
  }
  const columns = new Map<number, { kind: ColumnKind; unlabelledOnly: boolean }>();
  for (let line = first; line <= last; line++) {
    const row = cells[line];
    if (row === undefined) continue;
    const kinds = row.map((cell) => columnKindOf(read(cell)));
    const named = kinds.flatMap((kind, column) => (kind ? [column] : []));
    if (line < last && named.length > 0 && row.every((cell) => isLabel(read(cell)))) {
      const horizontal = line === first && !namesBelowFirst;
      for (const column of named) {
        const kind = kinds[column];
        if (kind) columns.set(column, { kind, unlabelledOnly: column === 0 && !horizontal });
      }
      if (!named.includes(0)) {
        const lineSpan = lines[line];
        if (lineSpan) names.push(lineSpan);
      } else {
        row.forEach((cell, column) => {
          if (kinds[column] !== undefined || COLUMN_NAMES.has(read(cell).toLowerCase()))
            names.push([cell.start, cell.end]);
        });
      }
      continue;
    }
    for (const [column, { kind, unlabelledOnly }] of columns) {
      const cell = row[column];
      if (cell === undefined || kinds[column] !== undefined || (unlabelledOnly && isLabel(read(cell)))) continue;
      const value = cellValue(text, cell, kind);
      if (value) spans.push(value);
    }
  }
}

/**
 * Latin look-alikes from Cyrillic, Greek and other scripts, and characters
 * that read as digits or a slash without being decimal digits.
 */
const LOOKALIKES: Readonly<Record<string, string>> = {
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  Х: 'X',
  У: 'Y',
  І: 'I',
  Ј: 'J',
  Ѕ: 'S',
  Ԁ: 'D',
  Ԝ: 'W',
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԝ: 'w',
  һ: 'h',
  ԛ: 'q',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
  ο: 'o',
  ρ: 'p',
  ν: 'v',
  օ: 'o',
  ս: 'u',
  ց: 'g',
  հ: 'h',
  ո: 'n',
  ᴀ: 'a',
  ʙ: 'b',
  ᴄ: 'c',
  ᴅ: 'd',
  ᴇ: 'e',
  ꜰ: 'f',
  ɢ: 'g',
  ʜ: 'h',
  ɪ: 'i',
  ᴊ: 'j',
  ᴋ: 'k',
  ʟ: 'l',
  ᴍ: 'm',
  ɴ: 'n',
  ᴏ: 'o',
  ᴘ: 'p',
  ʀ: 'r',
  ꜱ: 's',
  ᴛ: 't',
  ᴜ: 'u',
  ᴠ: 'v',
  ᴡ: 'w',
  ʏ: 'y',
  ᴢ: 'z',
  '∕': '/',
  '⁄': '/',
};

/** Dingbat and enclosed digits (❶, ➀, ➊, ⓵, ⓫…) that NFKC leaves as they are. */
function enclosedDigit(codePoint: number): string | null {
  for (const first of [0x2776, 0x2780, 0x278a, 0x24f5]) {
    if (codePoint >= first && codePoint < first + 10) return String((codePoint - first + 1) % 10);
  }
  if (codePoint === 0x24ea || codePoint === 0x24ff) return '0';
  return null;
}

const MARKUP = /<!--[\s\S]{0,2000}?-->|<\/?[A-Za-z][^<>\n]{0,64}>/y;
const CELL_END = /^<\/(?:td|th|dt|label)\b/i;
const PERCENT_ESCAPE = /%([2-7][0-9A-Fa-f])/y;
/** Emphasis marks of Markdown and of chat apps: they decorate a word without changing it. */
const EMPHASIS = /[*_~`]/;
const COMBINING_MARKS = /\p{M}/gu;

interface Skeleton {
  text: string;
  /** For each UTF-16 unit of `text`, the stretch of the view it came from. */
  from: number[];
  to: number[];
  /** For each UTF-16 unit of `text`, whether it stands for a markup tag: never part of what is redacted. */
  markup: boolean[];
}

/**
 * The view once more stripped to what its characters are made of: accents and
 * other marks gone (a password written "p̲a̲s̲s̲w̲o̲r̲d̲" or "pássword" is
 * the word), look-alike letters as Latin, enclosed digits as digits, markup
 * tags as a space, emphasis marks and percent escapes undone ("**PIN:**",
 * "4111<b>1111</b>", "4111%201111"). Detectors read it as well as the view;
 * what they find maps back to the view exactly.
 */
function skeletonOf(view: string): Skeleton {
  const units: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const markups: boolean[] = [];
  // The last unit emitted that is not white space.
  let lastVisible = '';
  const emit = (text: string, start: number, end: number, markup = false) => {
    // UTF-16 units, not code points: the skeleton maps back to the view unit by unit.
    for (let unit = 0; unit < text.length; unit++) {
      const character = text.charAt(unit);
      units.push(character);
      from.push(start);
      to.push(end);
      markups.push(markup);
      if (!/\s/.test(character)) lastVisible = character;
    }
  };
  let index = 0;
  while (index < view.length) {
    const start = index;
    if (view[index] === '<') {
      MARKUP.lastIndex = index;
      const markup = MARKUP.exec(view);
      if (markup) {
        index += markup[0].length;
        // The end of a table cell or a label reads as "key: value" ("<td>PIN</td><td>1234</td>"),
        // unless the label has its own separator ("<td>PIN:</td><td>1234</td>").
        const cellEnd = CELL_END.test(markup[0]) && !/^[:=]$/.test(lastVisible);
        emit(cellEnd ? ': ' : ' ', start, index, true);
        continue;
      }
    }
    if (view[index] === '%') {
      PERCENT_ESCAPE.lastIndex = index;
      const hex = PERCENT_ESCAPE.exec(view)?.[1];
      if (hex !== undefined) {
        index += 3;
        emit(String.fromCharCode(Number.parseInt(hex, 16)), start, index);
        continue;
      }
    }
    const codePoint = view.codePointAt(index);
    if (codePoint === undefined) break;
    const character = String.fromCodePoint(codePoint);
    index += character.length;
    if (EMPHASIS.test(character)) continue;
    const bare =
      LOOKALIKES[character] ?? enclosedDigit(codePoint) ?? character.normalize('NFD').replace(COMBINING_MARKS, '');
    emit(bare, start, index);
  }
  return { text: units.join(''), from, to, markup: markups };
}

/**
 * Spans of must-never-store secrets in `text` (the analysis view), possibly
 * overlapping. From `tagsStart` on, the text is tags, one a line.
 */
export function detectSecrets(text: string, tagsStart = text.length): SecretSpan[] {
  const spans = detectIn(text, tagsStart);
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
  const found = [...DETECTORS.flatMap((detect) => detect(text)), ...detectTagPasswords(text, tagsStart)];
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

/**
 * Every kind in NEVER_STORED_PII_TYPES is either a run of at least three digits
 * (card, CVV, bank account, routing number, IBAN, SSN, PIN; separators may
 * stand between them), a long key-like token (an AWS access key id is 20
 * characters, a secret key 40), or a password, which Comprehend recognizes
 * only by a word such as "password" next to it. Text with none of these
 * cannot hold a must-never-store entity, so asking Comprehend's paid
 * DetectPiiEntities could not change what is stored: the call is skipped.
 */
const SECRET_HINT = new RegExp(
  String.raw`[0-9](?:${GROUP_SEPARATOR}?[0-9]){2,}|(?<!\p{L})(?:pass|pw|contrase|clave|senha|mdp|kennwort|wachtwoord|lösenord|salasana|hasło|heslo|jelszó|şifre|parola|secret|credential|credencial|identifiant)|пароль|パスワード|密码|密碼|비밀번호|[A-Za-z0-9/+=_-]{20,}`,
  'iu',
);

export function mayContainSecrets(text: string): boolean {
  return SECRET_HINT.test(text);
}
