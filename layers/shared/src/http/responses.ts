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

/** A version as an ETag carries it, short enough that it is never a card or account number. */
const ECHOED_VERSION = /^\d{1,9}$/;

/**
 * Why an If-Match tag can never match, for the 412's detail: a weak tag
 * (`W/"3"`), since If-Match compares strongly, or an unquoted one (`3`). The
 * first such tag of the header is named when it holds a version number, and
 * described without its value otherwise: a header may carry anything, a card
 * number included, and an answer never echoes it. Undefined when there is none.
 */
export function unmatchableIfMatchTag(header: string | undefined): string | undefined {
  for (const tag of (header ?? '').split(',').map((part) => part.trim())) {
    if (tag === '' || tag === '*' || /^"[^"]*"$/.test(tag)) continue;
    const weak = /^W\/("[^"]*")$/.exec(tag)?.[1];
    if (weak !== undefined) {
      const reason =
        'a weak entity tag, and If-Match compares strongly, so it never matches: send the ETag exactly as given';
      return ECHOED_VERSION.test(weak.slice(1, -1))
        ? `If-Match ${tag} is ${reason}, e.g. ${weak}.`
        : `If-Match holds ${reason}.`;
    }
    const bare = tag.replace(/"/g, '');
    if (ECHOED_VERSION.test(bare)) {
      return `If-Match ${tag} is not a quoted entity tag, so it never matches: send the ETag exactly as given, quotes included, e.g. "${bare}".`;
    }
    return 'If-Match holds an entity tag that is not quoted, so it never matches: send the ETag exactly as given, quotes included.';
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
