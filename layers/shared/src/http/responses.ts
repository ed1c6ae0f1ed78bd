import type { APIGatewayProxyResult } from 'aws-lambda';
import { PreconditionFailedError } from '../domain/errors.js';

export type HttpResponse = APIGatewayProxyResult;

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/** A ticket's entity tag is its version: every change increments it. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * The versions an If-Match header accepts: `*` (any), or the list of entity
 * tags it names. If-Match compares strongly (RFC 9110), so a weak tag matches
 * nothing; nor does a tag that is not one of ours. Either way the
 * precondition fails with 412, not 400.
 */
export function versionsFromIfMatch(header: string | undefined): number[] | '*' | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  if (header.trim() === '*') return '*';
  return header
    .split(',')
    .map((tag) => /^\s*"(\d{1,15})"\s*$/.exec(tag)?.[1])
    .filter((value): value is string => value !== undefined)
    .map(Number);
}

/**
 * Why an If-Match header can never match, for the 412's detail: it holds a
 * weak tag (`W/"3"`), since If-Match compares strongly, or an unquoted one
 * (`3`). The tag itself is never echoed: a header may carry anything, a card
 * number or an account number included. Undefined when there is none.
 */
export function unmatchableIfMatchTag(header: string | undefined): string | undefined {
  for (const tag of (header ?? '').split(',').map((part) => part.trim())) {
    if (tag === '' || tag === '*' || /^"[^"]*"$/.test(tag)) continue;
    return /^W\/"[^"]*"$/.test(tag)
      ? 'If-Match holds a weak entity tag, and If-Match compares strongly, so it never matches: send the ETag exactly as given, e.g. "3", not W/"3".'
      : 'If-Match holds an entity tag without its quotes, so it never matches: send the ETag exactly as given, quotes included, e.g. "3", not 3.';
  }
  return undefined;
}

/**
 * A 412 caused by a weak or unquoted If-Match tag says so, rather than that the
 * resource changed; any other error is returned as it is.
 */
export function explainIfMatchFailure(error: unknown, header: string | undefined): unknown {
  if (!(error instanceof PreconditionFailedError)) return error;
  // A strong tag that is merely stale says what it says: the ticket has changed.
  if (versionsFromIfMatch(header)?.length) return error;
  const reason = unmatchableIfMatchTag(header);
  return reason === undefined ? error : new PreconditionFailedError(reason, { cause: error });
}

/**
 * Where a resource created by POST to this collection lives, as the client
 * called it: API Gateway's `requestContext.path` carries the stage prefix on
 * the default endpoint (/dev/tickets) and none behind a custom domain, so the
 * Location header resolves in both.
 */
export function locationOf(event: { requestContext?: { path?: string }; path?: string }, id: string): string {
  const called = [event.requestContext?.path, event.path].find((path) => path !== undefined && path !== '') ?? '';
  const collection = called.replace(/\/+$/, '');
  return `${collection}/${encodeURIComponent(id)}`;
}
