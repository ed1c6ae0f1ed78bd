import type { APIGatewayProxyEvent } from 'aws-lambda';
import { UnauthenticatedError } from './http-errors.js';
import type { Caller } from '../domain/ticket.js';

/** Members of this Cognito group act as support agents. */
export const AGENTS_GROUP = 'agents';

/**
 * The caller, from the claims API Gateway's Cognito authorizer verified. The
 * authorizer passes claim values as strings: `cognito:groups` arrives as
 * "agents" or "agents,admins" (or, from some integrations, "[agents admins]"),
 * so every one of those shapes is accepted. Nothing else in the event is
 * trusted for identity.
 */
export function callerFrom(event: Pick<APIGatewayProxyEvent, 'requestContext'>): Caller {
  const claims = event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub.trim() === '') {
    throw new UnauthenticatedError('The request carries no verified identity.');
  }
  // Only a verified address: Cognito lets users change their e-mail attribute, and an
  // unverified one could name someone else, to whom agents would then write.
  const verified = claims?.email_verified === true || claims?.email_verified === 'true';
  const email = verified && typeof claims?.email === 'string' && claims.email !== '' ? claims.email : null;
  return { id: sub, email, role: groupsOf(claims?.['cognito:groups']).includes(AGENTS_GROUP) ? 'agent' : 'customer' };
}

function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((group): group is string => typeof group === 'string');
  if (typeof claim !== 'string') return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}
