/** International bank account numbers, checked by their country's length and format and the ISO 13616 checksum. */

import { IBAN_LENGTHS, NUMERIC_IBAN_COUNTRIES } from './iban-lengths.js';
import type { SecretSpan } from './secret-span.js';

/**
 * Country code, two check digits, then letters and digits, in any case,
 * grouped by spaces or punctuation or not at all, and possibly glued to the
 * word "iban" before it or to what follows ("ibanDE89…", "…3000EUR").
 */
const IBAN_CANDIDATE =
  /(?:(?<![A-Za-z0-9])|(?<=[iI][bB][aA][nN]))[A-Za-z]{2}(?:[\s./_:,·|–—-]{1,4})?[0-9]{2}(?:(?:[\s./_:,·|–—-]{1,4})?[A-Za-z0-9]){11,40}/g;

/**
 * A Polish account number (NRB) is an IBAN without its "PL": two check
 * digits and 24 digits, in groups of four or not ("61 1090 1014 0000 0712
 * 1981 2874"); its checksum is the IBAN's with "PL" before it.
 */
const NRB_CANDIDATE = /(?<![0-9A-Za-z])[0-9]{2}(?:[ -]?[0-9]{4}){6}(?![0-9])/g;

function detectNrbs(text: string): SecretSpan[] {
  return [...text.matchAll(NRB_CANDIDATE)].flatMap((match) =>
    passesIbanChecksum(`PL${match[0].replace(/[ -]/g, '')}`)
      ? [{ type: 'INTERNATIONAL_BANK_ACCOUNT_NUMBER' as const, start: match.index, end: match.index + match[0].length }]
      : [],
  );
}

export function detectIbans(text: string): SecretSpan[] {
  const spans: SecretSpan[] = detectNrbs(text);
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
  const country = compact.slice(0, 2);
  const length = IBAN_LENGTHS[country];
  if (length === undefined || compact.length < length) return 0;
  if (NUMERIC_IBAN_COUNTRIES.has(country) && !/^[0-9]+$/.test(compact.slice(4, length))) return 0;
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
