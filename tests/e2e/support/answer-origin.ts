import { expect } from '@jest/globals';
import type { ProblemBody } from '../../support/api-bodies.js';
import type { ApiResponse } from './api-types.js';

/*
 * Who answered: a function (through the layer's middleware) or API Gateway
 * itself (one of the template's gateway responses). A client sees the
 * difference in the body and the headers.
 */

/** What only a function's answer has: the request id in the body, and the security headers the layer adds. */
export function expectFromFunction(answer: ApiResponse): void {
  expect(answer.body).toMatchObject({ requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
}

/** API Gateway's own answer: exactly this body and these headers, and nothing a function adds (no request id). */
export function expectFromGateway(answer: ApiResponse, body: ProblemBody, headers: Record<string, string>): void {
  expect(answer.body).toEqual(body);
  expect(answer.headers.get('x-content-type-options')).toBeNull();
  for (const [name, value] of Object.entries(headers)) expect(answer.headers.get(name)).toBe(value);
}
