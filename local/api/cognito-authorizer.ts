import { authorizerClaims } from '../../layers/shared/src/http/local-id-token.js';
import { bearerTokenIn } from '../../layers/shared/src/http/sam-local-identity.js';
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
    const token = bearerTokenIn(headerValue);
    if (!token) return { authorized: false, message: 'Unauthorized' };
    try {
      return { authorized: true, claims: authorizerClaims(await verifyIdToken(this.key, token)) };
    } catch (error) {
      if (error instanceof TokenRejectedError) return { authorized: false, message: error.gatewayMessage };
      throw error;
    }
  }
}
