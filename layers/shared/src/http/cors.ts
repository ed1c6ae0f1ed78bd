import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { readAllowedOrigins, readPreflightMethods } from '../config.js';

/*
 * Cross-origin access, for the functions' answers (http-cors in
 * http-handler.ts) and the CORS preflight (functions/cors-preflight) alike.
 */

/** The request headers a browser may send across origins: the ones the routes read. */
export const CORS_ALLOWED_HEADERS = 'Authorization,Content-Type,Idempotency-Key,If-Match';
/** The answer headers a page's script may read besides the CORS-safelisted ones. */
export const CORS_EXPOSED_HEADERS = 'ETag,Location,Retry-After,Idempotent-Replayed';
/** How long a browser may reuse a preflight answer; each preflight the browser sends is one invocation. */
export const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * The Access-Control-Allow-Origin answering a request from `origin`: `*` when
 * any origin is allowed, the origin itself when it is listed, and null (no
 * header, so the browser refuses) otherwise. Origins are compared exactly, as
 * browsers send them (scheme, host and any port, no path).
 */
export function allowedOriginFor(origin: string | undefined, allowedOrigins: readonly string[]): string | null {
  if (allowedOrigins.includes('*')) return '*';
  return origin !== undefined && allowedOrigins.includes(origin) ? origin : null;
}

/**
 * The answer to every OPTIONS request: 204, with the CORS headers when the
 * request's origin is allowed, without them otherwise. No token is needed
 * (browsers send preflights without credentials) and nothing is read but the
 * configuration, so it is cheap, and browsers reuse it for
 * PREFLIGHT_MAX_AGE_SECONDS.
 */
export function corsPreflightHandler(env: Record<string, string | undefined> = process.env) {
  const allowedOrigins = readAllowedOrigins(env);
  const methodsByPath = readPreflightMethods(env);
  return (event: PreflightEvent): Promise<APIGatewayProxyResult> => {
    // The answer depends on the Origin header, allowed or not: caches must key on it.
    const headers: Record<string, string> = { Vary: 'Origin' };
    const allowOrigin = allowedOriginFor(originOf(event), allowedOrigins);
    if (allowOrigin !== null) {
      headers['Access-Control-Allow-Origin'] = allowOrigin;
      const methods = methodsByPath.get(event.resource);
      if (methods !== undefined) headers['Access-Control-Allow-Methods'] = methods;
      headers['Access-Control-Allow-Headers'] = CORS_ALLOWED_HEADERS;
      headers['Access-Control-Max-Age'] = String(PREFLIGHT_MAX_AGE_SECONDS);
    }
    return Promise.resolve({ statusCode: 204, headers, body: '' });
  };
}

/** What the preflight reads of API Gateway's proxy event: `headers` is null when the request has none. */
interface PreflightEvent {
  headers: APIGatewayProxyEvent['headers'] | null;
  resource: string;
}

/** API Gateway passes headers as the client spelled them. */
function originOf({ headers }: PreflightEvent): string | undefined {
  const entry = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'origin');
  return entry?.[1];
}
