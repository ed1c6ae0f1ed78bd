import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { SignJWT, UnsecuredJWT, importJWK } from 'jose';
import { readApiDefinition, type ApiDefinition } from '../../../local/api/api-definition.js';
import { LocalCognitoAuthorizer } from '../../../local/api/cognito-authorizer.js';
import type { InvocationOutcome } from '../../../local/api/lambda-runtime/function-runtime.js';
import {
  MAX_PAYLOAD_BYTES,
  MAX_REQUEST_LINE_AND_HEADER_BYTES,
  startLocalApi,
  type FunctionInvoker,
  type LocalApi,
} from '../../../local/api/local-api.js';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, mintIdToken } from '../../../local/token/id-token.js';
import { loadOrCreateSigningKey, type LocalSigningKey } from '../../../local/token/signing-key.js';
import { localStack } from '../../../local/system/local-stack.js';
import { isAddressInUse } from '../../../local/system/errors.js';
import { addressesAccepting, listeningAddresses } from '../../support/listening-sockets.js';
import { rawRequest } from '../../support/raw-http.js';

/**
 * The local API Gateway in front of stand-in functions: what API Gateway
 * answers by itself (authorizer, routing, limits, throttling, CORS) and how a
 * function's proxy result becomes the HTTP answer.
 */

class RecordingFunction implements FunctionInvoker {
  events: APIGatewayProxyEvent[] = [];
  outcome: InvocationOutcome = { kind: 'result', result: { statusCode: 200, body: '{"ok":true}' } };
  invoke(event: unknown): Promise<InvocationOutcome> {
    this.events.push(event as APIGatewayProxyEvent);
    return Promise.resolve(this.outcome);
  }
}

describe('the local API', () => {
  let stateDir: string;
  let key: LocalSigningKey;
  let definition: ApiDefinition;
  let functions: Map<string, RecordingFunction>;
  let api: LocalApi;
  let token: string;

  const start = async (overrides: Partial<ApiDefinition> = {}, port = 0, openApiDocument?: string) =>
    startLocalApi({
      port,
      api: { ...definition, ...overrides },
      functions,
      authorizer: new LocalCognitoAuthorizer(key),
      throttling: true,
      openApiDocument,
    });

  /** The stand-in for the function of a template route. */
  const functionOf = (method: string, resourcePath: string): RecordingFunction => {
    const route = definition.routes.find((each) => each.method === method && each.resourcePath === resourcePath);
    const fn = route && functions.get(route.functionId);
    if (!fn) throw new Error(`No function for ${method} ${resourcePath}.`);
    return fn;
  };

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'local-api-'));
    key = await loadOrCreateSigningKey(stateDir);
    definition = readApiDefinition(localStack({ region: 'us-east-1', stateDir }));
    functions = new Map(definition.routes.map((route) => [route.functionId, new RecordingFunction()]));
    api = await start();
    token = await mintIdToken(key, { sub: 'alice', email: 'alice@example.com', agent: true });
  });
  afterAll(async () => {
    await api.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    for (const fn of functions.values()) {
      fn.events = [];
      fn.outcome = { kind: 'result', result: { statusCode: 200, body: '{"ok":true}' } };
    }
  });

  const call = (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    const bearer = init.token === undefined ? token : init.token;
    if (bearer !== null) headers.set('Authorization', `Bearer ${bearer}`);
    return fetch(`${api.url}${path}`, { ...init, headers });
  };

  test('listens on 127.0.0.1 only: the kernel says so, and 127.0.0.2 gets no answer', async () => {
    const port = Number(new URL(api.url).port);
    expect(api.url).toBe(`http://127.0.0.1:${port}`);
    expect(listeningAddresses(port)).toEqual(['127.0.0.1']);
    await expect(addressesAccepting(port)).resolves.toEqual(['127.0.0.1']);
  });

  test('a port already taken fails the start with EADDRINUSE, naming the port', async () => {
    const port = Number(new URL(api.url).port);
    const failure = start({}, port).then((second) => second.stop());
    await expect(failure).rejects.toThrow(`127.0.0.1:${port} is already in use`);
    expect(isAddressInUse(await failure.catch((error: unknown) => error))).toBe(true);
  });

  describe('authorizer', () => {
    const expectUnauthorized = async (response: Response) => {
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
      expect([...functions.values()].every((fn) => fn.events.length === 0)).toBe(true);
    };

    test('refuses a request without a token', async () => {
      await expectUnauthorized(await call('/tickets', { token: null }));
    });

    test('refuses a token signed with another key', async () => {
      const otherKey = await loadOrCreateSigningKey(join(stateDir, 'another-machine'));
      await expectUnauthorized(
        await call('/tickets', { token: await mintIdToken(otherKey, { sub: 'mallory', email: 'm@x' }) }),
      );
    });

    test('refuses an unsigned token (alg: none)', async () => {
      const unsigned = new UnsecuredJWT({ email: 'm@x', token_use: 'id', 'cognito:groups': ['agents'] })
        .setSubject('mallory')
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('1h')
        .encode();
      await expectUnauthorized(await call('/tickets', { token: unsigned }));
    });

    test('refuses a token signed with another algorithm', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const rsaKey = await importJWK(privateKey.export({ format: 'jwk' }), 'RS256');
      const forged = await new SignJWT({ token_use: 'id' })
        .setProtectedHeader({ alg: 'RS256' })
        .setSubject('mallory')
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(rsaKey);
      await expectUnauthorized(await call('/tickets', { token: forged }));
    });

    test('refuses an expired token', async () => {
      await expectUnauthorized(
        await call('/tickets', {
          token: await mintIdToken(key, { sub: 'alice', email: 'a@x', expiresInSeconds: -60 }),
        }),
      );
    });

    test('refuses a token from another issuer or for another audience, and an access token', async () => {
      const sign = (claims: Record<string, unknown>, issuer: string, audience: string) =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'ES256' })
          .setSubject('alice')
          .setIssuer(issuer)
          .setAudience(audience)
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(key.privateKey);
      await expectUnauthorized(
        await call('/tickets', { token: await sign({ token_use: 'id' }, 'https://elsewhere', LOCAL_AUDIENCE) }),
      );
      await expectUnauthorized(
        await call('/tickets', { token: await sign({ token_use: 'id' }, LOCAL_ISSUER, 'other-client') }),
      );
      await expectUnauthorized(
        await call('/tickets', { token: await sign({ token_use: 'access' }, LOCAL_ISSUER, LOCAL_AUDIENCE) }),
      );
    });

    test('refuses a malformed Authorization header', async () => {
      await expectUnauthorized(await call('/tickets', { token: 'not-a-jwt' }));
    });

    test('passes the verified claims as the Cognito authorizer does: strings, groups comma-separated', async () => {
      await call('/tickets');
      const claims = functionOf('GET', '/tickets').events[0]!.requestContext.authorizer!.claims as Record<
        string,
        unknown
      >;
      expect(claims).toMatchObject({
        sub: 'alice',
        email: 'alice@example.com',
        'cognito:groups': 'agents',
        token_use: 'id',
        iss: LOCAL_ISSUER,
        aud: LOCAL_AUDIENCE,
        email_verified: 'true',
      });
      expect(Object.values(claims).every((value) => typeof value === 'string')).toBe(true);
      expect(claims.exp).toMatch(/^\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
    });
  });

  describe('routing', () => {
    test("invokes the route's function with a proxy event for the request", async () => {
      const response = await call('/tickets/01ABC?verbose=1', {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', 'If-Match': '"2"' },
        body: '{"status":"resolved"}',
      });
      expect(response.status).toBe(200);
      const [event] = functionOf('PATCH', '/tickets/{id}').events;
      expect(event).toMatchObject({
        resource: '/tickets/{id}',
        path: '/tickets/01ABC',
        httpMethod: 'PATCH',
        pathParameters: { id: '01ABC' },
        queryStringParameters: { verbose: '1' },
        body: '{"status":"resolved"}',
        requestContext: { stage: 'dev', resourcePath: '/tickets/{id}' },
      });
      // Header names reach the function as the client sent them; the layer normalizes them.
      expect(event!.headers['If-Match']).toBe('"2"');
      expect(event!.multiValueHeaders['If-Match']).toEqual(['"2"']);
      expect(response.headers.get('x-amzn-requestid')).toBe(event!.requestContext.requestId);
    });

    test.each([
      ['GET', '/nowhere'],
      ['DELETE', '/tickets/01ABC'],
      ['PUT', '/tickets'],
    ])(
      "%s %s gets the template's MISSING_AUTHENTICATION_TOKEN answer, with or without a token",
      async (method, path) => {
        for (const bearer of [token, null]) {
          const response = await call(path, { method, token: bearer });
          expect(response.status).toBe(definition.gatewayResponses.MISSING_AUTHENTICATION_TOKEN?.statusCode ?? 403);
          expect(await response.text()).toBe(definition.gatewayResponses.MISSING_AUTHENTICATION_TOKEN?.template);
        }
      },
    );

    test('routes OPTIONS, the CORS preflight, to its function without a token, whatever the token says', async () => {
      for (const bearer of [null, 'not-a-token']) {
        const response = await call('/tickets/01ABC', {
          method: 'OPTIONS',
          token: bearer,
          headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'PATCH' },
        });
        expect(response.status).toBe(200);
      }
      const events = functionOf('OPTIONS', '/tickets/{id}').events;
      expect(events).toHaveLength(2);
      expect(events[0]).toMatchObject({
        httpMethod: 'OPTIONS',
        resource: '/tickets/{id}',
        headers: { Origin: 'https://app.example' },
        requestContext: { authorizer: null },
      });
      // OPTIONS where the template routes none is an unknown route, as any other method.
      const unknown = await call('/nowhere', { method: 'OPTIONS', token: null });
      expect(unknown.status).toBe(definition.gatewayResponses.MISSING_AUTHENTICATION_TOKEN?.statusCode ?? 403);
    });

    test("echoes the request's Origin on gateway answers when several origins are allowed, as the template maps it", async () => {
      const several = readApiDefinition(
        localStack({
          region: 'us-east-1',
          stateDir,
          parameterOverrides: { AllowedOrigins: 'https://a.example,https://b.example' },
        }),
      );
      const served = await start({ gatewayResponses: several.gatewayResponses });
      try {
        const fromB = await fetch(`${served.url}/tickets`, { headers: { Origin: 'https://b.example' } });
        expect(fromB.status).toBe(401);
        expect(fromB.headers.get('access-control-allow-origin')).toBe('https://b.example');
        expect(fromB.headers.get('vary')).toBe('Origin');
        // Without an Origin (not a browser's cross-origin request) the mapped header is left out.
        const withoutOrigin = await fetch(`${served.url}/nowhere`);
        expect(withoutOrigin.status).toBe(404);
        expect(withoutOrigin.headers.get('access-control-allow-origin')).toBeNull();
      } finally {
        await served.stop();
      }
      // With one origin or *, the template's static value, whatever the request's Origin.
      const fromAnywhere = await call('/tickets', { token: null, headers: { Origin: 'https://b.example' } });
      expect(fromAnywhere.headers.get('access-control-allow-origin')).toBe('*');
    });

    test("refuses a body over 10 MB with the template's REQUEST_TOO_LARGE answer", async () => {
      const response = await call('/tickets', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: 'x'.repeat(MAX_PAYLOAD_BYTES + 1),
      });
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ status: 413 });
      expect(functionOf('POST', '/tickets').events).toHaveLength(0);
    });

    test('accepts a body of exactly 10 MB', async () => {
      const response = await call('/tickets', { method: 'POST', body: 'x'.repeat(MAX_PAYLOAD_BYTES) });
      expect(response.status).toBe(200);
    });
  });

  describe('request heads', () => {
    const expectCatchAllProblem = (
      answer: { status: number; contentType: string | null; body: unknown },
      status: number,
      detail: string,
    ) => {
      expect(answer.status).toBe(status);
      expect(answer.contentType).toBe('application/problem+json');
      expect(answer.body).toMatchObject({ type: 'about:blank', title: 'Request rejected', detail });
      expect([...functions.values()].every((fn) => fn.events.length === 0)).toBe(true);
    };

    /** A header that brings the request line and header values to `total` bytes, over a request to /tickets. */
    const padTo = (total: number, requestLine: number) => 'x'.repeat(total - requestLine);

    test("request line and header values over API Gateway's 10,240 bytes: 431 problem+json, no function called", async () => {
      const response = await call('/tickets', {
        headers: { 'X-Padding': 'x'.repeat(MAX_REQUEST_LINE_AND_HEADER_BYTES) },
      });

      expectCatchAllProblem(
        { status: response.status, contentType: response.headers.get('content-type'), body: await response.json() },
        431,
        'Request Header Fields Too Large',
      );
    });

    test('exactly 10,240 bytes of request line and header values reach the function', async () => {
      const requestLine = 'GET /tickets HTTP/1.1';
      const answer = await rawRequest(
        api.url,
        `${requestLine}\r\nHost: h\r\nAuthorization: ${token}\r\nX-Padding: ${padTo(MAX_REQUEST_LINE_AND_HEADER_BYTES, requestLine.length + 1 + token.length)}\r\nConnection: close\r\n\r\n`,
      );
      // The padding leaves out `close`, Connection's value, which counts too: 5 bytes over.
      expect(answer.status).toBe(431);
      const fitting = await rawRequest(
        api.url,
        `${requestLine}\r\nHost: h\r\nAuthorization: ${token}\r\nConnection: close\r\nX-Padding: ${padTo(MAX_REQUEST_LINE_AND_HEADER_BYTES, requestLine.length + 1 + token.length + 'close'.length)}\r\n\r\n`,
      );
      expect(fitting.status).toBe(200);
    });

    test("a head over even Node's parser limit (100 KB) is 431 problem+json, not Node's bare status line", async () => {
      const answer = await rawRequest(
        api.url,
        `GET /tickets HTTP/1.1\r\nHost: h\r\nX-Padding: ${'x'.repeat(100 * 1024)}\r\n\r\n`,
      );

      expectCatchAllProblem(
        { status: answer.status, contentType: answer.headers['content-type'] ?? null, body: JSON.parse(answer.body) },
        431,
        'Request Header Fields Too Large',
      );
      expect(answer.headers.connection).toBe('close');
      expect(answer.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    });

    test.each([
      ['a request line that is not HTTP', 'HELLO\r\n\r\n'],
      ['a header line without a colon', 'GET /tickets HTTP/1.1\r\nHost: h\r\nnot a header\r\n\r\n'],
      ['a control character in a header value', 'GET /tickets HTTP/1.1\r\nHost: h\r\nX-Bad: a\u0001b\r\n\r\n'],
    ])('%s: 400 problem+json', async (_, request) => {
      const answer = await rawRequest(api.url, request);

      expectCatchAllProblem(
        { status: answer.status, contentType: answer.headers['content-type'] ?? null, body: JSON.parse(answer.body) },
        400,
        'Bad Request',
      );
    });
  });

  describe("the function's answer", () => {
    test('statusCode, headers and multiValueHeaders are written back; the body decoded if base64', async () => {
      functionOf('GET', '/tickets/{id}').outcome = {
        kind: 'result',
        result: {
          statusCode: 201,
          headers: { ETag: '"7"', 'Content-Type': 'text/plain' },
          multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
          body: Buffer.from('hello').toString('base64'),
          isBase64Encoded: true,
        },
      };
      const response = await call('/tickets/01ABC');
      expect(response.status).toBe(201);
      expect(response.headers.get('etag')).toBe('"7"');
      expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
      expect(await response.text()).toBe('hello');
    });

    test('a body of MinimumCompressionSize or more is gzipped for a client that accepts it', async () => {
      const body = JSON.stringify({ text: 'x'.repeat(2048) });
      functionOf('GET', '/tickets/{id}').outcome = { kind: 'result', result: { statusCode: 200, body } };
      const raw = await rawGet(`${api.url}/tickets/01ABC`, {
        'Accept-Encoding': 'gzip',
        Authorization: `Bearer ${token}`,
      });
      expect(raw.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(raw.body).toString('utf8')).toBe(body);

      const plain = await rawGet(`${api.url}/tickets/01ABC`, { Authorization: `Bearer ${token}` });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.toString('utf8')).toBe(body);
    });

    test.each<[string, InvocationOutcome]>([
      ['throws', { kind: 'error', errorType: 'TypeError', errorMessage: 'boom' }],
      ['times out', { kind: 'timeout', timeoutSeconds: 6 }],
      ['answers malformed', { kind: 'result', result: { body: 'no status code' } }],
    ])("a function that %s gets the template's DEFAULT_5XX answer, revealing nothing", async (_case, outcome) => {
      functionOf('GET', '/tickets/{id}').outcome = outcome;
      const response = await call('/tickets/01ABC');
      // API Gateway's own status for a failed Lambda integration; the template keeps it.
      expect(response.status).toBe(502);
      const body = await response.json();
      expect(body).toMatchObject({ type: 'about:blank', requestId: response.headers.get('x-amzn-requestid') });
      expect(JSON.stringify(body)).not.toMatch(/boom|no status code/);
    });
  });

  describe('the OpenAPI document', () => {
    test('GET /openapi.json answers the file, as JSON, without a token', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'local-api-openapi-'));
      const document = join(folder, 'openapi.json');
      const content = JSON.stringify({ openapi: '3.1.0', info: { title: 'Tickets', version: '1' }, paths: {} });
      writeFileSync(document, content);
      const served = await start({}, 0, document);
      try {
        const response = await fetch(`${served.url}/openapi.json`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('application/json');
        // Public, for browser-based tools on any origin.
        expect(response.headers.get('access-control-allow-origin')).toBe('*');
        expect(await response.text()).toBe(content);
        // Read on each request: a regenerated document is served without a restart.
        writeFileSync(document, '{"openapi":"3.1.0"}');
        expect(await (await fetch(`${served.url}/openapi.json`)).json()).toEqual({ openapi: '3.1.0' });
        // Only GET: other methods are unknown routes.
        const post = await fetch(`${served.url}/openapi.json`, { method: 'POST' });
        expect(post.status).toBe(404);
        expect([...functions.values()].every((fn) => fn.events.length === 0)).toBe(true);
      } finally {
        await served.stop();
        rmSync(folder, { recursive: true, force: true });
      }
    });

    test('without the file, GET /openapi.json is an unknown route', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'local-api-openapi-'));
      const served = await start({}, 0, join(folder, 'openapi.json'));
      try {
        const response = await fetch(`${served.url}/openapi.json`);
        expect(response.status).toBe(404);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        expect(await response.text()).toBe(definition.gatewayResponses.MISSING_AUTHENTICATION_TOKEN?.template);
      } finally {
        await served.stop();
        rmSync(folder, { recursive: true, force: true });
      }
    });
  });

  test("throttles beyond the stage's burst with the template's THROTTLED answer, before anything else", async () => {
    // A rate so low that no token comes back while the test runs: only the burst passes.
    const throttled = await start({ throttling: { rateLimit: 1e-9, burstLimit: 2 } });
    try {
      const statuses = [];
      for (let index = 0; index < 4; index++) {
        statuses.push(
          (await fetch(`${throttled.url}/tickets`, { headers: { Authorization: `Bearer ${token}` } })).status,
        );
      }
      expect(statuses).toEqual([200, 200, 429, 429]);
      expect(functionOf('GET', '/tickets').events).toHaveLength(2);
      // Throttled before the authorizer and the router: no token, unknown route, all 429.
      for (const [path, init] of [
        ['/tickets', {}],
        ['/nowhere', { method: 'DELETE' }],
      ] as const) {
        const response = await fetch(`${throttled.url}${path}`, init);
        expect(response.status).toBe(429);
        expect(response.headers.get('retry-after')).toBe('1');
        expect(await response.text()).toBe(definition.gatewayResponses.THROTTLED?.template);
      }
    } finally {
      await throttled.stop();
    }
  });
});

/** The bytes as sent: fetch would decompress them. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolveResponse, reject) => {
    get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
      });
      response.on('end', () => {
        resolveResponse({ headers: response.headers, body: Buffer.concat(chunks) });
      });
    }).on('error', reject);
  });
}
