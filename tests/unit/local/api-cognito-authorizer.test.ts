/**
 * The local Cognito authorizer says why it refused a token, one log line per
 * refusal, and never the token itself; the caller still gets API Gateway's
 * plain answer.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, UnsecuredJWT, importJWK } from 'jose';
import { LocalCognitoAuthorizer } from '../../../local/api/cognito-authorizer.js';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, mintIdToken } from '../../../local/token/id-token.js';
import { loadOrCreateSigningKey, type LocalSigningKey } from '../../../local/token/signing-key.js';

describe('the local authorizer logs why it refuses a token', () => {
  let stateDir: string;
  let key: LocalSigningKey;

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'authorizer-'));
    key = await loadOrCreateSigningKey(stateDir);
  });
  afterAll(() => {
    rmSync(stateDir, { recursive: true, force: true });
  });

  /** An ES256 token signed with the local key, with these claims over the valid ones. */
  const signed = (
    claims: Record<string, unknown> = {},
    options: { issuer?: string; audience?: string; keyId?: string | null; issuedAt?: number } = {},
  ) =>
    new SignJWT({ token_use: 'id', sub: 'alice', ...claims })
      .setProtectedHeader(options.keyId === null ? { alg: 'ES256' } : { alg: 'ES256', kid: options.keyId ?? key.keyId })
      .setIssuer(options.issuer ?? LOCAL_ISSUER)
      .setAudience(options.audience ?? LOCAL_AUDIENCE)
      .setIssuedAt(options.issuedAt)
      .setExpirationTime('1h')
      .sign(key.privateKey);

  const tokens: Record<string, () => Promise<string | undefined>> = {
    'no token': () => Promise.resolve(undefined),
    malformed: () => Promise.resolve('not-a-jwt'),
    expired: () => mintIdToken(key, { sub: 'alice', email: 'a@x', expiresInSeconds: -60 }),
    'not yet valid': () => signed({ nbf: Math.floor(Date.now() / 1000) + 3600 }),
    'bad signature': async () => {
      const otherKey = await loadOrCreateSigningKey(join(stateDir, 'another-machine'));
      return mintIdToken(otherKey, { sub: 'mallory', email: 'm@x' });
    },
    'wrong issuer': () => signed({}, { issuer: 'https://elsewhere' }),
    'wrong audience': () => signed({}, { audience: 'other-client' }),
    'not an ID token': () => signed({ token_use: 'access' }),
    'another kid': () => signed({}, { keyId: 'another-key' }),
    'no kid': () => signed({}, { keyId: null }),
    'iat an hour ahead': () => signed({}, { issuedAt: Math.floor(Date.now() / 1000) + 3600 }),
    'a number as sub': () => signed({ sub: 42 }),
    'a number as email': () => signed({ email: 7 }),
    'groups as one string': () => signed({ 'cognito:groups': 'agents' }),
    'a number among the groups': () => signed({ 'cognito:groups': ['agents', 1] }),
    'email_verified as a string': () => signed({ email_verified: 'true' }),
    'alg not allowed': async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return new SignJWT({ token_use: 'id' })
        .setProtectedHeader({ alg: 'RS256' })
        .setSubject('mallory')
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(await importJWK(privateKey.export({ format: 'jwk' }), 'RS256'));
    },
    'alg none': () =>
      Promise.resolve(
        new UnsecuredJWT({ token_use: 'id' })
          .setSubject('mallory')
          .setIssuer(LOCAL_ISSUER)
          .setAudience(LOCAL_AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('1h')
          .encode(),
      ),
  };

  test.each([
    ['no token', 'no token', 'Unauthorized'],
    ['malformed', 'malformed', 'Unauthorized'],
    ['expired', 'expired', 'The incoming token has expired'],
    ['not yet valid', 'not yet valid', 'Unauthorized'],
    ['bad signature', 'bad signature', 'Unauthorized'],
    ['wrong issuer', 'wrong issuer', 'Unauthorized'],
    ['wrong audience', 'wrong audience', 'Unauthorized'],
    ['not an ID token', 'not an ID token', 'Unauthorized'],
    ['alg not allowed', 'alg not allowed', 'Unauthorized'],
    ['another kid', 'wrong kid', 'Unauthorized'],
    ['no kid', 'wrong kid', 'Unauthorized'],
    ['iat an hour ahead', 'issued in the future', 'Unauthorized'],
    ['a number as sub', 'malformed', 'Unauthorized'],
    ['a number as email', 'malformed', 'Unauthorized'],
    ['groups as one string', 'malformed', 'Unauthorized'],
    ['a number among the groups', 'malformed', 'Unauthorized'],
    ['email_verified as a string', 'malformed', 'Unauthorized'],
    // An unsigned token (alg: none) has an empty signature part: refused by its shape before its header is read.
    ['alg none', 'malformed', 'Unauthorized'],
  ])('%s: one line saying "%s", the answer stays "%s"', async (kind, reason, message) => {
    const lines: string[] = [];
    const authorizer = new LocalCognitoAuthorizer(key, { log: (line) => lines.push(line) });
    const token = await tokens[kind]!();

    const answer = await authorizer.authorize(token === undefined ? undefined : `Bearer ${token}`);

    expect(answer).toEqual({ authorized: false, message });
    expect(lines).toEqual([`[authorizer] 401: token refused (${reason})`]);
    if (token !== undefined) {
      for (const part of token.split('.').filter((segment) => segment.length > 8)) {
        expect(lines[0]).not.toContain(part);
      }
    }
  });

  test('an iat within the clock skew is accepted', async () => {
    const authorizer = new LocalCognitoAuthorizer(key);
    const token = await signed({}, { issuedAt: Math.floor(Date.now() / 1000) + 30 });

    await expect(authorizer.authorize(`Bearer ${token}`)).resolves.toMatchObject({ authorized: true });
  });

  test.each([
    ['["foo,agents"]', ['foo,agents']],
    ['["agents]"]', ['agents]']],
    ['["[agents"]', ['[agents']],
    ['["agents billing"]', ['agents billing']],
    ['["agents", "foo,bar"]', ['agents', 'foo,bar']],
  ])('groups %s, which read as several once joined, are passed on as no groups', async (_, groups) => {
    const answer = await new LocalCognitoAuthorizer(key).authorize(
      `Bearer ${await signed({ 'cognito:groups': groups })}`,
    );

    expect(answer).toMatchObject({ authorized: true });
    expect(answer.authorized && answer.claims).not.toHaveProperty('cognito:groups');
  });

  test('plain group names are passed on comma-separated, as the REST API does', async () => {
    const answer = await new LocalCognitoAuthorizer(key).authorize(
      `Bearer ${await signed({ 'cognito:groups': ['agents', 'billing'] })}`,
    );

    expect(answer).toMatchObject({ authorized: true, claims: { 'cognito:groups': 'agents,billing' } });
  });

  test('an accepted token logs nothing', async () => {
    const lines: string[] = [];
    const authorizer = new LocalCognitoAuthorizer(key, { log: (line) => lines.push(line) });

    const answer = await authorizer.authorize(`Bearer ${await mintIdToken(key, { sub: 'alice', email: 'a@x' })}`);

    expect(answer).toMatchObject({ authorized: true, claims: { sub: 'alice' } });
    expect(lines).toEqual([]);
  });

  describe('verified tokens are remembered until they expire, as API Gateway may cache them', () => {
    /** Every timer stays real: only the clock that Date reads is moved. */
    const ONLY_DATE = [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ] as const;

    test('a remembered token is refused as expired from its exp on, and said so', async () => {
      const token = await signed();
      const exp = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp: number };
      const lines: string[] = [];
      const authorizer = new LocalCognitoAuthorizer(key, { log: (line) => lines.push(line) });
      expect(await authorizer.authorize(`Bearer ${token}`)).toMatchObject({ authorized: true });

      jest.useFakeTimers({ doNotFake: [...ONLY_DATE] });
      try {
        jest.setSystemTime(exp.exp * 1000 - 1);
        expect(await authorizer.authorize(`Bearer ${token}`)).toMatchObject({ authorized: true });
        jest.setSystemTime(exp.exp * 1000);
        expect(await authorizer.authorize(`Bearer ${token}`)).toEqual({
          authorized: false,
          message: 'The incoming token has expired',
        });
      } finally {
        jest.useRealTimers();
      }
      expect(lines).toEqual(['[authorizer] 401: token refused (expired)']);
    });

    test('a refused token is refused, and logged, every time', async () => {
      const token = await tokens['bad signature']!();
      const lines: string[] = [];
      const authorizer = new LocalCognitoAuthorizer(key, { log: (line) => lines.push(line) });

      for (let attempt = 0; attempt < 3; attempt += 1) {
        expect(await authorizer.authorize(`Bearer ${token ?? ''}`)).toEqual({
          authorized: false,
          message: 'Unauthorized',
        });
      }
      expect(lines).toEqual(Array.from({ length: 3 }, () => '[authorizer] 401: token refused (bad signature)'));
    });

    test('each answer has its own claims: changing one changes no later answer', async () => {
      const authorizer = new LocalCognitoAuthorizer(key);
      const token = await signed({ email: 'alice@example.com' });
      const first = await authorizer.authorize(`Bearer ${token}`);
      if (!first.authorized) throw new Error('refused');
      first.claims.sub = 'mallory';

      expect(await authorizer.authorize(`Bearer ${token}`)).toMatchObject({
        authorized: true,
        claims: { sub: 'alice', email: 'alice@example.com' },
      });
    });
  });
});
