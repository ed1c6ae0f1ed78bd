/** Bank account and routing numbers, after a keyword. */

import { keywordValueDetector, type KeywordValueRule } from './keyword-values.js';

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

export const detectBankRouting = keywordValueDetector(BANK_ROUTING_RULE);
export const detectBankAccounts = keywordValueDetector(BANK_ACCOUNT_RULE);
