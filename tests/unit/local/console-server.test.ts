/**
 * The local console server on a free port: its files (and nothing outside
 * them), /config.json, and the local sign-in that speaks the hosted UI's
 * endpoints, with its PKCE check, single-use short-lived codes and the
 * checks that keep other pages and other host names out.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startConsoleServer, type ConsoleServer } from '../../../local/console/console-server.js';
import { consoleSecurityHeaders } from '../../../local/console/security-headers.js';
import { CODE_LIFETIME_MS, SIGN_IN_PAGE_CSP } from '../../../local/console/sign-in.js';
import { verifyIdToken } from '../../../local/token/id-token.js';
import { loadOrCreateSigningKey, type LocalSigningKey } from '../../../local/token/signing-key.js';
import { rawRequest } from '../../support/raw-http.js';

const API_URL = 'http://127.0.0.1:3999';
const INDEX_HTML = '<!doctype html><title>console</title><p>fixture console</p>';

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

describe('the local console server', () => {
  const folders: string[] = [];
  const folder = (prefix: string) => {
    const path = mkdtempSync(join(tmpdir(), prefix));
    folders.push(path);
    return path;
  };
  let signingKey: LocalSigningKey;
  let consoleDir: string;
  let server: ConsoleServer;
  let clock = Date.parse('2026-11-28T12:00:00Z');
  const servers: ConsoleServer[] = [];

  beforeAll(async () => {
    signingKey = await loadOrCreateSigningKey(folder('console-state-'));
    consoleDir = folder('console-dir-');
    mkdirSync(join(consoleDir, 'assets'));
    writeFileSync(join(consoleDir, 'index.html'), INDEX_HTML);
    writeFileSync(join(consoleDir, 'assets', 'main-AB12CD34.js'), 'console.log(1);\n');
    writeFileSync(join(consoleDir, 'assets', 'main-AB12CD34.css'), 'body{}\n');
    writeFileSync(join(consoleDir, 'assets', 'main-AB12CD34.js.map'), '{}');
    writeFileSync(join(consoleDir, 'assets', 'notes.txt'), 'not hashed\n');
    // Beside the console's folder: what a path that climbs out would reach.
    writeFileSync(join(consoleDir, '..', `${consoleDir.split('/').pop()!}-secret.txt`), 'secret\n');
    writeFileSync(join(consoleDir, 'secret-at-root.txt'), 'not an asset\n');
    server = await startConsoleServer({
      port: 0,
      dir: consoleDir,
      apiUrl: () => API_URL,
      signingKey,
      now: () => clock,
    });
    servers.push(server);
  });

  afterAll(async () => {
    await Promise.all(servers.map((started) => started.stop()));
    for (const path of folders) {
      rmSync(path, { recursive: true, force: true });
      rmSync(`${path}-secret.txt`, { force: true });
    }
  });

  afterEach(() => {
    clock = Date.parse('2026-11-28T12:00:00Z');
  });

  const authorizeUrl = (overrides: Record<string, string> = {}, challenge = pkcePair().challenge) => {
    const url = new URL('/oauth2/authorize', server.url);
    const params = {
      response_type: 'code',
      client_id: 'local-console',
      redirect_uri: `${server.url}/`,
      scope: 'openid email',
      state: 'state-123',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...overrides,
    };
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url;
  };

  /** The pending sign-in's id from the form's hidden field. */
  const requestIdOf = (html: string) => /name="request" value="([A-Za-z0-9_-]+)"/.exec(html)![1]!;

  const submit = (fields: Record<string, string>, headers: Record<string, string> = { Origin: server.url }) =>
    fetch(new URL('/oauth2/authorize', server.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields),
      redirect: 'manual',
    });

  /** Signs in as `userId` (an agent when `agent`); the code and state the console would receive. */
  const signIn = async (userId: string, options: { agent?: boolean; email?: string; state?: string } = {}) => {
    const { verifier, challenge } = pkcePair();
    const form = await fetch(authorizeUrl({ state: options.state ?? 'state-123' }, challenge));
    const fields: Record<string, string> = {
      request: requestIdOf(await form.text()),
      user_id: userId,
      email: options.email ?? '',
    };
    if (options.agent) fields.agent = 'yes';
    const answer = await submit(fields);
    expect(answer.status).toBe(302);
    const location = new URL(answer.headers.get('location')!);
    return { location, code: location.searchParams.get('code')!, verifier };
  };

  const exchange = (fields: Record<string, string>) =>
    fetch(new URL('/oauth2/token', server.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: 'local-console',
        redirect_uri: `${server.url}/`,
        ...fields,
      }),
    });

  describe('files', () => {
    test('index.html at / without caching; hashed assets immutable, others revalidated; each with its type', async () => {
      const index = await fetch(`${server.url}/`);
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(index.headers.get('cache-control')).toBe('no-cache');
      expect(await index.text()).toBe(INDEX_HTML);

      const script = await fetch(`${server.url}/assets/main-AB12CD34.js`);
      expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const style = await fetch(`${server.url}/assets/main-AB12CD34.css`);
      expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
      expect(style.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const sourceMap = await fetch(`${server.url}/assets/main-AB12CD34.js.map`);
      expect(sourceMap.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(sourceMap.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const notes = await fetch(`${server.url}/assets/notes.txt`);
      expect(notes.headers.get('cache-control')).toBe('no-cache');

      const head = await fetch(`${server.url}/assets/main-AB12CD34.js`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
    });

    test('every answer carries the security headers of the template, connect-src naming the API', async () => {
      const expected = consoleSecurityHeaders({ apiUrl: API_URL, consoleOrigin: server.url });
      for (const path of ['/', '/assets/main-AB12CD34.js', '/config.json', '/nothing-here', '/assets/missing.js']) {
        const answer = await fetch(`${server.url}${path}`);
        for (const [name, value] of Object.entries(expected))
          expect([path, answer.headers.get(name)]).toEqual([path, value]);
      }
      expect(expected['Content-Security-Policy']).toContain(`connect-src 'self' ${API_URL} ${server.url};`);
      const token = await exchange({ code: 'none', code_verifier: pkcePair().verifier });
      expect(token.headers.get('x-frame-options')).toBe('DENY');
      expect(token.headers.get('content-security-policy')).toBe(expected['Content-Security-Policy']);
    });

    test.each([
      ['/assets/../secret-at-root.txt'],
      ['/assets/..%2fsecret-at-root.txt'],
      ['/assets/..%2f..%2fetc%2fpasswd'],
      ['/assets/%2e%2e/%2e%2e/etc/passwd'],
      ['/assets/..%5csecret-at-root.txt'],
      ['/assets/%2e%2e%2f..%2fSECRET'],
      ['/assets/main-AB12CD34.js%00.txt'],
      ['/secret-at-root.txt'],
      ['/../../etc/passwd'],
      ['/assets/'],
      ['/assets/%E0%A4%A'],
    ])('%s is not served', async (path) => {
      const climbing = path.replace('SECRET', `${consoleDir.split('/').pop()!}-secret.txt`);
      const answer = await rawRequest(
        server.url,
        `GET ${climbing} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`,
      );
      expect(answer.status).toBe(404);
      expect(answer.body).not.toContain('secret');
      expect(answer.body).not.toContain('root:');
      expect(answer.headers['content-security-policy']).toContain("default-src 'none'");
    });

    test('without index.html, / answers 503 telling how to build the console, with the headers', async () => {
      const empty = folder('console-empty-');
      const bare = await startConsoleServer({ port: 0, dir: empty, apiUrl: () => API_URL, signingKey });
      servers.push(bare);
      const answer = await fetch(`${bare.url}/`);
      expect(answer.status).toBe(503);
      expect(await answer.text()).toContain('run npm run build:console');
      expect(answer.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    });

    test('other methods than GET and HEAD are refused', async () => {
      const answer = await fetch(`${server.url}/`, { method: 'POST', body: 'x' });
      expect(answer.status).toBe(405);
      expect(answer.headers.get('allow')).toBe('GET, HEAD');
    });
  });

  test('/config.json names the API and this origin as the sign-in authority, not cached', async () => {
    const answer = await fetch(`${server.url}/config.json`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-cache');
    expect(await answer.json()).toEqual({
      apiUrl: API_URL,
      auth: { authority: server.url, clientId: 'local-console', scopes: ['openid', 'email'] },
    });
  });

  test.each([
    ['127.0.0.1', 200],
    ['attacker.example', 421],
    ['127.0.0.1.nip.io', 421],
  ])('a request addressed to %s on its port: %s', async (host, status) => {
    const answer = await rawRequest(
      server.url,
      `GET /config.json HTTP/1.1\r\nHost: ${host}:${server.port}\r\nConnection: close\r\n\r\n`,
    );
    expect(answer.status).toBe(status);
    expect(answer.headers['content-security-policy']).toContain("default-src 'none'");
  });

  test('a page read as localhost is sent to 127.0.0.1, the origin sign-in and CORS know; nothing else is taken from it', async () => {
    const page = await rawRequest(
      server.url,
      `GET /config.json?x=1 HTTP/1.1\r\nHost: localhost:${server.port}\r\nConnection: close\r\n\r\n`,
    );
    expect(page.status).toBe(308);
    expect(page.headers.location).toBe(`${server.url}/config.json?x=1`);
    const form = await rawRequest(
      server.url,
      `POST /oauth2/token HTTP/1.1\r\nHost: localhost:${server.port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
    );
    expect(form.status).toBe(421);
  });

  test.each(['http://[', 'http://evil.example/config.json', '*'])(
    'a request target that is no path (%s) is a 400, with the security headers',
    async (target) => {
      const answer = await rawRequest(
        server.url,
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`,
      );
      expect(answer.status).toBe(400);
      expect(answer.headers['content-security-policy']).toContain("default-src 'none'");
    },
  );

  test('a path beginning with // is a path of this origin, not another host', async () => {
    const answer = await rawRequest(
      server.url,
      `GET //evil.example/config.json HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`,
    );
    expect(answer.status).toBe(404);
  });

  describe('sign-in', () => {
    test('the form: its own CSP, the fields labelled, nothing of the query echoed, no script', async () => {
      const hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
      const { challenge } = pkcePair();
      const answer = await fetch(authorizeUrl({ state: hostile }, challenge));
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-security-policy')).toBe(SIGN_IN_PAGE_CSP);
      expect(SIGN_IN_PAGE_CSP).toContain("form-action 'self'");
      expect(SIGN_IN_PAGE_CSP).toContain("default-src 'none'");
      expect(SIGN_IN_PAGE_CSP).not.toContain('script-src');
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      const html = await answer.text();
      expect(html).not.toContain('<script');
      expect(html).not.toContain('onerror');
      expect(html).not.toContain(challenge);
      expect(html).not.toContain('state-123');
      expect(html).not.toContain('alert');
      expect(html).toMatch(/<label for="user-id">User id<\/label>\s*<input type="text" id="user-id"/);
      expect(html).toMatch(/<label for="email">E-mail<\/label>\s*<input type="email" id="email"/);
      expect(html).toMatch(
        /<input type="checkbox" id="agent" name="agent" value="yes">\s*<label for="agent">Support agent<\/label>/,
      );
      expect(html).toContain('<button type="submit">Sign in</button>');
      expect(html).toContain('<form method="post" action="/oauth2/authorize">');
    });

    test.each([
      ['client_id', { client_id: 'someone-else' }],
      ['a foreign redirect_uri', { redirect_uri: 'https://attacker.example/' }],
      ['a redirect_uri on another path', { redirect_uri: 'http://127.0.0.1:1/callback' }],
      ['response_type token', { response_type: 'token' }],
      ['code_challenge_method plain', { code_challenge_method: 'plain' }],
      ['no code_challenge', { code_challenge: '' }],
      ['a scope the client may not ask for', { scope: 'openid aws.cognito.signin.user.admin' }],
      // Cognito would then answer with no ID token, the one token the console signs in with.
      ['a scope without openid', { scope: 'email' }],
      ['no scope', { scope: '' }],
    ])('refuses an authorize request with %s, echoing nothing', async (_what, overrides) => {
      const answer = await fetch(authorizeUrl(overrides));
      expect(answer.status).toBe(400);
      const html = await answer.text();
      expect(html).not.toContain('attacker');
      expect(html).not.toContain('name="request"');
    });

    test('a redirect_uri naming the port on another host is refused too', async () => {
      const answer = await fetch(authorizeUrl({ redirect_uri: `http://localhost:${server.port}/` }));
      expect(answer.status).toBe(400);
    });

    test('code and state go to the console; the code gives an ID token the local key signed, for an agent', async () => {
      const { location, code, verifier } = await signIn('ada', { agent: true, state: 'abc 123/+=' });
      expect(location.origin).toBe(server.url);
      expect(location.pathname).toBe('/');
      expect(location.searchParams.get('state')).toBe('abc 123/+=');

      const answer = await exchange({ code, code_verifier: verifier });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      const tokens = (await answer.json()) as Record<string, unknown>;
      expect(tokens).toMatchObject({ expires_in: 3600, token_type: 'Bearer' });
      expect(typeof tokens.access_token).toBe('string');
      expect(tokens.access_token).not.toBe(tokens.id_token);
      const claims = await verifyIdToken(signingKey, tokens.id_token as string);
      expect(claims).toMatchObject({ sub: 'ada', email: 'ada@example.com', 'cognito:groups': ['agents'] });
    });

    test('a customer, with the e-mail given', async () => {
      const { code, verifier } = await signIn('carol', { email: 'carol@example.org' });
      const tokens = (await (await exchange({ code, code_verifier: verifier })).json()) as { id_token: string };
      expect(await verifyIdToken(signingKey, tokens.id_token)).toMatchObject({
        sub: 'carol',
        email: 'carol@example.org',
        'cognito:groups': [],
      });
    });

    test('a wrong verifier gets no token, and spends the code', async () => {
      const { code, verifier } = await signIn('ada');
      const wrong = await exchange({ code, code_verifier: pkcePair().verifier });
      expect(wrong.status).toBe(400);
      expect(await wrong.json()).toEqual({ error: 'invalid_grant' });
      expect((await exchange({ code, code_verifier: verifier })).status).toBe(400);
    });

    test('the challenge itself in place of the verifier gets no token', async () => {
      const { verifier, challenge } = pkcePair();
      const form = await fetch(authorizeUrl({}, challenge));
      const answer = await submit({ request: requestIdOf(await form.text()), user_id: 'ada' });
      const code = new URL(answer.headers.get('location')!).searchParams.get('code')!;
      expect((await exchange({ code, code_verifier: challenge })).status).toBe(400);
      expect(verifier).not.toBe(challenge);
    });

    test('a code is good once', async () => {
      const { code, verifier } = await signIn('ada');
      expect((await exchange({ code, code_verifier: verifier })).status).toBe(200);
      const again = await exchange({ code, code_verifier: verifier });
      expect(again.status).toBe(400);
      expect(await again.json()).toEqual({ error: 'invalid_grant' });
    });

    test('a code is good for 60 seconds', async () => {
      const late = await signIn('ada');
      clock += CODE_LIFETIME_MS;
      expect((await exchange({ code: late.code, code_verifier: late.verifier })).status).toBe(400);

      const inTime = await signIn('ada');
      clock += CODE_LIFETIME_MS - 1;
      expect((await exchange({ code: inTime.code, code_verifier: inTime.verifier })).status).toBe(200);
    });

    test('the code is bound to its redirect_uri and client', async () => {
      const first = await signIn('ada');
      expect(
        (await exchange({ code: first.code, code_verifier: first.verifier, redirect_uri: 'https://attacker.example/' }))
          .status,
      ).toBe(400);
      const second = await signIn('ada');
      const foreignClient = await exchange({ code: second.code, code_verifier: second.verifier, client_id: 'other' });
      expect(await foreignClient.json()).toEqual({ error: 'invalid_client' });
    });

    test('the token endpoint refuses other grants, other bodies and other origins', async () => {
      expect(await (await exchange({ grant_type: 'password' })).json()).toEqual({ error: 'unsupported_grant_type' });
      const json = await fetch(new URL('/oauth2/token', server.url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(json.status).toBe(415);
      const { code, verifier } = await signIn('ada');
      const foreign = await fetch(new URL('/oauth2/token', server.url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://attacker.example' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: 'local-console',
          redirect_uri: `${server.url}/`,
          code,
          code_verifier: verifier,
        }),
      });
      expect(foreign.status).toBe(403);
    });

    test.each([
      ['another site', 'https://attacker.example'],
      ['no origin', undefined],
      ['an opaque origin', 'null'],
      ['localhost, not the console origin', 'http://localhost:1'],
    ])('the form posted from %s is refused', async (_what, origin) => {
      const form = await fetch(authorizeUrl());
      const request = requestIdOf(await form.text());
      const answer = await submit(
        { request, user_id: 'mallory', agent: 'yes' },
        origin === undefined ? {} : { Origin: origin },
      );
      expect(answer.status).toBe(403);
      expect(answer.headers.get('location')).toBeNull();
      // The sign-in stays open for its own page.
      expect((await submit({ request, user_id: 'ada' })).status).toBe(302);
    });

    test('the form posted to another host name is refused (DNS rebinding)', async () => {
      const form = await fetch(authorizeUrl());
      const body = new URLSearchParams({ request: requestIdOf(await form.text()), user_id: 'mallory' }).toString();
      const answer = await rawRequest(
        server.url,
        `POST /oauth2/authorize HTTP/1.1\r\nHost: attacker.example:${server.port}\r\nOrigin: ${server.url}\r\n` +
          `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
      expect(answer.status).toBe(421);
      expect(answer.headers.location).toBeUndefined();
    });

    test('a user id that is not 1–128 visible ASCII, or a bad e-mail, shows the form again with the reason', async () => {
      const form = await fetch(authorizeUrl());
      const request = requestIdOf(await form.text());
      const refused: Record<string, string>[] = [
        { user_id: '' },
        { user_id: 'has space' },
        { user_id: 'x'.repeat(129) },
        { user_id: 'ünï' },
        { user_id: 'ada', email: 'not an address' },
      ];
      for (const fields of refused) {
        const answer = await submit({ request, ...fields });
        expect(answer.status).toBe(200);
        const html = await answer.text();
        expect(html).toContain('role="alert"');
        expect(html).not.toContain('has space');
        expect(requestIdOf(html)).toBe(request);
      }
      expect((await submit({ request, user_id: 'x'.repeat(128) })).status).toBe(302);
    });

    test('a sign-in is answered once; an unknown one is refused', async () => {
      const form = await fetch(authorizeUrl());
      const request = requestIdOf(await form.text());
      expect((await submit({ request, user_id: 'ada' })).status).toBe(302);
      expect((await submit({ request, user_id: 'ada' })).status).toBe(400);
      expect((await submit({ request: 'made-up', user_id: 'ada' })).status).toBe(400);
    });

    test('logout returns to the console only', async () => {
      const back = await fetch(
        `${server.url}/logout?client_id=local-console&logout_uri=${encodeURIComponent(`${server.url}/`)}`,
        { redirect: 'manual' },
      );
      expect(back.status).toBe(302);
      expect(back.headers.get('location')).toBe(`${server.url}/`);
      const away = await fetch(
        `${server.url}/logout?client_id=local-console&logout_uri=${encodeURIComponent('https://attacker.example/')}`,
        { redirect: 'manual' },
      );
      expect(away.status).toBe(400);
      expect(away.headers.get('location')).toBeNull();
      const otherClient = await fetch(
        `${server.url}/logout?client_id=x&logout_uri=${encodeURIComponent(`${server.url}/`)}`,
        { redirect: 'manual' },
      );
      expect(otherClient.status).toBe(400);
      // Cognito matches LogoutURLs exactly: the bare origin is not the console's `origin/`.
      const bareOrigin = await fetch(
        `${server.url}/logout?client_id=local-console&logout_uri=${encodeURIComponent(server.url)}`,
        { redirect: 'manual' },
      );
      expect(bareOrigin.status).toBe(400);
      expect(bareOrigin.headers.get('location')).toBeNull();
    });
  });
});
