import { describe, expect, test } from '@jest/globals';
import { expectProblem } from '../../support/problem-details.js';
import { expectFromGateway } from '../support/answer-origin.js';
import { contractTargetPerFile } from '../support/contract-target.js';
import {
  expectFunctionAnswerAllows,
  expectPreflightAllows,
  PREFLIGHT_PATHS,
  preflight,
  SEVERAL_ORIGINS,
} from '../support/cors.js';
import { allowedOriginOf, UNAUTHORIZED, unauthorizedExchange } from '../support/unauthorized.js';

/**
 * CORS over HTTP, as a page on an origin the deployment allows meets it (its
 * AllowedOrigins parameter: several origins for the local system here, the
 * stack's own when deployed): the preflight, answered without a token by the
 * preflight function, API Gateway's own 401, and a function's answer, each
 * readable by that page. Origins not listed, and `*` locally, are in
 * ../cors.test.ts.
 */
describe('CORS for an allowed origin', () => {
  const target = contractTargetPerFile({ local: { parameterOverrides: { AllowedOrigins: SEVERAL_ORIGINS } } });
  const allowedOrigins = () => target().parameters.AllowedOrigins ?? '';

  test.each(PREFLIGHT_PATHS)(
    'a preflight on %s, without a token, is answered 204 allowing the origin and the methods of the path',
    async (path, methods) => {
      const { origin, allowOrigin } = allowedOriginOf(allowedOrigins());
      const answer = await preflight(target().anonymous, path, origin);
      expectPreflightAllows(answer, allowOrigin, methods);
      expect(answer.headers.get('vary')).toBe('Origin');
    },
  );

  test("API Gateway's 401 is readable by the page", async () => {
    const { requestHeaders, answerHeaders } = unauthorizedExchange(allowedOrigins());
    const answer = await target().anonymous.call({ method: 'GET', path: '/tickets', headers: requestHeaders });
    expectProblem(answer, 401);
    expectFromGateway(answer, UNAUTHORIZED, answerHeaders);
  });

  test("a function's answer is readable by the page", async () => {
    const { origin, allowOrigin } = allowedOriginOf(allowedOrigins());
    await expectFunctionAnswerAllows(target().customer.client, origin, allowOrigin);
  });
});
