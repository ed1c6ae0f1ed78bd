import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { AGENTS_GROUP } from '../../../layers/shared/src/http/caller.js';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../../local/token/id-token.js';
import type { ProblemBody } from '../../support/api-bodies.js';
import type { ApiRequest } from './api-types.js';

/*
 * What API Gateway answers a request without a valid token (the template's
 * UNAUTHORIZED gateway response), the requests that get it, and tokens that
 * claim to be an agent's without being one.
 */

export const UNKNOWN_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

export const UNAUTHORIZED: ProblemBody = {
  type: 'urn:aws-support-system:problem:unauthenticated',
  title: 'Unauthorized',
  status: 401,
  detail: 'Send a valid bearer token in the Authorization header.',
};

/** What a page sends where any origin is allowed (`*`): any origin will do. */
const SOME_ORIGIN = 'https://anywhere.example';

/**
 * A page on an origin a deployment allows, given its AllowedOrigins
 * parameter: the Origin it sends, and the Access-Control-Allow-Origin an
 * answer to it carries. The last listed origin is sent, so an answer naming
 * the first alone fails; `echoed` says the answer names the request's own
 * Origin (then with `Vary: Origin`), as every answer does unless
 * AllowedOrigins is `*` (the console's origin is allowed besides the listed
 * ones); with `*`, `*` answers any origin.
 */
export function allowedOriginOf(allowedOrigins: string): { origin: string; allowOrigin: string; echoed: boolean } {
  if (allowedOrigins === '*') return { origin: SOME_ORIGIN, allowOrigin: '*', echoed: false };
  const origin = allowedOrigins.split(',').at(-1);
  if (!origin) throw new Error(`AllowedOrigins "${allowedOrigins}" lists no origin.`);
  return { origin, allowOrigin: origin, echoed: true };
}

/**
 * API Gateway's 401 to a page on an allowed origin: the headers the request
 * sends (its Origin) and those the UNAUTHORIZED gateway response carries.
 * With `*` the gateway response says `*`; otherwise it echoes the request's
 * Origin, which only a request sending one gets.
 */
export function unauthorizedExchange(allowedOrigins: string): {
  requestHeaders: Record<string, string>;
  answerHeaders: Record<string, string>;
} {
  const { origin, allowOrigin, echoed } = allowedOriginOf(allowedOrigins);
  return {
    requestHeaders: { Origin: origin },
    answerHeaders: {
      'content-type': 'application/problem+json',
      'www-authenticate': 'Bearer',
      'access-control-allow-origin': allowOrigin,
      ...(echoed ? { vary: 'Origin' } : {}),
    },
  };
}

/** Every route, with a body it would accept from an agent. */
export const EVERY_ROUTE: Omit<ApiRequest, 'token'>[] = [
  { method: 'POST', path: '/tickets', body: { subject: 'x', description: 'y' } },
  { method: 'GET', path: '/tickets' },
  { method: 'GET', path: `/tickets/${UNKNOWN_ID}` },
  { method: 'PATCH', path: `/tickets/${UNKNOWN_ID}`, body: { status: 'closed' } },
];

/** An agent's ID token for `mallory`, signed with `key`: only the local key's is one the local API accepts. */
export const signedBy = async (key: CryptoKey | Uint8Array, alg: string, claims: { iss?: string } = {}) =>
  new SignJWT({ email: 'mallory@example.com', token_use: 'id', 'cognito:groups': ['agents'], ...claims })
    .setProtectedHeader({ alg })
    .setSubject('mallory')
    .setIssuer(claims.iss ?? LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key);

/** A real ID token's header and claims, the claims made an agent's: what a forger can read and wants. */
function forgedFrom(token: string) {
  const header = decodeProtectedHeader(token);
  const claims = { ...decodeJwt(token), 'cognito:groups': [AGENTS_GROUP] };
  return { header, claims };
}

/**
 * `token`, a real ID token of the target, claiming the agents group and
 * signed again with a key of the same kind that is not the issuer's: its
 * issuer, audience, key id and expiry are all the target's, so only the
 * signature check can refuse it.
 */
export async function resignedWithAnotherKey(token: string): Promise<string> {
  const { header, claims } = forgedFrom(token);
  if (!header.alg) throw new Error('The token names no algorithm.');
  const { privateKey } = await generateKeyPair(header.alg);
  return new SignJWT(claims).setProtectedHeader({ ...header, alg: header.alg }).sign(privateKey);
}

/** `token`, a real ID token of the target, claiming the agents group, with `alg: none` and no signature. */
export function unsigned(token: string): string {
  const { header, claims } = forgedFrom(token);
  const encoded = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encoded({ ...header, alg: 'none' })}.${encoded(claims)}.`;
}
