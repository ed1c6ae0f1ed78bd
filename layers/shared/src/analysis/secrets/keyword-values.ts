/** "<keyword> <separator> <value>": the phrase most secrets are written in, and the detectors built from it. */

import { withoutMarkupAtEdges } from './markup.js';
import type { Detector, NeverStoredPiiType, SecretSpan } from './secret-span.js';

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
/**
 * "is" written without a space before the value: Japanese "は", Chinese
 * "是", "为" ("密码是abc123"), Thai "คือ", "เป็น", and the Korean topic and
 * subject particles, which join the keyword ("비밀번호는 …", "PIN은 …").
 */
export const WORD_SEPARATORS_WITHOUT_SPACES = 'は|是|为|為|คือ|เป็น|는|은|가|이';
export const SEPARATOR =
  `(?:${SPACES}(?:(?:["'\`“”«»‘’]\\]?${SPACES}|\\]${SPACES})?(?:=>|->|#:|[:=#>|→⇒∶꞉]|[-–—](?=[^\\S\\n]))|(?<word>(?:is|es|est|ist|lautet|was|é|è|era|war)(?![\\p{L}\\p{M}])|${WORD_SEPARATORS_WITHOUT_SPACES})(?:${SPACES}:)?)` +
  `|[^\\S\\n\\t]*\\t)(?:${SPACES}\\n){0,2}${SPACES}`;
/**
 * "code" and "number" after a keyword, in the languages the keywords cover
 * ("PIN-Nummer", "CVV kodu", "PIN-koodi", "cod PIN" puts it first).
 */
const KEYWORD_NOUNS = String.raw`code|number|num|no\.?|nr\.?|#|(?:nummer|numéro|número|numero|numer|kod|kodu|kode|koodi|kód|cod|codul|código|codice|код|номер)(?![\p{L}\p{N}])`;
/** The same nouns in scripts written without spaces: "PIN番号", "PIN码", "PIN 번호". */
const GLUED_KEYWORD_NOUNS = String.raw`[^\S\n]?(?:番号|コード|码|碼|号码|號碼|번호|코드)`;
/**
 * What may follow a keyword (and its plural) before its separator: a noun
 * ("CVV code", "PIN number", "SSN#"), or a short aside in brackets ("PIN (4 digits)").
 */
export const KEYWORD_TAIL = String.raw`(?:[ -]?(?:${KEYWORD_NOUNS})|${GLUED_KEYWORD_NOUNS})?(?:[^\S\n]*[(\[][^()\[\]\n]{1,30}[)\]])?`;
export const OPTIONAL_SEPARATOR = `(?:${SEPARATOR}|${SPACES})`;
/** Keywords are whole words in Latin script; keywords in other scripts need no such edge ("私のパスワード"). */
const KEYWORD_START = String.raw`(?<![A-Za-z0-9\u00C0-\u024F])`;
export const KEYWORD_END = String.raw`(?![A-Za-z0-9\u00C0-\u024F])`;

export interface KeywordValueRule {
  type: NeverStoredPiiType;
  keywords: string;
  /** The keywords that name a column of a table (see tableSecrets); by default `keywords`. */
  columnKeywords?: string;
  /** Keywords that may also end a longer word in camel case or run together ("dbPassword", "adminpassword"). */
  gluedKeywords?: string;
  value: string;
  separatorRequired?: boolean;
  /**
   * Whether the keyword may begin a setting's longer name, the rest of which
   * stays with it before "=" or ":" ("SECRET_KEY_BASE=…", "GITHUB_TOKEN_PROD=…").
   */
  settingName?: boolean;
  /** Matched between separator and value but left in place, like an opening quote. */
  opening?: string;
  /**
   * `afterWord`: the separator was a word ("is"), after which a description
   * may follow instead of a value ("password is wrong"); `match` is the whole phrase.
   */
  accept?: (value: string, afterWord: boolean, match: RegExpExecArray) => boolean;
}

/** A keyword of `keywords` as a whole word (or glued to the end of a longer one), and its plural. */
export const keywordPattern = (keywords: string, gluedKeywords?: string): string =>
  (gluedKeywords
    ? `(?:${KEYWORD_START}(?:${keywords})|(?<=[A-Za-z])(?:${gluedKeywords}))`
    : `${KEYWORD_START}(?:${keywords})`) + `s?${KEYWORD_END}`;

/**
 * Runs `pattern` (global, with indices, a `value` group and possibly a
 * `word` group for a separator that is a word) and keeps the values `accept`
 * takes, without markup at their edges.
 */
export function valuesOf(
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
    const [start, end] = withoutSentenceEnd(text, ...withoutMarkupAtEdges(text, range[0], range[1]));
    spans.push({ type, start, end });
  }
  return spans;
}

/**
 * A value as far as the secret goes: punctuation ending it where a clause
 * ends (before white space or the end of the text) is the sentence's: "my
 * password is Hunter2x, and …" keeps its comma, "(PIN: 4821)" its bracket
 * when the value opened none. A full stop, "?" or "…" is the sentence's only
 * where a sentence plainly ends: at the end of the text or a line, or before
 * a capital letter or a digit ("password: Tr0ub4dor. Typing it fails");
 * elsewhere ("password: Hunter2x. then …") it goes with the value, which may
 * end with it. An exclamation mark stays with the value, since passwords end
 * with one as often as sentences do.
 */
function withoutSentenceEnd(text: string, start: number, end: number): [number, number] {
  if (end < text.length && !/\s/.test(text.charAt(end))) return [start, end];
  SENTENCE_ENDS_HERE.lastIndex = end;
  const sentenceEnds = SENTENCE_ENDS_HERE.test(text);
  let to = end;
  for (; to > start; to--) {
    const last = text.charAt(to - 1);
    if (/[.?…]/.test(last) && !sentenceEnds) break;
    if (/[.,;:?…]/.test(last)) continue;
    const opener = last === ')' ? '(' : last === ']' ? '[' : null;
    if (opener === null || text.slice(start, to).includes(opener)) break;
  }
  return /[\p{L}\p{N}]/u.test(text.slice(start, to)) ? [start, to] : [start, end];
}
/** After a full stop, what shows a sentence ended there: the end of the text or a line, or a capital or a digit. */
const SENTENCE_ENDS_HERE = /[^\S\n]*(?:$|\n)|\s+[\p{Lu}\p{Lt}\p{Lo}\p{N}"'“‘(]/uy;

/**
 * A form pasted with each label on a line of its own and its value alone on
 * the next: "CVV\n123", "PIN\n4821". The line break separates them as ":"
 * would; a blank line (as between subject and description) does not.
 */
export const labelOnItsLine = (keywords: string, value: string, gluedKeywords?: string): RegExp =>
  new RegExp(
    String.raw`(?<![^\n])[^\S\n]*${keywordPattern(keywords, gluedKeywords)}${KEYWORD_TAIL}[^\S\n]*(?::[^\S\n]*)?\n[^\S\n]*(?<value>${value})[^\S\n]*(?![^\n])`,
    'giud',
  );
/**
 * A tag is a short label with no room for a separator: "-" or "_" right after
 * a keyword (and its noun) separates it from its value ("pin-4821",
 * "cvv_123", "pin-code-4821"), for every rule alike.
 */
export function tagValueDetector(rule: KeywordValueRule): Detector {
  const source = `${keywordPattern(rule.keywords, rule.gluedKeywords)}${KEYWORD_TAIL}[-_]${rule.opening ?? ''}(?<value>${rule.value})`;
  const pattern = new RegExp(source, 'giud');
  const accept = rule.accept ?? (() => true);
  return (text) => valuesOf(text, pattern, rule.type, accept);
}

/**
 * The rest of a setting's name after its keyword, up to its "=" or ":", which
 * stays in the text: "_KEY_BASE" of "SECRET_KEY_BASE=…". Bounded, so a name
 * is read a few times at most wherever it stands. A name ending in a word
 * that says what else it holds (SETTING_ABOUT_THE_KEY: "SECRET_NAME",
 * "API_KEY_HEADER", "TOKEN_URL", "SECRET_ARN") names no key.
 */
const SETTING_ABOUT_THE_KEY = [
  'name',
  'names',
  'id',
  'ids',
  'arn',
  'path',
  'url',
  'uri',
  'header',
  'file',
  'dir',
  'enabled',
  'disabled',
  'required',
  'length',
  'size',
  'ttl',
  'expiry',
  'expires',
  'expiration',
  'type',
  'version',
  'region',
  'prefix',
  'suffix',
  'format',
  'label',
  'field',
  'param',
  'location',
  'endpoint',
  'host',
  'port',
  'mode',
  'provider',
  'hint',
  'count',
  'timeout',
].join('|');
const SETTING_NAME_TAIL = `(?:[_.-][A-Za-z0-9]{1,24}){1,4}(?<![_.-](?:${SETTING_ABOUT_THE_KEY}))(?=[^\\S\\n]{0,16}["'\`]?[^\\S\\n]{0,16}[:=])`;

/** Builds a detector for "<keyword> <separator> <value>"; only the value is redacted. */
export function keywordValueDetector(rule: KeywordValueRule): Detector {
  const separator = rule.separatorRequired ? SEPARATOR : OPTIONAL_SEPARATOR;
  const nameTail = rule.settingName ? `(?:${SETTING_NAME_TAIL})?` : '';
  const source = `${keywordPattern(rule.keywords, rule.gluedKeywords)}${nameTail}${KEYWORD_TAIL}${separator}${rule.opening ?? ''}(?<value>${rule.value})`;
  const pattern = new RegExp(source, 'giud');
  const accept = rule.accept ?? (() => true);
  return (text) => valuesOf(text, pattern, rule.type, accept);
}

/**
 * "set / change / reset / update" and up to three short words before a
 * keyword, then "to": "I set my password to hunter2".
 */
export const SET_TO = String.raw`(?<![\p{L}\p{N}])(?:set|sets|setting|change[sd]?|changing|reset(?:s|ting)?|update[sd]?|updating)(?:[^\S\n]+[\p{L}'’-]{1,15}){0,3}?[^\S\n]+`;
export const TO = String.raw`(?:[^\S\n]+back)?[^\S\n]+to[^\S\n]+`;
