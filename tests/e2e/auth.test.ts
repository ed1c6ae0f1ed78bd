import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { importJWK, SignJWT, UnsecuredJWT, type CryptoKey } from 'jose';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../local/token/id-token.js';
import { call, E2E_START_TIMEOUT_MS, startTestSystem, type TestSystem } from './support/local-system.js';

/**
 * The local API verifies tokens as API Gateway's Cognito authorizer does:
 * every route needs a valid ID token; anything else is 401 with the
 * template's UNAUTHORIZED answer, and the function never runs.
 */
describe('authentication over HTTP', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem();
  }, E2E_START_TIMEOUT_MS);
  afterAll(() => system?.stop());

  const signedBy = async (key: CryptoKey | Uint8Array, alg: string, claims: Record<string, unknown> = {}) =>
    new SignJWT({ email: 'mallory@example.com', token_use: 'id', 'cognito:groups': ['agents'], ...claims })
      .setProtectedHeader({ alg })
      .setSubject('mallory')
      .setIssuer((claims.iss as string) ?? LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key);

  const forgedTokens: [string, () => Promise<string | null>][] = [
    ['no token', async () => null],
    [
      'a token signed with another key',
      async () => {
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        return signedBy((await importJWK(privateKey.export({ format: 'jwk' }), 'ES256')) as CryptoKey, 'ES256');
      },
    ],
    [
      'an unsigned token (alg: none)',
      async () =>
        new UnsecuredJWT({ email: 'm@x', token_use: 'id', 'cognito:groups': ['agents'] })
          .setSubject('mallory')
          .setIssuer(LOCAL_ISSUER)
          .setAudience(LOCAL_AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('1h')
          .encode(),
    ],
    [
      'an HMAC token keyed with the public key (algorithm confusion)',
      async () =>
        signedBy(
          new TextEncoder().encode(JSON.stringify(await crypto.subtle.exportKey('jwk', system.signingKey.publicKey))),
          'HS256',
        ),
    ],
    ['an expired token', async () => system.token({ sub: 'alice', expiresInSeconds: -30 })],
    [
      'a token from another issuer',
      async () => signedBy(system.signingKey.privateKey, 'ES256', { iss: 'https://cognito-idp.example/elsewhere' }),
    ],
    [
      'a token with a tampered payload',
      async () => {
        const [header, , signature] = (await system.token({ sub: 'alice' })).split('.');
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
        return `${header}.${payload}.${signature}`;
      },
    ],
  ];

  test.each(forgedTokens)('401 for %s, on every route', async (_case, makeToken) => {
    const token = await makeToken();
    const id = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
    for (const [method, path, body] of [
      ['POST', '/tickets', { subject: 'x', description: 'y' }],
      ['GET', '/tickets', undefined],
      ['GET', `/tickets/${id}`, undefined],
      ['PATCH', `/tickets/${id}`, { status: 'closed' }],
    ] as const) {
      const answer = await call(system.apiUrl, method, path, { token, body });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      expect(answer.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    }
  });

  test('a valid token is accepted, with or without the Bearer prefix', async () => {
    const token = await system.token({ sub: 'alice' });
    expect((await call(system.apiUrl, 'GET', '/tickets', { token })).status).toBe(200);
    const bare = await fetch(`${system.apiUrl}/tickets`, { headers: { Authorization: token } });
    expect(bare.status).toBe(200);
  });

  test("the agents group makes an agent; a customer's token does not", async () => {
    const customer = await system.token({ sub: 'carol' });
    const agent = await system.token({ sub: 'ada', agent: true });
    const created = await call(system.apiUrl, 'POST', '/tickets', {
      token: customer,
      body: { subject: 'Hello', description: 'How do I change my e-mail address?' },
    });
    expect(created.status).toBe(201);
    const triage = { status: 'in_progress', priority: 'high' };
    expect(
      (await call(system.apiUrl, 'PATCH', `/tickets/${created.body.id}`, { token: customer, body: triage })).status,
    ).toBe(403);
    expect(
      (await call(system.apiUrl, 'PATCH', `/tickets/${created.body.id}`, { token: agent, body: triage })).status,
    ).toBe(200);
  });
});
