/** Bank account and routing numbers, after a keyword. */

import { keywordValueDetector, OPTIONAL_SEPARATOR, valuesOf, type KeywordValueRule } from './keyword-values.js';
import type { SecretSpan } from './secret-span.js';

export const BANK_ROUTING_RULE: KeywordValueRule = {
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

export const BANK_ACCOUNT_RULE: KeywordValueRule = {
  type: 'BANK_ACCOUNT_NUMBER',
  keywords: String.raw`bank account(?: number| no\.?)?|checking account(?: number)?|savings account(?: number)?|account number|account ?#|account no\.?|acct(?: no\.?| number)?|cuenta bancaria|número de cuenta|numéro de compte|kontonummer|conta bancária|número da conta|conto corrente`,
  opening: '#?',
  value: String.raw`[0-9](?:[\s./–-]{0,3}[0-9]){5,33}(?![0-9])`,
};

/**
 * A bank's code where a national system names the bank by one instead of a
 * routing number: the German and Austrian Bankleitzahl ("BLZ 100 200 30",
 * eight digits in Germany, five in Austria) and the British sort code
 * ("sort code 12-34-56").
 */
export const BANK_CODE_RULE: KeywordValueRule = {
  type: 'BANK_ROUTING',
  keywords: String.raw`blz|bankleitzahl|sort[ -]?code`,
  opening: '#?',
  value: String.raw`(?:[0-9]{3} ?[0-9]{3} ?[0-9]{2}|[0-9]{2}[ -]?[0-9]{2}[ -]?[0-9]{2}|[0-9]{5})(?![0-9])`,
};

const detectAbaRouting = keywordValueDetector(BANK_ROUTING_RULE);
const detectBankCodes = keywordValueDetector(BANK_CODE_RULE);

export function detectBankRouting(text: string): SecretSpan[] {
  return [...detectAbaRouting(text), ...detectBankCodes(text)];
}
const detectKeywordBankAccounts = keywordValueDetector(BANK_ACCOUNT_RULE);

/**
 * "Konto", "numer konta", "rekeningnummer" and the like name a bank account in
 * their languages, but also a user's account or an order's: a group of ten
 * digits or more after one is the bank's ("Konto 1234567890", "numer konta 61
 * 1090 …"), a shorter one may be a customer number ("Konto: 12345678 für die
 * Bestellung").
 */
const ACCOUNT_WORD_RULE: KeywordValueRule = {
  type: 'BANK_ACCOUNT_NUMBER',
  keywords: String.raw`konto|kontonr\.?|numer konta|nr konta|konta|rekeningnummer|número de cuenta|nº de cuenta|n° de compte|numéro de compte|número da conta|numero di conto|číslo účtu|tilinumero`,
  opening: '#?',
  value: String.raw`[0-9](?:[\s./–-]{0,3}[0-9]){9,33}(?![0-9])`,
};
const detectAccountWords = keywordValueDetector(ACCOUNT_WORD_RULE);

/**
 * "account" alone names many things ("account 12345" of an order); right
 * next to a routing number or a bank code, on its line or the next, it names
 * the bank account: "routing 021000021 account 123456789012", "Routing:
 * 021000021 / Account: 123456789012", "Konto: 12345678 BLZ 10020030".
 */
const ACCOUNT_BESIDE_ROUTING = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:account|acct|acc|konto|kto|compte|cuenta|conta|conto|rekening)\.?(?:[ -]?(?:number|num|no\.?|nr\.?|nummer|#))?${OPTIONAL_SEPARATOR}#?(?<value>[0-9](?:[ ./–-]?[0-9]){3,16}(?![0-9]))`,
  'giud',
);
/** At most this many characters, and one line break, between a routing number and "account". */
const ROUTING_REACH = 40;

export function detectBankAccounts(text: string): SecretSpan[] {
  const routing = detectBankRouting(text);
  const besideRouting = (_value: string, _afterWord: boolean, match: RegExpExecArray): boolean => {
    const start = match.index;
    const end = match.index + match[0].length;
    return routing.some((number) => {
      const between = start >= number.end ? text.slice(number.end, start) : text.slice(end, number.start);
      return between.length <= ROUTING_REACH && between.split('\n').length <= 2;
    });
  };
  const beside =
    routing.length === 0 ? [] : valuesOf(text, ACCOUNT_BESIDE_ROUTING, 'BANK_ACCOUNT_NUMBER', besideRouting);
  return [...detectKeywordBankAccounts(text), ...detectAccountWords(text), ...beside];
}
