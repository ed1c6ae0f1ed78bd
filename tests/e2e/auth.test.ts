import { describe, test } from '@jest/globals';
import { expectProblem } from '../support/problem-details.js';
import { callApi } from './support/api-client.js';
import { expectFromGateway } from './support/answer-origin.js';
import { testSystemPerFile } from './support/local-system.js';
import { EVERY_ROUTE, signedBy, UNAUTHORIZED, unauthorizedExchange } from './support/unauthorized.js';

/**
 * Tokens that only the local system's own signing key can make: a token
 * signed with the local key that is expired or names another issuer, and
 * one keyed with the local public key. API Gateway answers each with the
 * UNAUTHORIZED gateway response (401) before any function runs. The rest of
 * who may call what runs against a deployed stack too, in contract/auth.test.ts.
 */
describe('authentication over HTTP: tokens made with the local key', () => {
  const system = testSystemPerFile();

  const forgedTokens: [string, () => Promise<string | null>][] = [
    [
      'an HMAC token keyed with the public key (algorithm confusion)',
      async () =>
        signedBy(
          new TextEncoder().encode(JSON.stringify(await crypto.subtle.exportKey('jwk', system().signingKey.publicKey))),
          'HS256',
        ),
    ],
    ['an expired token', () => system().token({ sub: 'alice', expiresInSeconds: -30 })],
    [
      'a token from another issuer',
      () => signedBy(system().signingKey.privateKey, 'ES256', { iss: 'https://cognito-idp.example/elsewhere' }),
    ],
  ];

  test.each(forgedTokens)('401 for %s, on every route, from API Gateway', async (_case, makeToken) => {
    const token = await makeToken();
    const { requestHeaders, answerHeaders } = unauthorizedExchange('*');
    for (const request of EVERY_ROUTE) {
      const answer = await callApi(system().apiUrl, { ...request, token, headers: requestHeaders });
      expectProblem(answer, 401);
      expectFromGateway(answer, UNAUTHORIZED, answerHeaders);
    }
  });
});
