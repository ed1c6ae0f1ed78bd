import { describe, expect, test } from '@jest/globals';
import { SignJWT } from 'jose';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../local/token/id-token.js';
import { expectProblem } from '../support/problem-details.js';
import { rawRequest } from '../support/raw-http.js';
import { testSystemPerFile } from './support/local-system.js';

/**
 * How strictly the API reads a request, over HTTP against the local system:
 * JSON media types in any letter case but only in UTF-8, query numbers only
 * as plain decimals, heads within API Gateway's 10,240 bytes, requests that
 * cannot be parsed, and claims API Gateway's authorizer passes that could be
 * read two ways. Every refusal is problem+json, and nothing refused is stored.
 */

const QUESTION = JSON.stringify({ subject: 'Export question', description: 'How do I export my invoices?' });

describe('HTTP details over HTTP', () => {
  const system = testSystemPerFile();

  /** How many tickets the agent's queue of open tickets holds. */
  const openTickets = async () => {
    const ada = await system().clientAs({ sub: 'ada', agent: true });
    const page = await ada.list({ status: 'open', limit: '100' });
    expect(page.status).toBe(200);
    return page.body.items.length;
  };

  describe('media types', () => {
    test.each(['APPLICATION/JSON', 'application/JSON; charset=UTF-8', 'Application/Json; Charset="utf-8"'])(
      '%s: the ticket is created',
      async (contentType) => {
        const alice = await system().clientAs({ sub: 'alice' });
        const created = await alice.create(QUESTION, { 'Content-Type': contentType });
        expect(created.status).toBe(201);
      },
    );

    test.each(['application/json; charset=ISO-8859-1', 'application/json; charset=UTF-16', 'text/plain'])(
      '%s: 415 problem+json, and nothing is stored',
      async (contentType) => {
        const alice = await system().clientAs({ sub: 'alice' });
        const before = await openTickets();

        expectProblem(await alice.create(QUESTION, { 'Content-Type': contentType }), 415);
        expect(await openTickets()).toBe(before);
      },
    );
  });

  describe('numbers in the query', () => {
    test.each(['0x10', '1e2', '+5', ' 5', '5.0'])('limit=%s: 400 naming the parameter', async (limit) => {
      const alice = await system().clientAs({ sub: 'alice' });
      const answer = expectProblem(await alice.list({ limit }), 400);
      expect(answer.errors).toEqual([{ path: '/queryStringParameters/limit', message: expect.any(String) }]);
    });

    test('limit=16 is a page size', async () => {
      const alice = await system().clientAs({ sub: 'alice' });
      expect((await alice.list({ limit: '16' })).status).toBe(200);
    });
  });

  describe('request heads', () => {
    test("headers over API Gateway's 10,240 bytes: 431 problem+json from the gateway", async () => {
      const token = await system().token({ sub: 'alice' });
      const answer = await fetch(`${system().apiUrl}/tickets`, {
        headers: { Authorization: `Bearer ${token}`, 'X-Padding': 'x'.repeat(11 * 1024) },
      });

      expect(answer.status).toBe(431);
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      expect(await answer.json()).toMatchObject({ type: 'about:blank', detail: 'Request Header Fields Too Large' });
    });

    test('a head of 100 KB: 431 problem+json, not a bare status line', async () => {
      const answer = await rawRequest(
        system().apiUrl,
        `GET /tickets HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'x'.repeat(100 * 1024)}\r\n\r\n`,
      );

      expect(answer.status).toBe(431);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(answer.body)).toMatchObject({ detail: 'Request Header Fields Too Large' });
    });

    test('a malformed request: 400 problem+json', async () => {
      const answer = await rawRequest(system().apiUrl, 'GET /tickets HTTP/1.1\r\nHost: localhost\r\nno colon\r\n\r\n');

      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(answer.body)).toMatchObject({ type: 'about:blank', detail: 'Bad Request' });
    });
  });

  describe('claims', () => {
    /** A token the local key signed, for `sub`, claiming `groups`. */
    const tokenWith = (sub: string, groups: string[]) =>
      new SignJWT({ email: `${sub.slice(0, 20)}@example.com`, token_use: 'id', 'cognito:groups': groups })
        .setProtectedHeader({ alg: 'ES256', kid: system().signingKey.keyId })
        .setSubject(sub)
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(system().signingKey.privateKey);

    test.each([[['foo,agents']], [['agents]']]])('groups %j grant no agent role', async (groups) => {
      const alice = await system().clientAs({ sub: 'alice' });
      expect((await alice.create(QUESTION, { 'Content-Type': 'application/json' })).status).toBe(201);

      const answer = await fetch(`${system().apiUrl}/tickets`, {
        headers: { Authorization: `Bearer ${await tokenWith('mallory', groups)}` },
      });

      expect(answer.status).toBe(200);
      // An agent would see alice's ticket; a customer sees only their own, of which mallory has none.
      expect(((await answer.json()) as { items: unknown[] }).items).toEqual([]);
    });

    test('a 300-character sub: 401 problem+json, not a 500', async () => {
      const answer = await fetch(`${system().apiUrl}/tickets`, {
        headers: { Authorization: `Bearer ${await tokenWith('a'.repeat(300), [])}` },
      });

      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
    });
  });
});
