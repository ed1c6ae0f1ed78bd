/** US Social Security numbers: grouped 3-2-4 on their own, or in one piece after a keyword. */

import { GROUP_SEPARATOR } from './digit-groups.js';
import { keywordValueDetector, type KeywordValueRule } from './keyword-values.js';
import type { SecretSpan } from './secret-span.js';

/** 3-2-4 digits, whatever separates the groups ("123-45-6789", "123 45 6789", "123.45.6789"). */
const SSN_GROUPED = new RegExp(
  String.raw`(?<![\p{L}\p{N}])([0-9]{3})${GROUP_SEPARATOR}([0-9]{2})${GROUP_SEPARATOR}([0-9]{4})(?![\p{L}\p{N}])`,
  'gu',
);

export function detectSsns(text: string): SecretSpan[] {
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

/** Nine digits in one piece are an SSN only when the text says so. */
export const SSN_RULE: KeywordValueRule = {
  type: 'SSN',
  keywords: String.raw`ssn|s\.s\.n\.?|social security(?: number| no\.?)?|número de seguro social|seguridad social|sozialversicherungsnummer`,
  opening: '#?',
  value: String.raw`[0-9](?:${GROUP_SEPARATOR}?[0-9]){8}(?![0-9])`,
};

export const detectKeywordSsns = keywordValueDetector(SSN_RULE);
