import { authorizerClaims } from '../../layers/shared/src/http/local-id-token.js';
import { bearerTokenIn } from '../../layers/shared/src/http/sam-local-identity.js';
import { TokenRejectedError, verifyIdToken } from '../token/id-token.js';
import type { LocalSigningKey } from '../token/signing-key.js';

/*
 * Stands in for API Gateway's Cognito user pool authorizer: verifies the ID
 * token in the identity header and hands the function its claims in
 * `requestContext.authorizer.claims`, in the shape the real authorizer uses.
 * The caller gets API Gateway's plain 401; the local log says why (never the
 * token), which API Gateway leaves a developer to guess.
 */

export type Authorization =
  { authorized: true; claims: Record<string, string> } | { authorized: false; message: string };

/** Why a token was refused, in the words the log uses. */
export type RefusalReason =
  | 'no token'
  | 'malformed'
  | 'alg not allowed'
  | 'bad signature'
  | 'wrong kid'
  | 'issued in the future'
  | 'expired'
  | 'not yet valid'
  | 'wrong issuer'
  | 'wrong audience'
  | 'not an ID token';

/** The verifier's words for each refusal (its TokenRejectedError messages), by the reason they log as. */
const REFUSALS: readonly (readonly [RegExp, RefusalReason])[] = [
  [/has expired/, 'expired'],
  [/\(not yet valid\)/, 'not yet valid'],
  [/\(signature\)/, 'bad signature'],
  [/\(kid\)/, 'wrong kid'],
  [/\(issued in the future\)/, 'issued in the future'],
  [/\(issuer\)/, 'wrong issuer'],
  [/\(audience\)/, 'wrong audience'],
  [/^Not an ID token/, 'not an ID token'],
  [/\(alg\b/, 'alg not allowed'],
];

/** Why the verifier refused a token; anything it did not single out (syntax, missing or mistyped claims) is malformed. */
export function refusalReason(error: TokenRejectedError): RefusalReason {
  return REFUSALS.find(([pattern]) => pattern.test(error.message))?.[1] ?? 'malformed';
}

export interface LocalCognitoAuthorizerOptions {
  /** Receives one line per refused request, saying why; nothing is logged when left out. */
  log?: (line: string) => void;
}

export class LocalCognitoAuthorizer {
  constructor(
    private readonly key: LocalSigningKey,
    private readonly options: LocalCognitoAuthorizerOptions = {},
  ) {}

  async authorize(headerValue: string | undefined): Promise<Authorization> {
    const token = bearerTokenIn(headerValue);
    if (!token) return this.refuse('no token', 'Unauthorized');
    try {
      return { authorized: true, claims: authorizerClaims(await verifyIdToken(this.key, token)) };
    } catch (error) {
      if (error instanceof TokenRejectedError) return this.refuse(refusalReason(error), error.gatewayMessage);
      throw error;
    }
  }

  private refuse(reason: RefusalReason, message: string): Authorization {
    this.options.log?.(`[authorizer] 401: token refused (${reason})`);
    return { authorized: false, message };
  }
}
