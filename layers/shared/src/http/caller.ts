import { UnauthenticatedError } from './http-errors.js';
import type { Caller } from '../domain/ticket.js';
import { samLocalClaims } from './sam-local-identity.js';

/** Members of this Cognito group act as support agents. */
export const AGENTS_GROUP = 'agents';

/**
 * The caller, from the claims API Gateway's Cognito authorizer verified. The
 * authorizer passes claim values as strings: `cognito:groups` arrives as
 * "agents" or "agents,admins" (or, from some integrations, "[agents admins]"),
 * so every one of those shapes is accepted. Nothing else in the event is
 * trusted for identity, except under `sam local`, which skips the authorizer:
 * there, with a local key configured, the bearer token is verified as the
 * authorizer would (sam-local-identity.ts).
 */
export function callerFrom(event: AuthorizedEvent): Caller {
  const claims = claimsOf(event.requestContext?.authorizer?.claims ?? samLocalClaims(event));
  const sub = claims.get('sub');
  if (typeof sub !== 'string' || sub.trim() === '') {
    throw new UnauthenticatedError('The request carries no verified identity.');
  }
  // Only a verified address: Cognito lets users change their e-mail attribute, and an
  // unverified one could name someone else, to whom agents would then write.
  const verified = claims.get('email_verified') === true || claims.get('email_verified') === 'true';
  const address = claims.get('email');
  const email = verified && typeof address === 'string' && address !== '' ? address : null;
  return { id: sub, email, role: groupsOf(claims.get('cognito:groups')).includes(AGENTS_GROUP) ? 'agent' : 'customer' };
}

/** The part of an API Gateway event identity is read from; a route without an authorizer has none. */
interface AuthorizedEvent {
  requestContext?: { authorizer?: { claims?: unknown } | null };
  headers?: Record<string, string | undefined> | null;
}

function claimsOf(claims: unknown): Map<string, unknown> {
  return new Map(typeof claims === 'object' && claims !== null ? Object.entries(claims) : []);
}

function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((group): group is string => typeof group === 'string');
  if (typeof claim !== 'string') return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}
