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
import type { SecretSpan } from './secret-span.js';

export const CVV_RULE: KeywordValueRule = {
  type: 'CREDIT_DEBIT_CVV',
  keywords:
    'cvv2?|cvc2?|cvn|csc|cid|security code|card verification (?:code|value|number)|sicherheitscode|código de seguridad|código de segurança|code de sécurité|cryptogramme|kartenprüfnummer|prüfnummer|codice di sicurezza',
  // As a column's name, "CID" is as often a customer's id.
  columnKeywords:
    'cvv2?|cvc2?|cvn|csc|security code|card verification (?:code|value|number)|sicherheitscode|código de seguridad|código de segurança|code de sécurité|cryptogramme|kartenprüfnummer|prüfnummer|codice di sicurezza',
  opening: '#?',
  value: '[0-9](?:[ .-]?[0-9]){2,3}(?![0-9])',
};

export const PIN_RULE: KeywordValueRule = {
  type: 'PIN',
  keywords: String.raw`pin(?:[ -]?(?:code|number|nummer|no\.?))?|código pin|code pin|geheimzahl|senha do cartão|codice pin`,
  opening: '#?',
  value: '[0-9](?:[ .-]?[0-9]){3,7}(?![0-9])',
};

/** "I set my PIN to 4821". */
const PIN_SET_TO = new RegExp(
  `${SET_TO}(?:${PIN_RULE.keywords})s?${KEYWORD_END}${TO}#?(?<value>${PIN_RULE.value})`,
  'giud',
);

/**
 * The code named by where it is printed: "the 3-digit code on the back is
 * 456", "security code on the back: 4567", "the number on the back of my
 * card is 456". A plain "code" or "number" on the back is a CVV only on the
 * back of a card ("the model number on the back is 4521" is kept).
 */
const ON_THE_BACK = String.raw`(?:[^\S\n]+(?:printed|written|shown))?[^\S\n]+(?:on|at|from)[^\S\n]+the[^\S\n]+(?:back|reverse|rear)`;
const OF_THE_CARD = String.raw`[^\S\n]+of[^\S\n]+(?:the|my|your)(?:[^\S\n]+[\p{L}-]{2,12})?[^\S\n]+card`;
const CVV_ON_THE_BACK = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:(?:${CVV_RULE.keywords}|(?:3|4|three|four)[ -]digits?(?:[ -]security)?[ -](?:code|number))${ON_THE_BACK}(?:${OF_THE_CARD})?|(?:code|number|digits)${ON_THE_BACK}${OF_THE_CARD})` +
    String.raw`(?:${SEPARATOR}|[^\S\n]+are[^\S\n]+)#?(?<value>${CVV_RULE.value})`,
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
