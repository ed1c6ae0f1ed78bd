/** What the detectors find: the kinds of secret that must never be stored, and where they stand. */

/**
 * PII that must never be stored: whoever holds it can spend money, reach
 * accounts or impersonate the customer. Comprehend names most of these kinds;
 * PRIVATE_KEY and API_KEY (access keys other than AWS's) are the floor's own. Other kinds Comprehend finds (names,
 * e-mail addresses, phone numbers) are what agents need to help, and stay.
 * In precedence order: when two detectors disagree about the same span, the
 * earlier type names it.
 */
export const NEVER_STORED_PII_TYPES = [
  'AWS_SECRET_KEY',
  'AWS_ACCESS_KEY',
  'PRIVATE_KEY',
  'API_KEY',
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

/** Finds secrets of one kind (or a few) in the analysis view. */
export type Detector = (text: string) => SecretSpan[];
