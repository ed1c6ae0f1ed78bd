import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { verifyIdToken } from '../../local/token/id-token.js';
import { testSystemPerFile } from '../e2e/support/local-system.js';
import { launchChromium, saveScreenshot, watchedContext } from './support/browser.js';

/**
 * The local sign-in in real Chromium, as the console will use it: the
 * authorize request with a PKCE pair, the server-rendered form filled in and
 * submitted, the browser back on the console's origin with the code and
 * state, and the code exchanged for an ID token the local API accepts. The
 * console here is a fixture (a static page without script), so this holds
 * whatever the console's own code does.
 */
describe('the local sign-in, in Chromium', () => {
  const consoleDir = mkdtempSync(join(tmpdir(), 'browser-fixture-console-'));
  writeFileSync(
    join(consoleDir, 'index.html'),
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Fixture console</title>' +
      '<link rel="icon" href="data:,"></head><body><main><h1>Fixture console</h1></main></body></html>\n',
  );
  const system = testSystemPerFile({ consoleDir });
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser.close();
    rmSync(consoleDir, { recursive: true, force: true });
  });

  test.each([
    { userId: 'ada', agent: true, groups: ['agents'] },
    { userId: 'alice', agent: false, groups: [] },
  ])(
    '$userId (agent: $agent) signs in with the form and gets an ID token the API accepts',
    async ({ userId, agent, groups }) => {
      const { consoleUrl, apiUrl, signingKey } = system();
      const verifier = randomBytes(48).toString('base64url');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const state = randomBytes(16).toString('base64url');
      const authorize = new URL('/oauth2/authorize', consoleUrl);
      authorize.search = new URLSearchParams({
        response_type: 'code',
        client_id: 'local-console',
        redirect_uri: `${consoleUrl}/`,
        scope: 'openid email',
        state,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }).toString();

      const { context, problems } = await watchedContext(browser, { viewport: { width: 1280, height: 800 } });
      try {
        const page = await context.newPage();
        const form = await page.goto(authorize.href);
        expect(form?.status()).toBe(200);
        const formCsp = form?.headers()['content-security-policy'] ?? '';
        expect(formCsp).toContain("form-action 'self'");
        expect(formCsp).toContain("default-src 'none'");
        expect(formCsp).not.toContain('script-src');

        // The form's accessible names, exactly.
        const userIdField = page.getByRole('textbox', { name: 'User id', exact: true });
        const emailField = page.getByRole('textbox', { name: 'E-mail', exact: true });
        const agentBox = page.getByRole('checkbox', { name: 'Support agent', exact: true });
        const submit = page.getByRole('button', { name: 'Sign in', exact: true });
        for (const control of [userIdField, emailField, agentBox, submit])
          await expect(control.isVisible()).resolves.toBe(true);
        await expect(agentBox.isChecked()).resolves.toBe(false);

        await userIdField.fill(userId);
        if (agent) await agentBox.check();
        if (agent) await saveScreenshot(page, 'sign-in.png');
        const landing = page.waitForResponse((response) => {
          const url = new URL(response.url());
          return url.origin === consoleUrl && url.pathname === '/';
        });
        await submit.click();
        const consoleAnswer = await landing;
        await page.waitForURL((url) => url.searchParams.has('code'));

        const landedOn = new URL(page.url());
        expect(landedOn.origin).toBe(consoleUrl);
        expect(landedOn.pathname).toBe('/');
        expect(landedOn.searchParams.get('state')).toBe(state);
        expect(consoleAnswer.status()).toBe(200);
        expect(consoleAnswer.headers()['content-security-policy']).toContain(
          `connect-src 'self' ${apiUrl} ${consoleUrl}`,
        );
        await expect(page.getByRole('heading', { name: 'Fixture console' }).isVisible()).resolves.toBe(true);

        const code = landedOn.searchParams.get('code')!;
        const exchange = await fetch(new URL('/oauth2/token', consoleUrl), {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            client_id: 'local-console',
            code,
            redirect_uri: `${consoleUrl}/`,
            code_verifier: verifier,
          }),
        });
        expect(exchange.status).toBe(200);
        const tokens = (await exchange.json()) as { id_token: string; expires_in: number; token_type: string };
        expect(tokens).toMatchObject({ expires_in: 3600, token_type: 'Bearer' });
        expect(await verifyIdToken(signingKey, tokens.id_token)).toMatchObject({
          sub: userId,
          email: `${userId}@example.com`,
          'cognito:groups': groups,
        });

        const tickets = await fetch(new URL('/tickets', apiUrl), {
          headers: { Authorization: `Bearer ${tokens.id_token}` },
        });
        expect(tickets.status).toBe(200);
        expect(await tickets.json()).toMatchObject({ items: [] });

        expect(problems).toEqual({ pageErrors: [], consoleErrors: [], cspViolations: [] });
      } finally {
        await context.close();
      }
    },
  );
});
