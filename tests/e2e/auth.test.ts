import { describe, expect, test } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { importJWK, SignJWT, UnsecuredJWT, type CryptoKey } from 'jose';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../local/token/id-token.js';
import type { ProblemBody } from '../support/api-bodies.js';
import { expectProblem } from '../support/problem-details.js';
import { callApi } from './support/api-client.js';
import { expectFromGateway } from './support/answer-origin.js';
import type { ApiRequest } from './support/api-types.js';
import { testSystemPerFile } from './support/local-system.js';

/**
 * Who may call what, over HTTP. The local API verifies tokens as API
 * Gateway's Cognito authorizer does: every route needs a valid ID token, and
 * anything else is the UNAUTHORIZED gateway response (401), before any
 * function runs. The `agents` group makes an agent; a customer may read and
 * change only their own tickets: another customer's is 404, the same answer
 * as for a ticket that does not exist, and a change only agents may make is 403.
 */

const QUESTION = { subject: 'Export question', description: 'How do I export my invoices as a CSV file?' };
const UNKNOWN_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

/** The template's UNAUTHORIZED gateway response. */
const UNAUTHORIZED: ProblemBody = {
  type: 'urn:aws-support-system:problem:unauthenticated',
  title: 'Unauthorized',
  status: 401,
  detail: 'Send a valid bearer token in the Authorization header.',
};
const UNAUTHORIZED_HEADERS = {
  'content-type': 'application/problem+json',
  'www-authenticate': 'Bearer',
  'access-control-allow-origin': '*',
};

/** Every route, with a body it would accept from an agent. */
const EVERY_ROUTE: Omit<ApiRequest, 'token'>[] = [
  { method: 'POST', path: '/tickets', body: { subject: 'x', description: 'y' } },
  { method: 'GET', path: '/tickets' },
  { method: 'GET', path: `/tickets/${UNKNOWN_ID}` },
  { method: 'PATCH', path: `/tickets/${UNKNOWN_ID}`, body: { status: 'closed' } },
];

describe('authentication over HTTP', () => {
  const system = testSystemPerFile();

  const signedBy = async (key: CryptoKey | Uint8Array, alg: string, claims: { iss?: string } = {}) =>
    new SignJWT({ email: 'mallory@example.com', token_use: 'id', 'cognito:groups': ['agents'], ...claims })
      .setProtectedHeader({ alg })
      .setSubject('mallory')
      .setIssuer(claims.iss ?? LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key);

  const forgedTokens: [string, () => Promise<string | null>][] = [
    ['no token', () => Promise.resolve(null)],
    [
      'a token signed with another key',
      async () => {
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        return signedBy(await importJWK(privateKey.export({ format: 'jwk' }), 'ES256'), 'ES256');
      },
    ],
    [
      'an unsigned token (alg: none)',
      () =>
        Promise.resolve(
          new UnsecuredJWT({ email: 'm@x', token_use: 'id', 'cognito:groups': ['agents'] })
            .setSubject('mallory')
            .setIssuer(LOCAL_ISSUER)
            .setAudience(LOCAL_AUDIENCE)
            .setIssuedAt()
            .setExpirationTime('1h')
            .encode(),
        ),
    ],
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
    [
      'a token with a tampered payload',
      async () => {
        const [header, , signature] = (await system().token({ sub: 'alice' })).split('.');
        const payload = Buffer.from(
          JSON.stringify({
            sub: 'ada',
            'cognito:groups': ['agents'],
            token_use: 'id',
            iss: LOCAL_ISSUER,
            aud: LOCAL_AUDIENCE,
            exp: 9999999999,
            iat: 1,
          }),
        ).toString('base64url');
        return `${header!}.${payload}.${signature!}`;
      },
    ],
  ];

  test.each(forgedTokens)('401 for %s, on every route, from API Gateway', async (_case, makeToken) => {
    const token = await makeToken();
    for (const request of EVERY_ROUTE) {
      const answer = await callApi(system().apiUrl, { ...request, token });
      expectProblem(answer, 401);
      expectFromGateway(answer, UNAUTHORIZED, UNAUTHORIZED_HEADERS);
    }
  });

  test('a valid token is accepted, with or without the Bearer prefix', async () => {
    const token = await system().token({ sub: 'alice' });
    expect((await callApi(system().apiUrl, { method: 'GET', path: '/tickets', token })).status).toBe(200);
    const bare = await system().anonymous.call({ method: 'GET', path: '/tickets', headers: { Authorization: token } });
    expect(bare.status).toBe(200);
  });

  test("the agents group makes an agent; a customer's token does not", async () => {
    const customer = await system().clientAs({ sub: 'carol' });
    const agent = await system().clientAs({ sub: 'ada', agent: true });
    const created = await customer.create({ subject: 'Hello', description: 'How do I change my e-mail address?' });
    expect(created.status).toBe(201);
    const triage = { status: 'in_progress', priority: 'high' };
    expect((await customer.update(created.body.id, triage)).status).toBe(403);
    expect((await agent.update(created.body.id, triage)).status).toBe(200);
  });

  test('403 when a requester changes what only agents may; they may close their own ticket', async () => {
    const alice = await system().clientAs({ sub: 'alice' });
    const { body: ticket } = await alice.create(QUESTION);
    expectProblem(await alice.update(ticket.id, { priority: 'urgent' }), 403);
    expect((await alice.update(ticket.id, { status: 'closed' })).status).toBe(200);
  });

  test("404 when reading another customer's ticket: the same answer as for one that does not exist", async () => {
    const alice = await system().clientAs({ sub: 'alice' });
    const bob = await system().clientAs({ sub: 'bob' });
    const { body: ticket } = await alice.create(QUESTION);
    const theirs = expectProblem(await bob.get(ticket.id), 404);
    const missing = expectProblem(await bob.get(UNKNOWN_ID), 404);
    expect(theirs.detail.replace(ticket.id, 'ID')).toBe(missing.detail.replace(UNKNOWN_ID, 'ID'));
  });

  test("404 when changing another customer's ticket", async () => {
    const alice = await system().clientAs({ sub: 'alice' });
    const bob = await system().clientAs({ sub: 'bob' });
    const { body: ticket } = await alice.create(QUESTION);
    expectProblem(await bob.update(ticket.id, { status: 'closed' }), 404);
  });
});
