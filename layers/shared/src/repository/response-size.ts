/*
 * What a response weighs where Lambda counts it. A function behind API Gateway
 * returns the proxy result `{statusCode, headers, multiValueHeaders, body,
 * isBase64Encoded}`, and the runtime serializes that object with
 * JSON.stringify: the body, itself JSON, is escaped a second time, so each `\`
 * or `"` of a ticket's text weighs 4 bytes and a control character 7, and
 * Lambda refuses a synchronous response over 6 MB of that (API Gateway then
 * answers 502). Every read that can grow large (a page of tickets or comments,
 * a ticket with its history) is bounded by this one measure.
 */

/** Lambda's limit on a synchronous invocation's response payload: 6 MB. */
export const LAMBDA_RESPONSE_LIMIT_BYTES = 6 * 1024 * 1024;

/**
 * Room kept for everything in the invocation response besides the entries
 * measured: the status code, the headers the middleware adds (content type,
 * CORS, security headers, ETag, Location…), a page's `nextCursor` (at most
 * 2,048 characters) and the JSON around the entries. All of it is far below
 * this.
 */
export const RESPONSE_ENVELOPE_MARGIN_BYTES = 64 * 1024;

/** What the entries of one response (tickets, comments, history entries) may weigh together. */
export const RESPONSE_ENTRIES_BUDGET_BYTES = LAMBDA_RESPONSE_LIMIT_BYTES - RESPONSE_ENVELOPE_MARGIN_BYTES;

/**
 * The UTF-8 bytes `value` adds to an invocation response once it sits in the
 * body: JSON-encoded into the body, and that JSON escaped again into the
 * response (without the quotes that close the body string). Non-ASCII text
 * stays UTF-8 in both, as Node's JSON.stringify leaves it.
 */
export function responseBytes(value: unknown): number {
  const inBody = JSON.stringify(value) as string | undefined;
  if (inBody === undefined) return 0;
  return Buffer.byteLength(JSON.stringify(inBody), 'utf8') - 2;
}

/**
 * How many of the leading entries fit in one response, each with the comma
 * that separates it from the next: never fewer than one, so a page always
 * moves on (a single entry always fits, see the README).
 */
export function countWithinResponseBudget(entries: readonly unknown[]): number {
  // Most pages are far below the budget: a bound from one encoding of them all spares measuring each one.
  if (3 * jsonLength(entries) <= RESPONSE_ENTRIES_BUDGET_BYTES) return entries.length;
  let bytes = 0;
  for (let count = 0; count < entries.length; count++) {
    bytes += responseBytes(entries[count]) + 1;
    if (bytes > RESPONSE_ENTRIES_BUDGET_BYTES) return Math.max(1, count);
  }
  return entries.length;
}

/**
 * The length in UTF-16 units of `value`'s JSON. Three times it bounds what
 * `value` weighs twice encoded: once encoded there is no control character
 * or lone surrogate left, so a unit weighs 2 bytes at most as `"` or `\`, 3 as
 * the UTF-8 of a character of the Basic Multilingual Plane, 2 as half of a
 * pair. An array's bound covers its entries with a comma each.
 */
function jsonLength(value: unknown): number {
  return (JSON.stringify(value) as string | undefined)?.length ?? 0;
}
