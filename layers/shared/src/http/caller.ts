import { UnauthenticatedError } from './http-errors.js';
import type { Caller } from '../domain/ticket.js';
import { isPlainGroupName } from './cognito-groups.js';
import { samLocalClaims } from './sam-local-identity.js';

/** Members of this Cognito group act as support agents. */
export const AGENTS_GROUP = 'agents';

/**
 * What a caller id (the token's `sub`) may be: 1 to 128 visible ASCII
 * characters. Cognito's subs are UUIDs and local tokens use names such as
 * `alice`; anything else (too long for a key, control characters, spaces) is
 * refused as unauthenticated before it reaches the table.
 */
export const CALLER_ID_PATTERN = /^[\x21-\x7E]{1,128}$/;

/**
 * The caller, from the claims API Gateway's Cognito authorizer verified. The
 * REST API's authorizer passes claim values as strings: `cognito:groups`
 * arrives as "agents" or, for several groups, comma-separated
 * ("agents,billing"); HTTP APIs' JWT authorizers write lists as "[agents
 * billing]", so that shape is read too, and a list (an event built in
 * process) as it is. Only a group named exactly `agents` makes an agent; a
 * claim in any other shape, or naming a group that holds a separator (`,`,
 * `[`, `]`, white space) and so cannot be told apart from a list, grants no
 * group at all. Nothing else in the event is trusted for identity, except
 * under `sam local`, which skips the authorizer: there, with a local key
 * configured, the bearer token is verified as the authorizer would
 * (sam-local-identity.ts).
 */
export function callerFrom(event: AuthorizedEvent): Caller {
  const claims = claimsOf(event.requestContext?.authorizer?.claims ?? samLocalClaims(event));
  const sub = claims.get('sub');
  if (typeof sub !== 'string' || !CALLER_ID_PATTERN.test(sub)) {
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

/** The groups a `cognito:groups` claim names; none when its shape is anything but the ones described above. */
export function groupsOf(claim: unknown): string[] {
  let names: unknown[];
  if (Array.isArray(claim)) names = claim;
  else if (typeof claim !== 'string' || claim === '') return [];
  else if (claim.startsWith('[') && claim.endsWith(']')) names = claim.slice(1, -1).split(' ');
  else names = claim.split(',');
  const groups = names.filter(isPlainGroupName);
  return groups.length === names.length ? groups : [];
}
