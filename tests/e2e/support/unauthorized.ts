import { SignJWT, type CryptoKey } from 'jose';
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

/** The gateway response's headers; it allows the first of the deployment's AllowedOrigins. */
export const unauthorizedHeaders = (allowedOrigins: string): Record<string, string> => ({
  'content-type': 'application/problem+json',
  'www-authenticate': 'Bearer',
  'access-control-allow-origin': allowedOrigins.split(',')[0] ?? '',
});

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
