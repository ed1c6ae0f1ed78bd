import { describe, expect, test } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { parseConfig } from '../../../web/src/config.js';
import { contractTargetPerFile } from '../support/contract-target.js';
import { expectFunctionAnswerAllows, expectPreflightAllows, preflight } from '../support/cors.js';

/**
 * The agent console as its host serves it (CloudFront in front of the bucket
 * when deployed, the console part of the local system here): its page and
 * files with the security headers, its runtime settings, the sign-in they
 * name, and the API allowing the console's origin. The browser tests
 * (tests/browser/) use the console itself; this holds wherever it is hosted.
 */
describe('the agent console, as hosted', () => {
  // A listed origin besides the console's, so the console's is allowed by CONSOLE_ORIGIN, not by `*`.
  const target = contractTargetPerFile({
    local: { parameterOverrides: { AllowedOrigins: 'https://app.example.com' } },
  });
  const page = (path: string) => fetch(`${target().consoleUrl}${path}`, { redirect: 'manual' });

  const expectSecurityHeaders = (answer: Response) => {
    const policy = answer.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "frame-ancestors 'none'",
      "object-src 'none'",
      "base-uri 'none'",
      "require-trusted-types-for 'script'",
    ]) {
      expect(policy).toContain(directive);
    }
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('x-frame-options')).toBe('DENY');
    expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
  };

  test('the page loads only its own files, under the security headers, and is revalidated', async () => {
    const answer = await page('/');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    // Asked again each time, so a new build's page (naming new files) is seen at once.
    expect(answer.headers.get('cache-control')).toBe('no-cache');
    expectSecurityHeaders(answer);
    const html = await answer.text();
    // No inline code: every script and stylesheet is a file of this origin.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    const script = /<script type="module" src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await page(script ?? '');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    // Named by its content: cached for good, and a new build is a new name.
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expectSecurityHeaders(asset);
  });

  test('a file that is not there is a 404, still under the security headers', async () => {
    const answer = await page('/no-such-file.js');
    expect(answer.status).toBe(404);
    expectSecurityHeaders(answer);
  });

  test('its settings name this API and a sign-in that takes the console back, by code with PKCE', async () => {
    const answer = await page('/config.json');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-cache');
    const config = parseConfig(await answer.json());
    expect(config.auth.scopes).toContain('openid');
    const verifier = randomBytes(48).toString('base64url');
    const authorize = new URL(`${config.auth.authority}/oauth2/authorize`);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: config.auth.clientId,
      redirect_uri: `${target().consoleUrl}/`,
      scope: config.auth.scopes.join(' '),
      state: randomBytes(16).toString('base64url'),
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    // The sign-in form (locally), or the hosted UI sending the browser on to its login page (Cognito).
    const signIn = await fetch(authorize, { redirect: 'manual' });
    expect([200, 302]).toContain(signIn.status);
    if (signIn.status === 302) expect(signIn.headers.get('location')).not.toMatch(/error=/);
  });

  test("the API allows the console's origin: a preflight, and a function's answer", async () => {
    const origin = new URL(target().consoleUrl).origin;
    const allowOrigin = target().parameters.AllowedOrigins === '*' ? '*' : origin;
    expectPreflightAllows(await preflight(target().anonymous, '/tickets', origin), allowOrigin, 'GET,OPTIONS,POST');
    await expectFunctionAnswerAllows(target().customer.client, origin, allowOrigin);
  });
});
