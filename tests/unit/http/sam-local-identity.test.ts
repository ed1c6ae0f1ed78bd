/**
 * Under `sam local`, which skips Cognito authorizers, the HTTP stack verifies
 * the bearer token itself with the local key, exactly as the local API's
 * authorizer does; in a Lambda-shaped environment it never does.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { ComprehendClient } from '@aws-sdk/client-comprehend';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { callerFrom } from '../../../layers/shared/src/http/caller.js';
import {
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  localPublicKeyFrom,
  TokenRejectedError,
  verifyLocalIdToken,
} from '../../../layers/shared/src/http/local-id-token.js';
import { LocalCognitoAuthorizer } from '../../../local/api/cognito-authorizer.js';
import { localPublicKeyPem } from '../../../local/sam/sam-env.js';
import { mintIdToken } from '../../../local/token/id-token.js';
import { loadOrCreateSigningKey, type LocalSigningKey } from '../../../local/token/signing-key.js';
import { comprehendAnswersNeutralEnglish } from '../../support/comprehend-answers.js';
import { lambdaContext } from '../../support/api-gateway-event.js';
import { samLocalEvent } from '../../support/sam-local-event.js';
import { loadHandlers, type TicketHandlers } from '../../support/ticket-api-harness.js';
import { mockCursorSecret, TEST_CURSOR_SECRET_ARN } from '../../support/cursor-secret-mock.js';

const dynamodb = mockClient(DynamoDBDocumentClient);
const comprehend = mockClient(ComprehendClient);
mockCursorSecret();

let stateDir: string;
let key: LocalSigningKey;
let otherKey: LocalSigningKey;
let publicKeyPem: string;
let handlers: TicketHandlers;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'sam-local-identity-'));
  key = await loadOrCreateSigningKey(join(stateDir, 'one'));
  otherKey = await loadOrCreateSigningKey(join(stateDir, 'other'));
  publicKeyPem = localPublicKeyPem(key);
  handlers = await loadHandlers({
    TABLE_NAME: 'tickets',
    CURSOR_SECRET_ARN: TEST_CURSOR_SECRET_ARN,
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
  });
});

afterAll(() => {
  rmSync(stateDir, { recursive: true, force: true });
});

const SAM_VARIABLES = ['AWS_SAM_LOCAL', 'LOCAL_TOKEN_PUBLIC_KEY'] as const;
const environmentBefore = Object.fromEntries(SAM_VARIABLES.map((name) => [name, process.env[name]]));

function setEnvironment(values: Partial<Record<(typeof SAM_VARIABLES)[number], string>>): void {
  for (const name of SAM_VARIABLES) {
    const value = values[name];
    if (value === undefined) Reflect.deleteProperty(process.env, name);
    else process.env[name] = value;
  }
}

afterEach(() => {
  setEnvironment(Object.fromEntries(Object.entries(environmentBefore).filter(([, value]) => value !== undefined)));
});

beforeEach(() => {
  dynamodb.reset();
  comprehend.reset();
  dynamodb.on(PutCommand).resolves({});
  dynamodb.on(QueryCommand).resolves({ Items: [] });
  comprehendAnswersNeutralEnglish(comprehend);
});

const NEW_TICKET = { subject: 'Invoice 2291 is wrong', description: 'I was billed twice this month.' };
const createEvent = (token?: string) =>
  samLocalEvent({ method: 'POST', path: '/tickets', resource: '/tickets', token, body: NEW_TICKET });

describe('under sam local with the local key', () => {
  beforeEach(() => {
    setEnvironment({ AWS_SAM_LOCAL: 'true', LOCAL_TOKEN_PUBLIC_KEY: publicKeyPem });
  });

  test('create answers 201 with the token’s caller as the requester', async () => {
    const token = await mintIdToken(key, { sub: 'alice', email: 'alice@example.com' });

    const answer = await handlers.create(createEvent(token), lambdaContext());

    expect(answer.statusCode).toBe(201);
    expect(JSON.parse(answer.body)).toMatchObject({ requester: { id: 'alice', email: 'alice@example.com' } });
    expect(dynamodb.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({ requester: { id: 'alice' } });
  });

  test('list answers 200 for an agent: the token’s groups make the role', async () => {
    const token = await mintIdToken(key, { sub: 'ada', email: 'ada@example.com', agent: true });
    const event = samLocalEvent({ method: 'GET', path: '/tickets', resource: '/tickets', token });
    event.queryStringParameters = { status: 'open' };
    event.multiValueQueryStringParameters = { status: ['open'] };

    const answer = await handlers.list(event, lambdaContext());

    expect(answer.statusCode).toBe(200);
  });

  test('the caller gets the claims the local API’s authorizer would pass', async () => {
    const token = await mintIdToken(key, { sub: 'ada', email: 'ada@example.com', agent: true });
    const authorization = await new LocalCognitoAuthorizer(key).authorize(`Bearer ${token}`);
    if (!authorization.authorized) throw new Error('the local API refused a valid token');
    const viaAuthorizer = callerFrom({ requestContext: { authorizer: { claims: authorization.claims } } });

    expect(callerFrom(createEvent(token))).toEqual(viaAuthorizer);
    expect(viaAuthorizer).toEqual({ id: 'ada', email: 'ada@example.com', role: 'agent' });
  });

  test('the key may be given as a JWK', async () => {
    process.env.LOCAL_TOKEN_PUBLIC_KEY = JSON.stringify(KeyObject.from(key.publicKey).export({ format: 'jwk' }));
    const token = await mintIdToken(key, { sub: 'alice', email: 'alice@example.com' });

    expect(callerFrom(createEvent(token))).toMatchObject({ id: 'alice' });
  });

  test('an event with authorizer claims (sam local invoke with events/*.json) is read as in AWS', () => {
    const event = createEvent();
    event.requestContext.authorizer = { claims: { sub: 'carol', email_verified: 'true', email: 'c@example.com' } };

    expect(callerFrom(event)).toMatchObject({ id: 'carol' });
  });

  const refused: [string, () => Promise<string | undefined>][] = [
    ['no token', () => Promise.resolve(undefined)],
    ['a token signed by another key', () => mintIdToken(otherKey, { sub: 'mallory', email: 'm@example.com' })],
    ['an expired token', () => mintIdToken(key, { sub: 'alice', email: 'a@example.com', expiresInSeconds: -1 })],
    [
      'alg: none',
      async () => {
        const [, payload] = (await mintIdToken(key, { sub: 'alice', email: 'a@example.com' })).split('.');
        return `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload ?? ''}.`;
      },
    ],
    [
      'a forged payload under a genuine signature',
      async () => {
        const [header, , signature] = (await mintIdToken(key, { sub: 'alice', email: 'a@example.com' })).split('.');
        const forged = { sub: 'mallory', iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, token_use: 'id', iat: 1, exp: 4e9 };
        return `${header ?? ''}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature ?? ''}`;
      },
    ],
    [
      'HS256 keyed with the public key',
      () =>
        new SignJWT({ token_use: 'id' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('mallory')
          .setIssuer(LOCAL_ISSUER)
          .setAudience(LOCAL_AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(Buffer.from(publicKeyPem)),
    ],
    ['another issuer', () => signedWith({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x' })],
    ['another audience', () => signedWith({ aud: 'another-client' })],
    ['an access token', () => signedWith({ token_use: 'access' })],
  ];

  test.each(refused)('%s: 401, nothing stored', async (_name, tokenOf) => {
    const answer = await handlers.create(createEvent(await tokenOf()), lambdaContext());

    expect(answer.statusCode).toBe(401);
    expect(dynamodb.commandCalls(PutCommand)).toHaveLength(0);
  });
});

/** A token with the local key whose claims differ from a genuine one's by `overrides`. */
function signedWith(overrides: Record<string, unknown>): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    sub: 'alice',
    iss: LOCAL_ISSUER,
    aud: LOCAL_AUDIENCE,
    token_use: 'id',
    iat: now,
    exp: now + 600,
    ...overrides,
  })
    .setProtectedHeader({ alg: 'ES256' })
    .sign(key.privateKey);
}

describe('in a Lambda-shaped environment the token is never read', () => {
  const environments: [string, Partial<Record<(typeof SAM_VARIABLES)[number], string>>][] = [
    ['neither variable (Lambda)', {}],
    ['AWS_SAM_LOCAL without a key', { AWS_SAM_LOCAL: 'true' }],
    ['AWS_SAM_LOCAL with an empty key', { AWS_SAM_LOCAL: 'true', LOCAL_TOKEN_PUBLIC_KEY: ' ' }],
    ['the key without AWS_SAM_LOCAL', { LOCAL_TOKEN_PUBLIC_KEY: 'set below' }],
    ['the key with AWS_SAM_LOCAL other than "true"', { AWS_SAM_LOCAL: '1', LOCAL_TOKEN_PUBLIC_KEY: 'set below' }],
  ];

  test.each(environments)('%s: a valid local token alone gives 401', async (_name, environment) => {
    setEnvironment(
      environment.LOCAL_TOKEN_PUBLIC_KEY === 'set below'
        ? { ...environment, LOCAL_TOKEN_PUBLIC_KEY: publicKeyPem }
        : environment,
    );
    const token = await mintIdToken(key, { sub: 'alice', email: 'alice@example.com' });

    const answer = await handlers.create(createEvent(token), lambdaContext());

    expect(answer.statusCode).toBe(401);
    expect(dynamodb.commandCalls(PutCommand)).toHaveLength(0);
  });
});

describe('verifyLocalIdToken', () => {
  const publicKey = () => localPublicKeyFrom(publicKeyPem);

  test('an expired token says so, as API Gateway does', async () => {
    const token = await mintIdToken(key, { sub: 'alice', email: 'a@example.com', expiresInSeconds: 60 });

    expect(verifyLocalIdToken(publicKey(), token)).toMatchObject({ sub: 'alice' });
    expect(() => verifyLocalIdToken(publicKey(), token, new Date(Date.now() + 61_000))).toThrow(
      expect.objectContaining({ gatewayMessage: 'The incoming token has expired' }),
    );
  });

  test('refuses what is not three base64url parts', () => {
    for (const token of ['', 'a.b', 'a.b.c.d', 'a b.c.d', 'e30.e30.']) {
      expect(() => verifyLocalIdToken(publicKey(), token)).toThrow(TokenRejectedError);
    }
  });

  test('takes only a P-256 key', () => {
    const { publicKey: rsa } = generateKeyPairSync('rsa', { modulusLength: 2048 });

    expect(() => localPublicKeyFrom(rsa.export({ type: 'spki', format: 'pem' }).toString())).toThrow(/P-256/);
  });
});
