import { expect } from '@jest/globals';
import type { ApiClient } from './api-client.js';
import type { ApiResponse, HttpMethod } from './api-types.js';

/*
 * A browser's CORS preflight and what its check needs of the answer, written
 * out as the Fetch standard's CORS checks need it, not read from the template.
 */

/** Two origins, for a deployment that allows several. */
export const SEVERAL_ORIGINS = 'https://a.example,https://b.example';

/** The request headers the routes read, as every preflight answer allows them. */
export const ALLOWED_HEADERS = 'Authorization,Content-Type,Idempotency-Key,If-Match';

/** Each path with the methods it has, OPTIONS included. */
export const PREFLIGHT_PATHS: [path: string, methods: string][] = [
  ['/tickets', 'GET,OPTIONS,POST'],
  ['/tickets/01ARZ3NDEKTSV4RRFFQ69G5FAV', 'GET,OPTIONS,PATCH'],
  ['/tickets/01ARZ3NDEKTSV4RRFFQ69G5FAV/comments', 'GET,OPTIONS,POST'],
  ['/tickets/01ARZ3NDEKTSV4RRFFQ69G5FAV/comments/01ARZ3NDEKTSV4RRFFQ69G5FAW', 'GET,OPTIONS'],
];

/** A browser's preflight from `origin` for `method` with a token and a JSON body: no token of its own. */
export const preflight = (anonymous: ApiClient, path: string, origin: string, method: HttpMethod = 'POST') =>
  anonymous.call({
    method: 'OPTIONS',
    path,
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': method,
      'Access-Control-Request-Headers': 'authorization,content-type',
    },
  });

/** What a browser's preflight check needs of an answer allowing `allowOrigin`. */
export function expectPreflightAllows(answer: ApiResponse, allowOrigin: string, methods: string): void {
  expect(answer.status).toBe(204);
  expect(answer.headers.get('access-control-allow-origin')).toBe(allowOrigin);
  expect(answer.headers.get('access-control-allow-methods')).toBe(methods);
  expect(answer.headers.get('access-control-allow-headers')).toBe(ALLOWED_HEADERS);
  expect(answer.headers.get('access-control-max-age')).toBe('600');
  expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
}

/** A function's answer to a caller's request from `origin`: 200, readable by a page there (`allowOrigin`). */
export async function expectFunctionAnswerAllows(
  client: ApiClient,
  origin: string,
  allowOrigin: string,
): Promise<void> {
  const answer = await client.call({ method: 'GET', path: '/tickets?limit=1', headers: { Origin: origin } });
  expect(answer.status).toBe(200);
  expect(answer.headers.get('access-control-allow-origin')).toBe(allowOrigin);
}
