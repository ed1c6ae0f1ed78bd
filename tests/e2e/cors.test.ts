import { describe, expect, test } from '@jest/globals';
import { expectFromFunction, expectFromGateway } from './support/answer-origin.js';
import { expectPreflightAllows, PREFLIGHT_PATHS as PATHS, preflight } from './support/cors.js';
import { testSystemPerFile } from './support/local-system.js';
import { UNAUTHORIZED, unauthorizedExchange } from './support/unauthorized.js';

/**
 * CORS over HTTP against the local runtime, as a browser meets it: the
 * preflight (OPTIONS, without a token), the functions' answers and API
 * Gateway's own answers, with several allowed origins, one, and `*`. Each
 * expectation is written out as the Fetch standard's CORS checks need it, not
 * read from the template.
 */

const A = 'https://a.example';
const B = 'https://b.example';
const ELSEWHERE = 'https://elsewhere.example';

const QUESTION = { subject: 'Export question', description: 'How do I export my invoices as a CSV file?' };

describe('several allowed origins', () => {
  const system = testSystemPerFile({ parameterOverrides: { AllowedOrigins: `${A},${B}` } });

  describe.each([A, B])('a preflight from %s', (origin) => {
    test.each(PATHS)('on %s is answered with that origin and the methods of the path', async (path, methods) => {
      const answer = await preflight(system().anonymous, path, origin);
      expectPreflightAllows(answer, origin, methods);
      expect(answer.headers.get('vary')).toBe('Origin');
    });
  });

  test('a preflight from an origin not listed is answered without CORS headers, so the browser refuses', async () => {
    const answer = await preflight(system().anonymous, '/tickets', ELSEWHERE);
    expect(answer.status).toBe(204);
    for (const name of [
      'access-control-allow-origin',
      'access-control-allow-methods',
      'access-control-allow-headers',
      'access-control-max-age',
    ]) {
      expect({ name, value: answer.headers.get(name) }).toEqual({ name, value: null });
    }
  });

  test('a preflight needs no token, and a bad one does not stop it', async () => {
    const answer = await system().anonymous.call({
      method: 'OPTIONS',
      path: '/tickets',
      headers: { Origin: B, 'Access-Control-Request-Method': 'GET', Authorization: 'Bearer not-a-token' },
    });
    expectPreflightAllows(answer, B, 'GET,OPTIONS,POST');
  });

  test('the real GET and POST from b carry b, and what a script may read', async () => {
    const alice = await system().clientAs({ sub: 'alice' });
    const created = await alice.create(QUESTION, { Origin: B });
    expect(created.status).toBe(201);
    expect(created.headers.get('access-control-allow-origin')).toBe(B);
    expect(created.headers.get('access-control-expose-headers')).toContain('Location');
    expect(created.headers.get('vary')).toContain('Origin');
    const listed = await alice.call({ method: 'GET', path: '/tickets', headers: { Origin: B } });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBe(B);
  });

  test("a function's error answer carries the origin too, and an unlisted origin gets none", async () => {
    const alice = await system().clientAs({ sub: 'alice' });
    const missing = await alice.call({ method: 'GET', path: PATHS[1]![0], headers: { Origin: A } });
    expect(missing.status).toBe(404);
    expectFromFunction(missing);
    expect(missing.headers.get('access-control-allow-origin')).toBe(A);
    const elsewhere = await alice.call({ method: 'GET', path: '/tickets', headers: { Origin: ELSEWHERE } });
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });

  test.each([A, B])("API Gateway's 401 from %s is readable by that origin", async (origin) => {
    const answer = await system().anonymous.call({ method: 'GET', path: '/tickets', headers: { Origin: origin } });
    expectFromGateway(answer, UNAUTHORIZED, {
      'content-type': 'application/problem+json',
      'access-control-allow-origin': origin,
      vary: 'Origin',
    });
  });
});

describe('any origin (*, the default)', () => {
  const system = testSystemPerFile();

  test('a preflight from any origin is answered *', async () => {
    expectPreflightAllows(await preflight(system().anonymous, '/tickets', ELSEWHERE, 'GET'), '*', 'GET,OPTIONS,POST');
  });

  test("functions' and API Gateway's answers allow any origin with *", async () => {
    const alice = await system().clientAs({ sub: 'alice' });
    const listed = await alice.call({ method: 'GET', path: '/tickets', headers: { Origin: ELSEWHERE } });
    expect(listed.headers.get('access-control-allow-origin')).toBe('*');
    const refused = await system().anonymous.call({ method: 'GET', path: '/tickets', headers: { Origin: ELSEWHERE } });
    expectFromGateway(refused, UNAUTHORIZED, { 'access-control-allow-origin': '*' });
  });
});

describe('one allowed origin', () => {
  const system = testSystemPerFile({ parameterOverrides: { AllowedOrigins: A } });

  test('a preflight from it is answered with it', async () => {
    expectPreflightAllows(await preflight(system().anonymous, '/tickets', A), A, 'GET,OPTIONS,POST');
  });

  // The console's origin is allowed besides it: no static value can name one of two, so the request's is echoed.
  test("API Gateway's 401 echoes the request's Origin, and names none when the request sends none", async () => {
    const { requestHeaders, answerHeaders } = unauthorizedExchange(A);
    expect(requestHeaders).toEqual({ Origin: A });
    expect(answerHeaders).toMatchObject({ 'access-control-allow-origin': A, vary: 'Origin' });
    const refused = await system().anonymous.call({ method: 'GET', path: '/tickets', headers: requestHeaders });
    expectFromGateway(refused, UNAUTHORIZED, answerHeaders);
    // Its fixed body holds nothing a page elsewhere could not learn (README, CORS).
    const elsewhere = await system().anonymous.call({
      method: 'GET',
      path: '/tickets',
      headers: { Origin: ELSEWHERE },
    });
    expectFromGateway(elsewhere, UNAUTHORIZED, { 'access-control-allow-origin': ELSEWHERE, vary: 'Origin' });
    const none = await system().anonymous.call({ method: 'GET', path: '/tickets', headers: {} });
    expectFromGateway(none, UNAUTHORIZED, { 'content-type': 'application/problem+json' });
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
  });
});
