import type { KeyObject } from 'node:crypto';
import { logger } from '../logger.js';
import { authorizerClaims, localPublicKeyFrom, TokenRejectedError, verifyLocalIdToken } from './local-id-token.js';

/*
 * `sam local start-api` skips Cognito authorizers (aws-sam-cli issue 5131):
 * events arrive with no `requestContext.authorizer`. Only there, and only when
 * a local verification key is configured, the HTTP stack does the
 * authorizer's work itself, with the local API's verifier. In Lambda,
 * AWS_SAM_LOCAL is never set, so this path is never taken.
 */

/** The variable SAM CLI sets in every container it runs a function in. */
export const SAM_LOCAL_VARIABLE = 'AWS_SAM_LOCAL';
/** The local tokens' public key (PEM or JWK), which `npm run local:services` writes into the --env-vars file. */
export const LOCAL_TOKEN_KEY_VARIABLE = 'LOCAL_TOKEN_PUBLIC_KEY';

type Env = Record<string, string | undefined>;

let parsedKey: { text: string; key: KeyObject } | undefined;

/** The local key when running under SAM CLI with one configured; null everywhere else. */
function samLocalKey(env: Env): KeyObject | null {
  const text = env[LOCAL_TOKEN_KEY_VARIABLE]?.trim();
  if (env[SAM_LOCAL_VARIABLE] !== 'true' || !text) return null;
  if (parsedKey?.text !== text) parsedKey = { text, key: localPublicKeyFrom(text) };
  return parsedKey.key;
}

/** The token in an `Authorization` header, with or without `Bearer `, as the authorizer reads it. */
export function bearerTokenIn(headerValue: string | undefined): string | null {
  const value = headerValue?.trim();
  if (!value) return null;
  return /^Bearer\s+(\S+)$/i.exec(value)?.[1] ?? value;
}

function authorizationHeader(headers: Record<string, string | undefined> | null | undefined): string | undefined {
  const name = Object.keys(headers ?? {}).find((header) => header.toLowerCase() === 'authorization');
  return name === undefined ? undefined : headers?.[name];
}

/**
 * The claims the Cognito authorizer would have passed, verified from the
 * request's bearer token, when running under SAM CLI with a local key; null
 * when this is not SAM local with a key. A missing or refused token yields
 * no claims, so the caller is unauthenticated (401) as behind the authorizer.
 */
export function samLocalClaims(
  event: { headers?: Record<string, string | undefined> | null },
  env: Env = process.env,
): Record<string, string> | null {
  const key = samLocalKey(env);
  if (!key) return null;
  const token = bearerTokenIn(authorizationHeader(event.headers));
  if (!token) return {};
  try {
    return authorizerClaims(verifyLocalIdToken(key, token));
  } catch (error) {
    if (!(error instanceof TokenRejectedError)) throw error;
    // Why, for the developer: the client gets the authorizer's plain 401.
    logger.warn('SAM local: token refused', { reason: error.message });
    return {};
  }
}
