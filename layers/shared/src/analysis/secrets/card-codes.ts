/** A card's codes: the CVV printed on it and the PIN, after a keyword. */

import {
  keywordPattern,
  keywordValueDetector,
  KEYWORD_END,
  labelOnItsLine,
  KEYWORD_TAIL,
  SEPARATOR,
  SET_TO,
  TO,
  valuesOf,
  type KeywordValueRule,
} from './keyword-values.js';
import { detectCardNumbers } from './card-numbers.js';
import { PASSWORD_LANGUAGES } from './password-keywords.js';
import type { SecretSpan } from './secret-span.js';

/**
 * A hedge before a code ("PIN: around 4821", "my PIN is something like
 * 4821"), left in place. It follows only an explicit separator (":", "=",
 * "is" in a language) or a comma, never a bare space ("PIN around the
 * corner").
 */
const HEDGE = String.raw`(?:around|about|approximately|approx\.|roughly|something like|like|maybe|probably|perhaps|i think|i believe|ca\.|circa|environ|à peu près|peut-être|etwa|ungefähr|vielleicht|alrededor de|aproximadamente|cerca de|como|quizás|più o meno|forse|mais ou menos|talvez)`;
/**
 * Between a code's keyword (and its separator) and its digits: a comma ("my
 * PIN, 4821"), a hedge, and "#", left in place. Each is weak on its own, so
 * the digits after one must stand alone as a code (acceptCode).
 */
const CODE_OPENING = String.raw`(?<comma>,[^\S\n]*)?(?<hedge>${HEDGE}[^\S\n]+)?#?`;

/**
 * What may follow a code's digits after a comma: the end of the text or a
 * line, or punctuation ("my PIN, 4821.", "my PIN, 4821, is blocked"), so
 * "pin, 3000 units shipped" is kept.
 */
const AFTER_CODE_STRICT = /^(?:[,.;)!?…]|[^\S\n]*(?:\n|$))/u;
/**
 * What may follow a code's digits after a hedge: what AFTER_CODE_STRICT
 * takes, a closing quote or bracket, or a word that joins clauses or names
 * what is done with the code. A noun counting or measuring the digits ("about
 * 120 lines", "around 1990 era hardware", "3000 units") makes them no code.
 */
const CODE_CONNECTIVES = [
  'and',
  'or',
  'but',
  'so',
  'then',
  'which',
  'that',
  'because',
  'since',
  'if',
  'when',
  'though',
  'please',
  'thanks',
  'thank',
  'i',
  'it',
  'is',
  'was',
  'does',
  'did',
  "doesn't",
  "didn't",
  'not',
  'no',
  'fails',
  'failed',
  'works',
  'worked',
  'again',
  'too',
  'as',
  'for',
  'on',
  'at',
  'in',
  'und',
  'oder',
  'aber',
  'et',
  'ou',
  'mais',
  'y',
  'o',
  'pero',
  'e',
  'ma',
].join('|');
const AFTER_CODE = new RegExp(
  String.raw`^(?:[,.;:)\]!?…"'”’]|[^\S\n]*(?:\n|$)|[^\S\n]+(?:${CODE_CONNECTIVES})(?![\p{L}\p{N}'’]))`,
  'iu',
);

/**
 * Words before a number that make it a year, a place or a quantity ("sold
 * in 1990", "from 2024", "to 4500 Oak Avenue").
 */
const BEFORE_A_NON_CODE =
  /(?:^|[^\p{L}])(?:in|since|from|until|till|by|before|after|during|of|on|at|to|circa|ca\.|year|the|no\.|nr\.|suite|room|page|version|v)[^\S\n]+$/iu;

/**
 * Whether the digits at [start, end) of `text` stand alone as a code would: a
 * token of their own (not glued to a word by "-", "_", "/" or "."), after no
 * word that makes them a year, a place or a quantity, and before what may
 * follow a code (AFTER_CODE) rather than a noun ("1234 Main Street", "3000
 * more"). A PIN or a CVV found in a ticket is looked for again only where its
 * copies stand so.
 */
export function standsAloneAsCode(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 24), start);
  return (
    (before === '' || /[\s("'“‘]$/u.test(before)) &&
    !BEFORE_A_NON_CODE.test(before) &&
    AFTER_CODE.test(text.slice(end, end + 24))
  );
}

/**
 * A code after a comma or a hedge must stand alone (AFTER_CODE_STRICT,
 * AFTER_CODE). A hedge follows a separator (":", "=", a language's "is") or
 * a comma, or a keyword that names a code without one ("PIN-Nummer etwa
 * 4821", "CVV about 123"); never the bare word "pin", which names a map's or
 * a board's pin as often ("a pin around 4500 Oak Avenue").
 */
const acceptCode = (_value: string, afterWord: boolean, match: RegExpExecArray): boolean => {
  const after = match.input.slice(match.index + match[0].length);
  if (match.groups?.comma !== undefined) return AFTER_CODE_STRICT.test(after);
  const hedge = match.indices?.groups?.hedge;
  if (hedge === undefined) return true;
  const named = match.input.slice(match.index, hedge[0]);
  const explicit = afterWord || /[:=]/.test(named) || !/^pins?[^\S\n]*$/iu.test(named);
  return explicit && AFTER_CODE.test(after);
};

/** A card's codes by language (PASSWORD_LANGUAGES' codes): the PIN's and the CVV's keywords. */
interface CodeKeywords {
  readonly pin: readonly string[];
  readonly cvv: readonly string[];
}

/**
 * English, and keywords shared by many languages ("PIN", "CVV"), take the
 * separators every keyword takes (SEPARATOR: ":", "=", "#", "is"…); a
 * language's own "is" (PASSWORD_LANGUAGES' copulas) is read after that
 * language's keywords only: "PIN-koodi on 4821", never "a pin on 1234 Main
 * Street".
 */
const CODE_LANGUAGES: Readonly<Record<string, CodeKeywords>> = {
  en: {
    pin: ['pin'],
    cvv: ['cvv2?', 'cvc2?', 'cvn', 'csc', 'security code', 'card verification (?:code|value|number)'],
  },
  de: { pin: ['geheimzahl'], cvv: ['sicherheitscode', 'kartenprüfnummer', 'prüfnummer'] },
  es: { pin: ['código pin', 'número secreto'], cvv: ['código de seguridad'] },
  pt: { pin: ['senha do cartão'], cvv: ['código de segurança'] },
  fr: {
    pin: ['code pin', 'code confidentiel', 'code secret', 'numéro secret'],
    cvv: ['code de sécurité', 'cryptogramme(?: visuel)?'],
  },
  it: { pin: ['codice pin', 'codice segreto'], cvv: ['codice di sicurezza'] },
  nl: { pin: ['pincode'], cvv: ['beveiligingscode', 'veiligheidscode'] },
  sv: { pin: ['pinkod'], cvv: ['säkerhetskod'] },
  da: { pin: ['pinkode'], cvv: ['sikkerhedskode', 'kontrolcifre'] },
  no: { pin: ['pinkode'], cvv: ['sikkerhetskode'] },
  fi: { pin: ['pin-?koodi', 'tunnusluku'], cvv: ['turvakoodi', 'tarkistenumero'] },
  pl: { pin: ['kod pin'], cvv: ['kod bezpieczeństwa'] },
  cs: { pin: [], cvv: ['bezpečnostní kód', 'bezpečnostný kód'] },
  hu: { pin: [], cvv: ['biztonsági kód'] },
  tr: { pin: ['kart şifre(?:si|m)?'], cvv: ['güvenlik kodu'] },
  ro: { pin: ['cod(?:ul)? pin'], cvv: ['cod(?:ul)? de securitate'] },
  id: { pin: [], cvv: ['kode keamanan'] },
  vi: { pin: ['mã pin'], cvv: ['mã bảo mật'] },
  ru: { pin: [String.raw`(?<!\p{L})пин(?:-?код)?(?!\p{L})`], cvv: ['код безопасности'] },
  el: { pin: [], cvv: ['κωδικός ασφαλείας'] },
  ja: { pin: ['暗証番号'], cvv: ['セキュリティコード'] },
  zh: { pin: [], cvv: ['安全码', '安全碼'] },
  ko: { pin: ['핀 ?번호'], cvv: ['보안 ?코드'] },
};

const keywordsOf = (kind: keyof CodeKeywords): string =>
  Object.values(CODE_LANGUAGES)
    .flatMap((language) => language[kind])
    .join('|');

/**
 * A code's keyword, then its own language's word for "is" (and perhaps ":"
 * and a hedge): "PIN-koodi on 4821", "kod PIN to 4821", "mã PIN là 4821".
 * One alternative per language keeps each copula with its keywords.
 */
function copulaCodes(kind: keyof CodeKeywords, value: string): RegExp {
  const languages = Object.entries(CODE_LANGUAGES).flatMap(([code, language]) => {
    const copulas = PASSWORD_LANGUAGES[code]?.copulas ?? [];
    return language[kind].length > 0 && copulas.length > 0
      ? [
          `${keywordPattern(language[kind].join('|'))}${KEYWORD_TAIL}[^\\S\\n]+(?=(?:${copulas.join('|')})(?![\\p{L}\\p{M}]))`,
        ]
      : [];
  });
  return new RegExp(
    `(?:${languages.join('|')})(?<word>[\\p{L}\\p{M}]{1,12})(?:[^\\S\\n]*:)?[^\\S\\n]+(?<hedge>${HEDGE}[^\\S\\n]+)?#?(?<value>${value})`,
    'giud',
  );
}

const CVV_KEYWORDS = keywordsOf('cvv');

export const CVV_RULE: KeywordValueRule = {
  type: 'CREDIT_DEBIT_CVV',
  keywords: `${CVV_KEYWORDS}|cid`,
  // As a column's name, "CID" is as often a customer's id.
  columnKeywords: CVV_KEYWORDS,
  opening: CODE_OPENING,
  value: '[0-9](?:[ .-]?[0-9]){2,3}(?![0-9])',
  accept: acceptCode,
};

/**
 * A card's PIN in the languages the password keywords cover; "code", "Nummer",
 * "kodu" and the like may follow any of them (KEYWORD_TAIL).
 */
export const PIN_RULE: KeywordValueRule = {
  type: 'PIN',
  keywords: keywordsOf('pin'),
  opening: CODE_OPENING,
  value: '[0-9](?:[ .-]?[0-9]){3,7}(?![0-9])',
  accept: acceptCode,
};

/** Words for "is", "was", "used to be" and "as" before a PIN after words between (PIN_AFTER_WORDS). */
const PIN_IS = 'is|was|used to be|as|ist|war|es|era|est|était|è|é|lautet';

const CVV_COPULA = copulaCodes('cvv', CVV_RULE.value);
const PIN_COPULA = copulaCodes('pin', PIN_RULE.value);

/**
 * "I set my PIN to 4821": "to" reads as "is" does, and may take a hedge.
 * Digits before a capitalized word are a house number ("change the pin to
 * 4500 Oak Avenue").
 */
const PIN_SET_TO = new RegExp(
  `${SET_TO}(?:${PIN_RULE.keywords})s?${KEYWORD_END}${TO}${CODE_OPENING}(?<value>${PIN_RULE.value})`,
  'giud',
);
/** After "to", or after where a code is printed, a hedge needs no separator of its own. */
const acceptAfterPhrase = (value: string, _afterWord: boolean, match: RegExpExecArray): boolean =>
  acceptCode(value, true, match);
const acceptAfterTo = (value: string, afterWord: boolean, match: RegExpExecArray): boolean =>
  acceptAfterPhrase(value, afterWord, match) &&
  !/^[^\S\n]+\p{Lu}\p{Ll}/u.test(match.input.slice(match.index + match[0].length));

/**
 * The code named by where it is printed: "the 3-digit code on the back is
 * 456", "security code on the back: 4567", "the number on the back of my
 * card is 456". A plain "code" or "number" on the back is a CVV only on the
 * back of a card ("the model number on the back is 4521" is kept).
 */
const ON_THE_BACK = String.raw`(?:[^\S\n]+(?:printed|written|shown))?[^\S\n]+(?:on|at|from)(?:[^\S\n]+the)?[^\S\n]+(?:back|reverse|rear)`;
const OF_THE_CARD = String.raw`[^\S\n]+of(?:[^\S\n]+(?:the|my|your))?(?:[^\S\n]+[\p{L}-]{2,12})?[^\S\n]+card`;
const CVV_ON_THE_BACK = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:(?:${CVV_RULE.keywords}|(?:3|4|three|four)[ -]digits?(?:[ -]security)?[ -](?:code|number))${ON_THE_BACK}(?:${OF_THE_CARD})?|(?:code|number|digits)${ON_THE_BACK}${OF_THE_CARD})` +
    String.raw`(?:${SEPARATOR}|[^\S\n]+are[^\S\n]+|[^\S\n]*)${CODE_OPENING}(?<value>${CVV_RULE.value})`,
  'giud',
);

/** Four digits from 1900 to 2099 read as a year where a PIN would be a guess ("pin-2024", "PIN\n1990"). */
export const isYear = (digits: string): boolean => /^(?:19|20)[0-9]{2}$/.test(digits);

const CVV_LABEL_LINE = labelOnItsLine(CVV_RULE.keywords, CVV_RULE.value);
const PIN_LABEL_LINE = labelOnItsLine(PIN_RULE.keywords, PIN_RULE.value);

/**
 * Shortly after a card's number, in the same sentence, a plain "code" (in the
 * languages covered) and three or four digits standing alone are the card's
 * CVV: "card 4111… expiry 12/27 code 123". Without a card there, "code 123"
 * stays ("error code 123", "code 404"), and so does a code some word before
 * it names as another (an error's, a reason's, a promotion's).
 */
const CODE_AFTER_A_CARD = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?<named>[\p{L}]{1,14}(?:[^\S\n]+|[-_]))?(?:code|codes|código|codigo|codice|kod|kode|koodi|cod|код|cryptogramme|${CVV_RULE.keywords})(?![\p{L}\p{N}])[^\S\n]*[:=#]?\s*(?<value>[0-9]{3,4})(?![\p{N}])`,
  'giud',
);
/** How far after a card's number its code is read: a line or two of a form. */
const CODE_AFTER_A_CARD_REACH = 80;
const NOT_A_CARD_CODE =
  /^(?:error|err|status|response|result|reason|decline|declined|reject|rejection|return|http|promo|promotion|discount|coupon|voucher|zip|postal|post|area|country|region|auth|authorization|authorisation|approval|reference|ref|tracking|confirmation|order|product|item|sku|tax|bank|sort|branch|swift|routing|fehler|erreur|errore|código de error)$/iu;

function codesAfterCards(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const card of detectCardNumbers(text)) {
    const window = text.slice(card.end, card.end + CODE_AFTER_A_CARD_REACH);
    // The same sentence: up to a full stop, "!" or "?" before white space, or a blank line.
    const sentenceEnd = window.search(/[.!?](?=\s|$)|\n[^\S\n]*\n/u);
    const sentence = sentenceEnd === -1 ? window : window.slice(0, sentenceEnd + 1);
    for (const match of sentence.matchAll(CODE_AFTER_A_CARD)) {
      const range = match.indices?.groups?.value;
      const named = match.groups?.named?.replace(/[\s_-]+$/u, '') ?? '';
      if (range === undefined || NOT_A_CARD_CODE.test(named)) continue;
      const [start, end] = [card.end + range[0], card.end + range[1]];
      if (AFTER_CODE.test(text.slice(end, end + 24))) spans.push({ type: 'CREDIT_DEBIT_CVV', start, end });
    }
  }
  return spans;
}

const detectKeywordCvv = keywordValueDetector(CVV_RULE);

export function detectCvv(text: string): SecretSpan[] {
  return [
    ...detectKeywordCvv(text),
    ...valuesOf(text, CVV_COPULA, 'CREDIT_DEBIT_CVV', acceptCode),
    ...valuesOf(text, CVV_ON_THE_BACK, 'CREDIT_DEBIT_CVV', acceptAfterPhrase),
    ...valuesOf(text, CVV_LABEL_LINE, 'CREDIT_DEBIT_CVV', () => true),
    ...codesAfterCards(text),
  ];
}
/**
 * A PIN's keyword, up to four short words ("for my card", "I entered", "de mi
 * tarjeta", "della mia carta"), then a word for "is" or "was", "used to be"
 * or "as", and four to eight digits standing alone as a code (AFTER_CODE):
 * "The PIN I entered was 9876", "Die PIN für meine Karte ist 9876". No word
 * between may make the phrase about something else (a reset, a pin's count),
 * nor make "pin" a verb with its object ("pin it as 2024").
 */
const PIN_AFTER_WORDS = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:${PIN_RULE.keywords})(?![\p{L}\p{N}])(?<between>(?:[^\S\n]+(?!(?:${PIN_IS})(?![\p{L}\p{M}]))[\p{L}'’]{1,12}(?![\p{L}\p{M}'’])){0,4}?)[^\S\n]+(?:${PIN_IS})(?![\p{L}\p{M}])[^\S\n]*(?::[^\S\n]*)?#?(?<value>[0-9]{4,8})(?![0-9])`,
  'giud',
);
const NOT_ABOUT_A_CODE =
  /^(?:reset|change|changed|count|counts|header|headers|layout|layouts|diagram|map|maps|location|position|limit|length|expiry|policy|rule|rules|attempts?|tries|error|errors|that|which|and|or|but|not|no|never|it|this|these|those|them|him|her|us)$/iu;
const acceptPinAfterWords = (_value: string, _afterWord: boolean, match: RegExpExecArray): boolean => {
  const between = (match.groups?.between ?? '').trim().toLowerCase().split(/\s+/);
  return (
    !between.some((word) => NOT_ABOUT_A_CODE.test(word)) &&
    AFTER_CODE.test(match.input.slice(match.index + match[0].length, match.index + match[0].length + 24))
  );
};

const detectKeywordPins = keywordValueDetector(PIN_RULE);

export function detectPins(text: string): SecretSpan[] {
  return [
    ...detectKeywordPins(text),
    ...valuesOf(text, PIN_COPULA, 'PIN', acceptCode),
    ...valuesOf(text, PIN_SET_TO, 'PIN', acceptAfterTo),
    ...valuesOf(text, PIN_LABEL_LINE, 'PIN', (value) => !isYear(value)),
    ...valuesOf(text, PIN_AFTER_WORDS, 'PIN', acceptPinAfterWords),
  ];
}
