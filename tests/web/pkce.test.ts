import { describe, expect, it } from '@jest/globals';
import { base64url, codeChallengeFor, createCodeVerifier, createState } from '../../web/src/auth/pkce.js';
import { authorizeUrl, identityFromIdToken, logoutUrl } from '../../web/src/auth/session.js';
import type { ConsoleConfig } from '../../web/src/config.js';

const config: ConsoleConfig = {
  apiUrl: 'http://127.0.0.1:3000',
  auth: { authority: 'http://127.0.0.1:3001', clientId: 'local-console', scopes: ['openid', 'email'] },
};

const unsignedToken = (claims: Record<string, unknown>): string =>
  ['{"alg":"RS256"}', JSON.stringify(claims), 'signature']
    .map((part) => Buffer.from(part).toString('base64url'))
    .join('.');

describe('PKCE', () => {
  it('makes the S256 challenge of RFC 7636 appendix B', async () => {
    await expect(codeChallengeFor('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).resolves.toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('encodes base64url without padding', () => {
    expect(base64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect(base64url(new Uint8Array([116, 104, 101, 115, 116]))).toBe('dGhlc3Q');
  });

  it('makes a fresh verifier of the allowed characters and length each time, and a fresh state', () => {
    const verifier = createCodeVerifier();
    expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
    expect(createCodeVerifier()).not.toBe(verifier);
    expect(createState()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createState()).not.toBe(createState());
  });
});

describe('the sign-in endpoints', () => {
  it("asks Cognito's authorize endpoint for a code with the S256 challenge", () => {
    const url = new URL(
      authorizeUrl(config, { redirectUri: 'http://127.0.0.1:3001/', state: 'st', codeChallenge: 'ch' }),
    );
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:3001/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'local-console',
      redirect_uri: 'http://127.0.0.1:3001/',
      scope: 'openid email',
      state: 'st',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
    });
  });

  it('signs out through the logout endpoint back to the console', () => {
    const url = new URL(logoutUrl(config, 'https://console.example/'));
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:3001/logout');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'local-console',
      logout_uri: 'https://console.example/',
    });
  });
});

describe('who the ID token names', () => {
  it('reads the id, e-mail, expiry and the agents group', () => {
    const token = unsignedToken({
      sub: 'ada',
      email: 'ada@example.com',
      exp: 2_000_000_000,
      'cognito:groups': ['agents'],
    });
    expect(identityFromIdToken(token)).toEqual({
      id: 'ada',
      email: 'ada@example.com',
      name: 'ada@example.com',
      agent: true,
      expiresAt: 2_000_000_000_000,
      idToken: token,
    });
  });

  it('makes a customer of anyone outside the agents group', () => {
    expect(identityFromIdToken(unsignedToken({ sub: 'alice', exp: 1, 'cognito:groups': ['billing'] }))?.agent).toBe(
      false,
    );
    expect(identityFromIdToken(unsignedToken({ sub: 'alice', exp: 1 }))?.agent).toBe(false);
    expect(identityFromIdToken(unsignedToken({ sub: 'bob', exp: 1, 'cognito:groups': 'billing,agents' }))?.agent).toBe(
      true,
    );
  });

  it("reads Cognito's token of a user in no group (no `cognito:groups` claim) as a customer, shown by e-mail", () => {
    const sub = '5f3c2a1e-7b4d-4c9e-8a6f-0d1e2f3a4b5c';
    const token = unsignedToken({ sub, email: 'rita@example.com', 'cognito:username': sub, exp: 2_000_000_000 });
    expect(identityFromIdToken(token)).toMatchObject({ id: sub, name: 'rita@example.com', agent: false });
  });

  it('shows the user by `cognito:username` without an e-mail, and by the id without either', () => {
    const sub = '5f3c2a1e-7b4d-4c9e-8a6f-0d1e2f3a4b5c';
    expect(identityFromIdToken(unsignedToken({ sub, 'cognito:username': 'ada', exp: 1 }))).toMatchObject({
      id: sub,
      email: null,
      name: 'ada',
    });
    expect(identityFromIdToken(unsignedToken({ sub, exp: 1 }))?.name).toBe(sub);
  });

  it('refuses a token without a subject or expiry, or one that is not a JWT', () => {
    expect(identityFromIdToken(unsignedToken({ exp: 1 }))).toBeNull();
    expect(identityFromIdToken(unsignedToken({ sub: 'ada' }))).toBeNull();
    expect(identityFromIdToken('not-a-token')).toBeNull();
    expect(identityFromIdToken('a.%%%.c')).toBeNull();
  });
});
