import type { JWTPayload } from 'jose';
import { javaDateString } from './date-formats.js';
import { TokenRejectedError, verifyIdToken } from '../token/id-token.js';
import type { LocalSigningKey } from '../token/signing-key.js';

/*
 * Stands in for API Gateway's Cognito user pool authorizer: verifies the ID
 * token in the identity header and hands the function its claims in
 * `requestContext.authorizer.claims`, in the shape the real authorizer uses.
 */

export type Authorization =
  { authorized: true; claims: Record<string, string> } | { authorized: false; message: string };

export class LocalCognitoAuthorizer {
  constructor(private readonly key: LocalSigningKey) {}

  async authorize(headerValue: string | undefined): Promise<Authorization> {
    const token = tokenIn(headerValue);
    if (!token) return { authorized: false, message: 'Unauthorized' };
    try {
      return { authorized: true, claims: authorizerClaims(await verifyIdToken(this.key, token)) };
    } catch (error) {
      if (error instanceof TokenRejectedError) return { authorized: false, message: error.gatewayMessage };
      throw error;
    }
  }
}

/** The authorizer takes the header's value as the token, with or without a `Bearer ` prefix. */
function tokenIn(headerValue: string | undefined): string | null {
  const value = headerValue?.trim();
  if (!value) return null;
  return /^Bearer\s+(\S+)$/i.exec(value)?.[1] ?? value;
}

/**
 * Every claim becomes a string, as the REST API's Cognito authorizer passes
 * them: lists (`cognito:groups`) comma-separated, booleans as "true"/"false",
 * and `iat`/`exp` as dates in Java's `Date.toString()` form.
 */
export function authorizerClaims(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
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
