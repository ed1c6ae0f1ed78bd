import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import { AGENTS_GROUP } from '../../layers/shared/src/http/caller.js';
import { LOCAL_TOKEN_ALGORITHM, type LocalSigningKey } from './signing-key.js';

/*
 * Local stand-ins for Cognito ID tokens: the same claims a user pool puts in
 * one (`sub`, `email`, `cognito:groups`, `token_use: "id"`, `iss`, `aud`), signed
 * with the local key instead of the pool's.
 */

/** Where the local "user pool" says the token comes from; a token from anywhere else is refused. */
export const LOCAL_ISSUER = 'urn:aws-support-system:local-user-pool';
/** The local "app client" the token is for. */
export const LOCAL_AUDIENCE = 'aws-support-system-local';
export const DEFAULT_EXPIRES_IN_SECONDS = 3600;

export interface IdentityRequest {
  sub: string;
  email: string;
  agent?: boolean;
  expiresInSeconds?: number;
}

export async function mintIdToken(key: LocalSigningKey, identity: IdentityRequest): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const expiresIn = identity.expiresInSeconds ?? DEFAULT_EXPIRES_IN_SECONDS;
  return new SignJWT({
    email: identity.email,
    email_verified: true,
    'cognito:username': identity.sub,
    'cognito:groups': identity.agent ? [AGENTS_GROUP] : [],
    token_use: 'id',
    auth_time: now,
    jti: randomUUID(),
  })
    .setProtectedHeader({ alg: LOCAL_TOKEN_ALGORITHM, kid: key.keyId, typ: 'JWT' })
    .setSubject(identity.sub)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + expiresIn)
    .sign(key.privateKey);
}

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

/**
 * The claims of `token` if the local key signed it with the pinned algorithm,
 * for the local issuer and audience, as an ID token, and it has not expired.
 * Throws TokenRejectedError otherwise.
 */
export async function verifyIdToken(key: LocalSigningKey, token: string): Promise<JWTPayload> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key.publicKey, {
      algorithms: [LOCAL_TOKEN_ALGORITHM],
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      requiredClaims: ['sub', 'iat', 'exp'],
    }));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_JWT_EXPIRED')
      throw new TokenRejectedError('The token has expired.', 'The incoming token has expired');
    throw new TokenRejectedError(`The token is not valid (${code ?? 'unreadable'}).`, 'Unauthorized');
  }
  if (payload.token_use !== 'id') throw new TokenRejectedError('Not an ID token.', 'Unauthorized');
  return payload;
}
