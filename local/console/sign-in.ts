/**
 * The local sign-in for the agent console: the endpoints of Cognito's hosted
 * UI that the console uses (authorization code with PKCE), so the console
 * runs the same sign-in code on this machine as in AWS. Instead of a password
 * it asks for a user id, an e-mail address and whether the user is a support
 * agent, and issues an ID token signed with the local key, the one the local
 * API's authorizer verifies (as `npm run token` does).
 *
 *   GET  /oauth2/authorize  ?response_type=code&client_id&redirect_uri&scope&state&code_challenge&code_challenge_method=S256
 *   POST /oauth2/authorize  the form's answer: 302 to redirect_uri?code&state
 *   POST /oauth2/token      grant_type=authorization_code&client_id&code&redirect_uri&code_verifier
 *   GET  /logout            ?client_id&logout_uri
 *
 * The request being signed in is kept here under a random id; the form
 * carries only that id, so nothing from the query is written into the page.
 * A code is good once, for 60 seconds, and only with the verifier whose
 * SHA-256 its request named.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { CALLER_ID_PATTERN } from '../../layers/shared/src/http/caller.js';
import { DEFAULT_EXPIRES_IN_SECONDS, mintIdToken } from '../token/id-token.js';
import type { LocalSigningKey } from '../token/signing-key.js';

/** The console's client id locally, as the app client's id is in AWS. */
export const LOCAL_CONSOLE_CLIENT_ID = 'local-console';
/** The scopes the console's client may ask for (the template's AllowedOAuthScopes). */
export const LOCAL_CONSOLE_SCOPES = ['openid', 'email'] as const;
/** How long a code may wait for its exchange. */
export const CODE_LIFETIME_MS = 60_000;
/** How long the sign-in form stays good. */
const PENDING_LIFETIME_MS = 10 * 60_000;
/** Beyond this many open sign-ins or unexchanged codes, the oldest go. */
const MAX_KEPT = 1000;
const MAX_STATE_LENGTH = 2048;
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
/** RFC 7636: 43 to 128 unreserved characters. */
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
const EMAIL = /^[\x21-\x3F\x41-\x7E]+@[\x21-\x3F\x41-\x7E]+$/;
const MAX_EMAIL_LENGTH = 254;

/** The form's fields, as they are named in the page and in the request body. */
export const SIGN_IN_FIELDS = { request: 'request', userId: 'user_id', email: 'email', agent: 'agent' } as const;

/** What to answer: a status, headers and a body, which the server sends with the security headers. */
export interface SignInAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface LocalSignInOptions {
  /** The console's origin: the only redirect_uri (with `/`), logout_uri and form Origin accepted. */
  consoleOrigin: string;
  signingKey: LocalSigningKey;
  /** The clock, in milliseconds; Date.now by default. */
  now?: () => number;
}

interface PendingSignIn {
  redirectUri: string;
  state: string | undefined;
  codeChallenge: string;
  expiresAt: number;
}

interface IssuedCode {
  redirectUri: string;
  codeChallenge: string;
  identity: { sub: string; email: string; agent: boolean };
  expiresAt: number;
}

/** The inline style of the form, allowed by its hash alone. */
const FORM_STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2430}' +
  'main{max-width:26rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002}' +
  'h1{margin-top:0;font-size:1.5rem}label{display:block;font-weight:600;margin-top:1rem}' +
  'input[type=text],input[type=email]{box-sizing:border-box;width:100%;padding:.5rem;font:inherit}' +
  '.check{display:flex;gap:.5rem;align-items:center;margin-top:1rem}.check label{margin:0}' +
  'small{color:#555}.error{color:#a40000;font-weight:600}' +
  'button{margin-top:1.5rem;padding:.6rem 1.4rem;font:inherit;background:#1f5fbf;color:#fff;border:0;border-radius:4px}';

/**
 * The sign-in page's own CSP: nothing but its inline style (by hash), and its
 * form may post only here. No script at all.
 */
export const SIGN_IN_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(FORM_STYLE).digest('base64')}'`,
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

export class LocalSignIn {
  readonly #pending = new Map<string, PendingSignIn>();
  readonly #codes = new Map<string, IssuedCode>();
  readonly #consoleOrigin: string;
  readonly #redirectUri: string;
  readonly #signingKey: LocalSigningKey;
  readonly #now: () => number;

  constructor(options: LocalSignInOptions) {
    this.#consoleOrigin = options.consoleOrigin;
    this.#redirectUri = `${options.consoleOrigin}/`;
    this.#signingKey = options.signingKey;
    this.#now = options.now ?? Date.now;
  }

  /** GET /oauth2/authorize: the sign-in form for a valid request, else a page saying what is wrong. */
  authorizeForm(query: URLSearchParams): SignInAnswer {
    const problem = this.#authorizeProblem(query);
    if (problem) return errorPage(400, problem);
    this.#forgetExpired();
    const id = randomToken(24);
    keepBounded(this.#pending, id, {
      redirectUri: this.#redirectUri,
      state: query.get('state') ?? undefined,
      codeChallenge: query.get('code_challenge') ?? '',
      expiresAt: this.#now() + PENDING_LIFETIME_MS,
    });
    return signInPage(id);
  }

  /** POST /oauth2/authorize, the form's answer from a page of this origin: 302 to redirect_uri with a fresh code. */
  authorizeSubmit(form: URLSearchParams, origin: string | undefined): SignInAnswer {
    if (origin !== this.#consoleOrigin) {
      return errorPage(403, 'The sign-in form is only accepted from the agent console’s own page.');
    }
    const id = form.get(SIGN_IN_FIELDS.request) ?? '';
    const pending = this.#pending.get(id);
    if (!pending || pending.expiresAt <= this.#now()) {
      this.#pending.delete(id);
      return errorPage(400, 'This sign-in has expired or was already used: open the agent console again.');
    }
    const userId = form.get(SIGN_IN_FIELDS.userId) ?? '';
    if (!CALLER_ID_PATTERN.test(userId)) {
      return signInPage(id, 'The user id is 1 to 128 visible ASCII characters, with no spaces.');
    }
    const email = form.get(SIGN_IN_FIELDS.email) ?? '';
    if (email !== '' && (email.length > MAX_EMAIL_LENGTH || !EMAIL.test(email))) {
      return signInPage(id, 'The e-mail address is not one (name@domain, no spaces).');
    }
    this.#pending.delete(id);
    this.#forgetExpired();
    const code = randomToken(32);
    keepBounded(this.#codes, code, {
      redirectUri: pending.redirectUri,
      codeChallenge: pending.codeChallenge,
      identity: {
        sub: userId,
        email: email === '' ? `${userId}@example.com` : email,
        agent: form.get(SIGN_IN_FIELDS.agent) !== null,
      },
      expiresAt: this.#now() + CODE_LIFETIME_MS,
    });
    const target = new URL(pending.redirectUri);
    target.searchParams.set('code', code);
    if (pending.state !== undefined) target.searchParams.set('state', pending.state);
    return redirect(target.href);
  }

  /** POST /oauth2/token: the ID token for a code, once, with the verifier its request named. */
  async token(form: URLSearchParams): Promise<SignInAnswer> {
    if (form.get('grant_type') !== 'authorization_code') return oauthError(400, 'unsupported_grant_type');
    if (form.get('client_id') !== LOCAL_CONSOLE_CLIENT_ID) return oauthError(400, 'invalid_client');
    const codeValue = form.get('code') ?? '';
    const code = this.#codes.get(codeValue);
    // Good once, whatever the outcome: a code that met a wrong verifier may have been stolen.
    this.#codes.delete(codeValue);
    if (!code || code.expiresAt <= this.#now()) return oauthError(400, 'invalid_grant');
    if (form.get('redirect_uri') !== code.redirectUri) return oauthError(400, 'invalid_grant');
    const verifier = form.get('code_verifier') ?? '';
    if (!CODE_VERIFIER.test(verifier) || !sameText(s256(verifier), code.codeChallenge)) {
      return oauthError(400, 'invalid_grant');
    }
    const idToken = await mintIdToken(this.#signingKey, code.identity);
    return json(200, {
      id_token: idToken,
      // Opaque: the API takes the ID token, as its Cognito authorizer does.
      access_token: randomToken(32),
      expires_in: DEFAULT_EXPIRES_IN_SECONDS,
      token_type: 'Bearer',
    });
  }

  /** GET /logout: back to the console; there is no session here to end. */
  logout(query: URLSearchParams): SignInAnswer {
    if (query.get('client_id') !== LOCAL_CONSOLE_CLIENT_ID) return errorPage(400, 'Unknown client_id.');
    // Cognito takes only a logout_uri listed in the client's LogoutURLs, exactly: the console's `origin/`.
    if (query.get('logout_uri') !== this.#redirectUri) {
      return errorPage(400, `logout_uri is not ${this.#redirectUri}.`);
    }
    return redirect(this.#redirectUri);
  }

  /** What is wrong with an authorize request, in words that repeat nothing of it; undefined when nothing is. */
  #authorizeProblem(query: URLSearchParams): string | undefined {
    if (query.get('client_id') !== LOCAL_CONSOLE_CLIENT_ID) return `client_id is not ${LOCAL_CONSOLE_CLIENT_ID}.`;
    if (query.get('redirect_uri') !== this.#redirectUri) return `redirect_uri is not ${this.#redirectUri}.`;
    if (query.get('response_type') !== 'code') return 'response_type is not code.';
    if (query.get('code_challenge_method') !== 'S256') return 'code_challenge_method is not S256.';
    if (!S256_CHALLENGE.test(query.get('code_challenge') ?? '')) {
      return 'code_challenge is not a base64url SHA-256 (43 characters).';
    }
    const scopes = (query.get('scope') ?? '').split(' ').filter(Boolean);
    const allowed: readonly string[] = LOCAL_CONSOLE_SCOPES;
    if (scopes.some((scope) => !allowed.includes(scope))) {
      return `scope may name only ${LOCAL_CONSOLE_SCOPES.join(' and ')}.`;
    }
    // Without openid Cognito issues no ID token, and the console signs in with nothing else.
    if (!scopes.includes('openid')) return 'scope must include openid.';
    if ((query.get('state') ?? '').length > MAX_STATE_LENGTH) return `state is longer than ${MAX_STATE_LENGTH}.`;
    return undefined;
  }

  #forgetExpired(): void {
    const now = this.#now();
    for (const kept of [this.#pending, this.#codes] as Map<string, { expiresAt: number }>[]) {
      for (const [key, { expiresAt }] of kept) if (expiresAt <= now) kept.delete(key);
    }
  }
}

/** base64url(SHA-256(verifier)), as S256 defines the challenge. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** Adds `value`, dropping the oldest entries beyond MAX_KEPT (a Map keeps insertion order). */
function keepBounded<Value>(map: Map<string, Value>, key: string, value: Value): void {
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= MAX_KEPT) break;
    map.delete(oldest);
  }
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? '');
}

function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>${FORM_STYLE}</style>
</head>
<body>
<main>
${content}
</main>
</body>
</html>
`;
}

function htmlAnswer(status: number, body: string): SignInAnswer {
  return {
    status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': SIGN_IN_PAGE_CSP,
      // A form posted under no-referrer carries `Origin: null`; same-origin keeps the
      // origin the server checks, and still sends nothing to another site.
      'Referrer-Policy': 'same-origin',
    },
    body,
  };
}

/** The form, for the sign-in kept under `id`; with `problem` when the last answer was refused. */
function signInPage(id: string, problem?: string): SignInAnswer {
  const { request, userId, email, agent } = SIGN_IN_FIELDS;
  return htmlAnswer(
    200,
    page(
      'Sign in · Support tickets (local)',
      `<h1>Sign in</h1>
<p>The local sign-in of the agent console: no password, any user id.</p>
${problem === undefined ? '' : `<p class="error" role="alert">${escapeHtml(problem)}</p>`}
<form method="post" action="/oauth2/authorize">
<input type="hidden" name="${request}" value="${escapeHtml(id)}">
<label for="user-id">User id</label>
<input type="text" id="user-id" name="${userId}" required maxlength="128" pattern="[!-~]{1,128}" autocomplete="username" autocapitalize="none" spellcheck="false" aria-describedby="user-id-hint" autofocus>
<small id="user-id-hint">1 to 128 visible ASCII characters, no spaces.</small>
<label for="email">E-mail</label>
<input type="email" id="email" name="${email}" maxlength="${MAX_EMAIL_LENGTH}" autocomplete="email" aria-describedby="email-hint">
<small id="email-hint">Optional; the user id at example.com when left empty.</small>
<div class="check">
<input type="checkbox" id="agent" name="${agent}" value="yes">
<label for="agent">Support agent</label>
</div>
<button type="submit">Sign in</button>
</form>`,
    ),
  );
}

function errorPage(status: number, message: string): SignInAnswer {
  return htmlAnswer(
    status,
    page('Sign-in failed · Support tickets (local)', `<h1>Sign-in failed</h1>\n<p>${escapeHtml(message)}</p>`),
  );
}

function redirect(location: string): SignInAnswer {
  return { status: 302, headers: { Location: location, 'Cache-Control': 'no-store' }, body: '' };
}

function json(status: number, body: unknown): SignInAnswer {
  return {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    body: JSON.stringify(body),
  };
}

/** An OAuth 2.0 error answer, as the hosted UI's token endpoint gives it. */
function oauthError(status: number, error: string): SignInAnswer {
  return json(status, { error });
}
