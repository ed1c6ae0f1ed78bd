import { expect } from '@jest/globals';
import type { ProblemBody } from './api-bodies.js';

/** An answer as the integration harness (plain header record) or the e2e client (fetch Headers) sees it. */
export interface AnswerWithHeaders {
  status: number;
  headers: Headers | Record<string, string>;
  body: unknown;
}

export function headerOf(answer: AnswerWithHeaders, name: string): string | null {
  const { headers } = answer;
  return headers instanceof Headers ? headers.get(name) : (headers[name.toLowerCase()] ?? null);
}

/**
 * The contract's error answer: `status`, as application/problem+json (RFC 9457)
 * with type, title, status and detail, and never a stack trace. Returns the body.
 */
export function expectProblem(answer: AnswerWithHeaders, status: number): ProblemBody {
  expect(answer.status).toBe(status);
  expect(headerOf(answer, 'content-type')).toBe('application/problem+json');
  expect(answer.body).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
    detail: expect.any(String),
  });
  expect(JSON.stringify(answer.body)).not.toMatch(/at .*\.(?:m?js|ts):\d+/);
  return answer.body as ProblemBody;
}
