import { KeyObject, randomUUID } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { AGENTS_GROUP } from '../../layers/shared/src/http/caller.js';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, verifyLocalIdToken } from '../../layers/shared/src/http/local-id-token.js';
import { LOCAL_TOKEN_ALGORITHM, type LocalSigningKey } from './signing-key.js';

export { LOCAL_AUDIENCE, LOCAL_ISSUER, TokenRejectedError } from '../../layers/shared/src/http/local-id-token.js';

/*
 * Local stand-ins for Cognito ID tokens: the same claims a user pool puts in
 * one (`sub`, `email`, `cognito:groups`, `token_use: "id"`, `iss`, `aud`), signed
 * with the local key instead of the pool's.
 */

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

/**
 * The claims of `token` if the local key signed it with the pinned algorithm,
 * under its key id, for the local issuer and audience, as an ID token, and it
 * has not expired.
 * Throws TokenRejectedError otherwise. The layer's verifier, the one the
 * functions use under `sam local`.
 */
export function verifyIdToken(key: LocalSigningKey, token: string): Promise<JWTPayload> {
  return Promise.resolve().then(
    () => verifyLocalIdToken(KeyObject.from(key.publicKey), token, new Date(), key.keyId) as JWTPayload,
  );
}
