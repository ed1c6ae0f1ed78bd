/** A card's codes: the CVV printed on it and the PIN, after a keyword. */

import {
  keywordValueDetector,
  KEYWORD_END,
  SEPARATOR,
  SET_TO,
  TO,
  valuesOf,
  type KeywordValueRule,
} from './keyword-values.js';
import { COPULAS } from './password-keywords.js';
import type { SecretSpan } from './secret-span.js';

/**
 * Between a code's keyword and its digits: a comma ("my PIN, 4821"), a
 * language's own "is" ("PIN-koodi on 4821"; its digits leave no doubt) and a
 * hedge ("PIN: around 4821", "my PIN, something like 4821"), left in place.
 */
const HEDGE = String.raw`(?:around|about|approximately|approx\.|roughly|something like|like|maybe|probably|perhaps|i think|i believe|ca\.|circa|environ|à peu près|peut-être|etwa|ungefähr|vielleicht|alrededor de|aproximadamente|cerca de|como|quizás|più o meno|forse|mais ou menos|talvez)`;
const CODE_OPENING = String.raw`(?:,[^\S\n]*)?(?:(?:${COPULAS})(?![\p{L}\p{M}])(?:[^\S\n]*:)?[^\S\n]+)?(?:${HEDGE}[^\S\n]+)?#?`;

/** The code printed on a card, named in the languages the password keywords cover. */
const CVV_KEYWORDS = [
  'cvv2?',
  'cvc2?',
  'cvn',
  'csc',
  'security code',
  'card verification (?:code|value|number)',
  'sicherheitscode',
  'kartenprüfnummer',
  'prüfnummer',
  'código de seguridad',
  'código de segurança',
  'code de sécurité',
  'cryptogramme(?: visuel)?',
  'codice di sicurezza',
  'beveiligingscode',
  'veiligheidscode',
  'säkerhetskod',
  'sikkerhedskode',
  'sikkerhetskode',
  'kontrolcifre',
  'turvakoodi',
  'tarkistenumero',
  'kod bezpieczeństwa',
  'bezpečnostní kód',
  'bezpečnostný kód',
  'biztonsági kód',
  'güvenlik kodu',
  'cod(?:ul)? de securitate',
  'kode keamanan',
  'mã bảo mật',
  'код безопасности',
  'κωδικός ασφαλείας',
  'セキュリティコード',
  '安全码',
  '安全碼',
  '보안 ?코드',
].join('|');

export const CVV_RULE: KeywordValueRule = {
  type: 'CREDIT_DEBIT_CVV',
  keywords: `${CVV_KEYWORDS}|cid`,
  // As a column's name, "CID" is as often a customer's id.
  columnKeywords: CVV_KEYWORDS,
  opening: CODE_OPENING,
  value: '[0-9](?:[ .-]?[0-9]){2,3}(?![0-9])',
};

/**
 * A card's PIN in the languages the password keywords cover; "code", "Nummer",
 * "kodu" and the like may follow any of them (KEYWORD_TAIL).
 */
export const PIN_RULE: KeywordValueRule = {
  type: 'PIN',
  keywords: [
    'pin',
    'código pin',
    'code pin',
    'code confidentiel',
    'code secret',
    'numéro secret',
    'número secreto',
    'geheimzahl',
    'senha do cartão',
    'codice pin',
    'codice segreto',
    'pincode',
    'pinkode',
    'pinkod',
    'pin-?koodi',
    'tunnusluku',
    'kod pin',
    'cod(?:ul)? pin',
    'mã pin',
    String.raw`(?<!\p{L})пин(?:-?код)?(?!\p{L})`,
    '暗証番号',
    '핀 ?번호',
    'kart şifre(?:si|m)?',
  ].join('|'),
  opening: CODE_OPENING,
  value: '[0-9](?:[ .-]?[0-9]){3,7}(?![0-9])',
};

/** "I set my PIN to 4821". */
const PIN_SET_TO = new RegExp(
  `${SET_TO}(?:${PIN_RULE.keywords})s?${KEYWORD_END}${TO}${CODE_OPENING}(?<value>${PIN_RULE.value})`,
  'giud',
);

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

const detectKeywordCvv = keywordValueDetector(CVV_RULE);

export function detectCvv(text: string): SecretSpan[] {
  return [...detectKeywordCvv(text), ...valuesOf(text, CVV_ON_THE_BACK, 'CREDIT_DEBIT_CVV', () => true)];
}
const detectKeywordPins = keywordValueDetector(PIN_RULE);

export function detectPins(text: string): SecretSpan[] {
  return [...detectKeywordPins(text), ...valuesOf(text, PIN_SET_TO, 'PIN', () => true)];
}
