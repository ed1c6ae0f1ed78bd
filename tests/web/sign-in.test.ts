import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { codeChallengeFor } from '../../web/src/auth/pkce.js';
import { completeSignIn, currentIdentity, SignInError, startSignIn } from '../../web/src/auth/session.js';
import type { ConsoleConfig } from '../../web/src/config.js';

const config: ConsoleConfig = {
  apiUrl: 'http://127.0.0.1:3000',
  auth: { authority: 'http://127.0.0.1:3001', clientId: 'local-console', scopes: ['openid', 'email'] },
};

const idToken = (claims: Record<string, unknown>): string =>
  ['{"alg":"RS256"}', JSON.stringify(claims), 'signature']
    .map((part) => Buffer.from(part).toString('base64url'))
    .join('.');

/** The browser's sessionStorage and location, as much of them as sign-in uses. */
function fakeBrowser(hash: string) {
  const stored = new Map<string, string>();
  const storage = {
    getItem: (key: string) => stored.get(key) ?? null,
    setItem: (key: string, value: string) => stored.set(key, value),
    removeItem: (key: string) => stored.delete(key),
  };
  const assign = jest.fn<(url: string) => void>();
  Object.defineProperty(globalThis, 'sessionStorage', { value: storage, configurable: true });
  Object.defineProperty(globalThis, 'location', {
    value: { origin: 'http://127.0.0.1:3001', hash, assign },
    configurable: true,
  });
  return { stored, assign };
}

const realFetch = globalThis.fetch;
let browser: ReturnType<typeof fakeBrowser>;
beforeEach(() => {
  browser = fakeBrowser('#/tickets/01JD0000000000000000000000');
});
afterEach(() => {
  globalThis.fetch = realFetch;
  Reflect.deleteProperty(globalThis, 'sessionStorage');
  Reflect.deleteProperty(globalThis, 'location');
});

/** Starts a sign-in and answers what the authorize endpoint was asked: its state and challenge. */
async function started() {
  await startSignIn(config);
  const url = new URL(browser.assign.mock.calls[0]![0]);
  return { state: url.searchParams.get('state')!, challenge: url.searchParams.get('code_challenge')! };
}

describe('signing in', () => {
  it('goes to the authorize endpoint with the S256 challenge of a verifier kept in the tab', async () => {
    const { challenge } = await started();
    const url = new URL(browser.assign.mock.calls[0]![0]);
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:3001/oauth2/authorize');
    expect(url.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:3001/');
    const pending = JSON.parse(browser.stored.get('console.pendingSignIn')!) as { verifier: string };
    await expect(codeChallengeFor(pending.verifier)).resolves.toBe(challenge);
  });

  it('exchanges the code with the verifier, keeps the ID token only, and returns to where it started', async () => {
    const { state } = await started();
    const { verifier } = JSON.parse(browser.stored.get('console.pendingSignIn')!) as { verifier: string };
    const token = idToken({ sub: 'ada', exp: Math.floor(Date.now() / 1000) + 3600, 'cognito:groups': ['agents'] });
    const requests: { url: string; init: RequestInit }[] = [];
    globalThis.fetch = ((url: string, init: RequestInit) => {
      requests.push({ url, init });
      return Promise.resolve(
        new Response(JSON.stringify({ id_token: token, access_token: 'a', refresh_token: 'r', expires_in: 3600 }), {
          headers: { 'Content-Type': 'application/json' },
        }),
      );
    }) as typeof fetch;

    await expect(completeSignIn(config, `?code=the-code&state=${state}`)).resolves.toBe(
      '#/tickets/01JD0000000000000000000000',
    );

    expect(requests).toHaveLength(1);
    expect(requests[0]!.url).toBe('http://127.0.0.1:3001/oauth2/token');
    expect(requests[0]!.init.method).toBe('POST');
    expect(Object.fromEntries(requests[0]!.init.body as URLSearchParams)).toEqual({
      grant_type: 'authorization_code',
      client_id: 'local-console',
      code: 'the-code',
      redirect_uri: 'http://127.0.0.1:3001/',
      code_verifier: verifier,
    });
    expect([...browser.stored.keys()]).toEqual(['console.idToken']);
    expect(browser.stored.get('console.idToken')).toBe(token);
    expect(currentIdentity()).toMatchObject({ id: 'ada', agent: true });
  });

  it('refuses an answer whose state is not the one it sent, without calling the token endpoint', async () => {
    await started();
    const fetchSpy = jest.fn<typeof fetch>();
    globalThis.fetch = fetchSpy;
    await expect(completeSignIn(config, '?code=the-code&state=forged')).rejects.toBeInstanceOf(SignInError);
    expect(fetchSpy).not.toHaveBeenCalled();
    // The verifier is spent: the real answer cannot be replayed after a forged one.
    expect(browser.stored.has('console.pendingSignIn')).toBe(false);
  });

  it('refuses an answer when no sign-in was started in this tab', async () => {
    await expect(completeSignIn(config, '?code=c&state=s')).rejects.toBeInstanceOf(SignInError);
  });

  it('forgets a token that has expired', () => {
    browser.stored.set('console.idToken', idToken({ sub: 'ada', exp: Math.floor(Date.now() / 1000) - 1 }));
    expect(currentIdentity()).toBeNull();
    expect(browser.stored.has('console.idToken')).toBe(false);
  });
});
