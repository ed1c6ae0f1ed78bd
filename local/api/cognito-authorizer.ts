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
  /** The clock, in milliseconds since the epoch, that decides when a remembered token has expired. */
  now?: () => number;
}

/** How many verified tokens are remembered at most; the oldest is forgotten first. */
export const VERIFIED_TOKENS_KEPT = 10_000;

interface VerifiedToken {
  claims: Record<string, string>;
  /** Its `exp`, in milliseconds: from then on it is verified afresh, and refused. */
  expiresAtMs: number;
}

export class LocalCognitoAuthorizer {
  /**
   * Tokens verified already, until they expire, as API Gateway may cache an
   * authorizer's result: a valid token's signature and claims never change,
   * and once it was valid only its expiry can end that. Refusals are never
   * remembered: each is verified, and logged, again.
   */
  readonly #verified = new Map<string, VerifiedToken>();
  readonly #now: () => number;

  constructor(
    private readonly key: LocalSigningKey,
    private readonly options: LocalCognitoAuthorizerOptions = {},
  ) {
    this.#now = options.now ?? (() => Date.now());
  }

  async authorize(headerValue: string | undefined): Promise<Authorization> {
    const token = bearerTokenIn(headerValue);
    if (!token) return this.refuse('no token', 'Unauthorized');
    const remembered = this.#verified.get(token);
    if (remembered && this.#now() < remembered.expiresAtMs)
      return { authorized: true, claims: { ...remembered.claims } };
    this.#verified.delete(token);
    try {
      const payload = await verifyIdToken(this.key, token);
      const claims = authorizerClaims(payload);
      this.#remember(token, { claims, expiresAtMs: Number(payload.exp) * 1000 });
      return { authorized: true, claims: { ...claims } };
    } catch (error) {
      if (error instanceof TokenRejectedError) return this.refuse(refusalReason(error), error.gatewayMessage);
      throw error;
    }
  }

  #remember(token: string, verified: VerifiedToken): void {
    if (!Number.isFinite(verified.expiresAtMs)) return;
    if (this.#verified.size >= VERIFIED_TOKENS_KEPT) {
      const [oldest] = this.#verified.keys();
      if (oldest !== undefined) this.#verified.delete(oldest);
    }
    this.#verified.set(token, verified);
  }

  private refuse(reason: RefusalReason, message: string): Authorization {
    this.options.log?.(`[authorizer] 401: token refused (${reason})`);
    return { authorized: false, message };
  }
}
