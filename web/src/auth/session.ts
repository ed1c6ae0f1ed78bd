import type { ConsoleConfig } from '../config.js';
import { codeChallengeFor, createCodeVerifier, createState } from './pkce.js';

/**
 * Sign-in by authorization code with PKCE, against the endpoints of Cognito's
 * hosted UI (`/oauth2/authorize`, `/oauth2/token`, `/logout`), which the local
 * sign-in of `npm start` speaks too. Only the ID token is kept (the API's
 * Cognito authorizer takes it), in sessionStorage: it goes with the tab, and no
 * refresh token is ever stored.
 */

/** The pool's group whose members are agents (the API grants the same by the same name). */
const AGENTS_GROUP = 'agents';
const TOKEN_KEY = 'console.idToken';
const PENDING_KEY = 'console.pendingSignIn';
/** A token this close to its expiry is treated as expired: a request would race it. */
export const EXPIRY_MARGIN_MS = 30_000;

export interface Identity {
  /** The token's `sub` (a UUID in Cognito): what the API records as the caller and takes as an assignee. */
  id: string;
  email: string | null;
  /** What the console shows for the user: the e-mail, else `cognito:username`, else the id. */
  name: string;
  agent: boolean;
  /** Epoch milliseconds. */
  expiresAt: number;
  idToken: string;
}

interface PendingSignIn {
  state: string;
  verifier: string;
  /** The route to go back to once signed in. */
  returnHash: string;
}

export class SignInError extends Error {}

/** The console's own address, which the app client lists as its callback and logout URL. */
export const consoleRedirectUri = (origin: string): string => `${origin}/`;

export function authorizeUrl(
  config: ConsoleConfig,
  request: { redirectUri: string; state: string; codeChallenge: string },
): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.auth.clientId,
    redirect_uri: request.redirectUri,
    scope: config.auth.scopes.join(' '),
    state: request.state,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
  });
  return `${config.auth.authority}/oauth2/authorize?${query.toString()}`;
}

export function logoutUrl(config: ConsoleConfig, logoutUri: string): string {
  const query = new URLSearchParams({ client_id: config.auth.clientId, logout_uri: logoutUri });
  return `${config.auth.authority}/logout?${query.toString()}`;
}

const base64urlDecode = (text: string): string => {
  const base64 = text.replaceAll('-', '+').replaceAll('_', '/');
  const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), (character) =>
    character.charCodeAt(0),
  );
  return new TextDecoder().decode(bytes);
};

/** Cognito writes `cognito:groups` as a list; a comma-separated string is read too. */
const groupsOf = (claim: unknown): string[] => {
  if (Array.isArray(claim)) return claim.filter((group): group is string => typeof group === 'string');
  if (typeof claim === 'string') return claim.split(',').map((group) => group.trim());
  return [];
};

/**
 * Who the ID token names. Its signature is the API's to check: here it only
 * decides what the console shows, and the API enforces who may see what.
 */
export function identityFromIdToken(idToken: string): Identity | null {
  const payload = idToken.split('.')[1];
  if (payload === undefined) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(base64urlDecode(payload));
  } catch {
    return null;
  }
  if (typeof claims !== 'object' || claims === null) return null;
  const record = claims as Record<string, unknown>;
  const { sub, email, exp } = record;
  const username = record['cognito:username'];
  if (typeof sub !== 'string' || sub === '' || typeof exp !== 'number') return null;
  const knownEmail = typeof email === 'string' && email !== '' ? email : null;
  return {
    id: sub,
    email: knownEmail,
    name: knownEmail ?? (typeof username === 'string' && username !== '' ? username : sub),
    // Cognito leaves `cognito:groups` out for a user in no group: a customer.
    agent: groupsOf(record['cognito:groups']).includes(AGENTS_GROUP),
    expiresAt: exp * 1000,
    idToken,
  };
}

/** The signed-in user of this tab, or null when there is none or the token has (nearly) expired. */
export function currentIdentity(now = Date.now()): Identity | null {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const identity = token === null ? null : identityFromIdToken(token);
  if (identity === null || identity.expiresAt - EXPIRY_MARGIN_MS <= now) {
    sessionStorage.removeItem(TOKEN_KEY);
    return null;
  }
  return identity;
}

export const forgetIdentity = (): void => {
  sessionStorage.removeItem(TOKEN_KEY);
};

/** Sends the browser to the sign-in page; it comes back to the console's root with `?code&state`. */
export async function startSignIn(config: ConsoleConfig): Promise<void> {
  const pending: PendingSignIn = { state: createState(), verifier: createCodeVerifier(), returnHash: location.hash };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const codeChallenge = await codeChallengeFor(pending.verifier);
  location.assign(
    authorizeUrl(config, { redirectUri: consoleRedirectUri(location.origin), state: pending.state, codeChallenge }),
  );
}

const readPending = (): PendingSignIn | null => {
  const stored = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  if (stored === null) return null;
  try {
    const value = JSON.parse(stored) as Partial<PendingSignIn>;
    return typeof value.state === 'string' && typeof value.verifier === 'string'
      ? { state: value.state, verifier: value.verifier, returnHash: value.returnHash ?? '' }
      : null;
  } catch {
    return null;
  }
};

/** Whether this page load is the sign-in's answer (`?code&state`, or `?error`). */
export const isSignInCallback = (search: string): boolean => {
  const query = new URLSearchParams(search);
  return query.has('state') && (query.has('code') || query.has('error'));
};

/**
 * Completes the sign-in from the callback's query: checks `state`, exchanges the
 * code with the verifier, keeps the ID token. Returns the route to go back to.
 */
export async function completeSignIn(config: ConsoleConfig, search: string): Promise<string> {
  const query = new URLSearchParams(search);
  const pending = readPending();
  const mismatch = new SignInError('The sign-in answer does not match a sign-in started here. Sign in again.');
  if (pending === null) throw mismatch;
  if (query.get('state') !== pending.state) throw mismatch;
  const code = query.get('code');
  if (code === null) {
    throw new SignInError(`Sign-in was not completed (${query.get('error') ?? 'no code'}).`);
  }
  const response = await fetch(`${config.auth.authority}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.auth.clientId,
      code,
      redirect_uri: consoleRedirectUri(location.origin),
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) throw new SignInError(`The sign-in service refused the code (${response.status}). Sign in again.`);
  const tokens = (await response.json()) as { id_token?: unknown };
  const identity = typeof tokens.id_token === 'string' ? identityFromIdToken(tokens.id_token) : null;
  if (identity === null) throw new SignInError('The sign-in service sent no usable ID token.');
  sessionStorage.setItem(TOKEN_KEY, identity.idToken);
  return pending.returnHash;
}

export function signOut(config: ConsoleConfig): void {
  forgetIdentity();
  location.assign(logoutUrl(config, consoleRedirectUri(location.origin)));
}
