import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { isPlainGroupName } from './cognito-groups.js';

/*
 * The one verifier of local ID tokens (node:crypto only, so it ships in the
 * layer): the local API's Cognito authorizer stand-in uses it, and so does the
 * HTTP stack under `sam local`, where SAM CLI skips Cognito authorizers. The
 * checks are those of a Cognito user pool authorizer: signature with the
 * pinned algorithm, the signing key's id (`kid`) where it is known, expiry,
 * issue time, issuer, audience (the app client), `token_use: "id"` and
 * claims of the types Cognito writes them in.
 */

/** The one algorithm local tokens are signed with; anything else (`alg: none` included) is refused. */
export const LOCAL_TOKEN_ALGORITHM = 'ES256';
/** Where the local "user pool" says the token comes from; a token from anywhere else is refused. */
export const LOCAL_ISSUER = 'urn:aws-support-system:local-user-pool';
/** The local "app client" the token is for. */
export const LOCAL_AUDIENCE = 'aws-support-system-local';

export type IdTokenClaims = Record<string, unknown>;

export class TokenRejectedError extends Error {
  override name = 'TokenRejectedError';
  constructor(
    message: string,
    /** What API Gateway's Cognito authorizer says in `$context.error.message`. */
    readonly gatewayMessage: string,
  ) {
    super(message);
  }
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** An ES256 signature is r and s, 32 bytes each, side by side (JWS, RFC 7518 §3.4). */
const ES256_SIGNATURE_BYTES = 64;
/** How far ahead of this clock a token's `iat` may be: the issuer's clock may run a little fast. */
export const CLOCK_SKEW_SECONDS = 60;
/** Claims Cognito writes as strings; a token with one of another type was not made by it. */
const STRING_CLAIMS = ['sub', 'email', 'cognito:username', 'token_use', 'iss'] as const;

function invalid(reason: string): TokenRejectedError {
  return new TokenRejectedError(`The token is not valid (${reason}).`, 'Unauthorized');
}

function jsonObjectOf(segment: string, what: string): IdTokenClaims {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw invalid(`${what} is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid(`${what} is not an object`);
  return parsed as IdTokenClaims;
}

/**
 * The claims of `token` if `publicKey` signed it with the pinned algorithm
 * (under the id `keyId`, when given), for the local issuer and audience, as
 * an ID token, and at `now` it has not expired and was already issued.
 * Throws TokenRejectedError otherwise.
 */
export function verifyLocalIdToken(
  publicKey: KeyObject,
  token: string,
  now: Date = new Date(),
  keyId?: string,
): IdTokenClaims {
  const parts = token.split('.');
  const [encodedHeader = '', encodedPayload = '', encodedSignature = ''] = parts;
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) throw invalid('malformed');
  const header = jsonObjectOf(encodedHeader, 'header');
  if (header.alg !== LOCAL_TOKEN_ALGORITHM) throw invalid(`alg ${String(header.alg)}`);
  // No extension is understood, so none that must be may be present (RFC 7515 §4.1.11).
  if ('crit' in header) throw invalid('crit');
  const signature = Buffer.from(encodedSignature, 'base64url');
  const signed = Buffer.from(`${encodedHeader}.${encodedPayload}`, 'ascii');
  const genuine =
    signature.length === ES256_SIGNATURE_BYTES &&
    verify('sha256', signed, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  if (!genuine) throw invalid('signature');
  if (keyId !== undefined && header.kid !== keyId) throw invalid('kid');

  const claims = jsonObjectOf(encodedPayload, 'payload');
  for (const name of ['sub', 'iat', 'exp']) {
    if (!(name in claims)) throw invalid(`no ${name}`);
  }
  const { exp, iat, nbf, iss, aud } = claims;
  if (typeof exp !== 'number' || typeof iat !== 'number' || (nbf !== undefined && typeof nbf !== 'number')) {
    throw invalid('times');
  }
  const seconds = Math.floor(now.getTime() / 1000);
  if (exp <= seconds) throw new TokenRejectedError('The token has expired.', 'The incoming token has expired');
  if (typeof nbf === 'number' && nbf > seconds) throw invalid('not yet valid');
  if (iat > seconds + CLOCK_SKEW_SECONDS) throw invalid('issued in the future');
  for (const name of STRING_CLAIMS) {
    if (name in claims && typeof claims[name] !== 'string') throw invalid(`${name} is not a string`);
  }
  const groups = claims['cognito:groups'];
  if (groups !== undefined && !(Array.isArray(groups) && groups.every((group) => typeof group === 'string'))) {
    throw invalid('cognito:groups is not a list of strings');
  }
  if (!['undefined', 'boolean'].includes(typeof claims.email_verified))
    throw invalid('email_verified is not a boolean');
  if (iss !== LOCAL_ISSUER) throw invalid('issuer');
  const audiences: unknown[] = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(LOCAL_AUDIENCE)) throw invalid('audience');
  if (claims.token_use !== 'id') throw new TokenRejectedError('Not an ID token.', 'Unauthorized');
  return claims;
}

/**
 * The local public key from its text: PEM (SPKI), or a JWK as JSON. A private
 * key is accepted too and only its public half kept. Only a P-256 key fits the
 * pinned algorithm.
 */
export function localPublicKeyFrom(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith('{')
    ? createPublicKey({ key: JSON.parse(trimmed) as JsonWebKey, format: 'jwk' })
    : createPublicKey(trimmed);
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`The local token key must be an EC P-256 key for ${LOCAL_TOKEN_ALGORITHM}.`);
  }
  return key;
}

/**
 * Every claim becomes a string, as the REST API's Cognito authorizer passes
 * them: lists (`cognito:groups`) comma-separated, booleans as "true"/"false",
 * and `iat`/`exp` as dates in Java's `Date.toString()` form. A group name
 * holding a separator (`foo,agents`) would read as several groups once
 * joined, so a list naming one is passed on as no groups at all.
 */
export function authorizerClaims(payload: IdTokenClaims): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if (name === 'cognito:groups' && Array.isArray(value) && !value.every(isPlainGroupName)) continue;
    if ((name === 'iat' || name === 'exp') && typeof value === 'number') {
      claims[name] = javaDateString(new Date(value * 1000));
    } else if (Array.isArray(value)) {
      claims[name] = value.map(String).join(',');
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      claims[name] = String(value);
    } else {
      claims[name] = JSON.stringify(value);
    }
  }
  return claims;
}

/** `Tue Nov 24 20:28:10 UTC 2026`, Java's `Date.toString()` in UTC, as the Cognito authorizer writes `iat` and `exp`. */
export function javaDateString(date: Date): string {
  // Built from toUTCString() ("Tue, 24 Nov 2026 20:28:10 GMT"), whose format ECMAScript fixes.
  const [weekday = '', day = '', month = '', year = '', time = ''] = date.toUTCString().replace(',', '').split(' ');
  return `${weekday} ${month} ${day} ${time} UTC ${year}`;
}
