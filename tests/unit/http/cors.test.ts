import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ConfigError, readAllowedOrigins } from '../../../layers/shared/src/config.js';
import { allowedOriginFor, CORS_ALLOWED_HEADERS, corsPreflightHandler } from '../../../layers/shared/src/http/cors.js';

/** The one origin rule, and the preflight answer built on it (functions/cors-preflight). */

const LISTED = ['https://a.example', 'https://b.example'];
const PREFLIGHT_METHODS = '/tickets=GET,OPTIONS,POST;/tickets/{id}=GET,OPTIONS,PATCH';

const preflight = (headers: APIGatewayProxyEvent['headers'] | null, resource = '/tickets/{id}') => ({
  headers,
  resource,
});

describe('allowedOriginFor', () => {
  test.each([
    ['https://a.example', LISTED, 'https://a.example'],
    ['https://b.example', LISTED, 'https://b.example'],
    ['https://c.example', LISTED, null],
    // Exact: another scheme, port, case or a trailing slash is another origin.
    ['http://a.example', LISTED, null],
    ['https://a.example:8443', LISTED, null],
    ['https://A.example', LISTED, null],
    ['https://a.example/', LISTED, null],
    [undefined, LISTED, null],
    ['https://anywhere.example', ['*'], '*'],
    [undefined, ['*'], '*'],
  ])('%s against %j → %s', (origin, allowed, expected) => {
    expect(allowedOriginFor(origin, allowed)).toBe(expected);
  });
});

describe('the CORS preflight', () => {
  const listed = corsPreflightHandler({ ALLOWED_ORIGINS: LISTED.join(','), PREFLIGHT_METHODS });
  const any = corsPreflightHandler({ ALLOWED_ORIGINS: '*', PREFLIGHT_METHODS });

  test.each(LISTED)('answers %s with itself, the methods of the path, the headers and the max age', async (origin) => {
    expect(await listed(preflight({ Origin: origin, 'Access-Control-Request-Method': 'PATCH' }))).toEqual({
      statusCode: 204,
      headers: {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': 'GET,OPTIONS,PATCH',
        'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS,
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      },
      body: '',
    });
  });

  test("the methods are the requested path's own", async () => {
    const answer = await listed(preflight({ origin: 'https://a.example' }, '/tickets'));
    expect(answer.headers?.['Access-Control-Allow-Methods']).toBe('GET,OPTIONS,POST');
  });

  test('finds the Origin header however the client spelled it', async () => {
    const answer = await listed(preflight({ ORIGIN: 'https://b.example' }));
    expect(answer.headers?.['Access-Control-Allow-Origin']).toBe('https://b.example');
  });

  test.each([
    ['an origin not listed', { Origin: 'https://c.example' }],
    ['no Origin', {}],
    ['no headers at all', null],
  ])('%s: 204 without CORS headers, so the browser refuses', async (_case, headers) => {
    expect(await listed(preflight(headers))).toEqual({ statusCode: 204, headers: { Vary: 'Origin' }, body: '' });
  });

  test('with * configured, any origin is answered *', async () => {
    const answer = await any(preflight({ Origin: 'https://c.example' }));
    expect(answer).toMatchObject({
      statusCode: 204,
      headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'GET,OPTIONS,PATCH' },
    });
  });

  test('a path missing from PREFLIGHT_METHODS gets no Allow-Methods, so only simple requests pass', async () => {
    const answer = await listed(preflight({ Origin: 'https://a.example' }, '/elsewhere'));
    expect(answer.headers).not.toHaveProperty('Access-Control-Allow-Methods');
    expect(answer.headers?.['Access-Control-Allow-Origin']).toBe('https://a.example');
  });

  test('fails its cold start when PREFLIGHT_METHODS is missing or malformed', () => {
    expect(() => corsPreflightHandler({ ALLOWED_ORIGINS: '*' })).toThrow(ConfigError);
    for (const malformed of ['tickets=GET', '/tickets', '/tickets=GET=POST', '/tickets=GET;']) {
      expect(() => corsPreflightHandler({ PREFLIGHT_METHODS: malformed })).toThrow(/PREFLIGHT_METHODS/);
    }
  });

  test('ALLOWED_ORIGINS is read as the functions read it: comma-separated, spaces trimmed, * by default', () => {
    expect(readAllowedOrigins({ ALLOWED_ORIGINS: 'https://a.example, https://b.example' })).toEqual(LISTED);
    expect(readAllowedOrigins({})).toEqual(['*']);
  });

  test("CONSOLE_ORIGIN, the agent console's origin, is allowed besides the list, or alone when the list is empty", () => {
    const CONSOLE = 'https://d111111abcdef8.cloudfront.net';
    expect(readAllowedOrigins({ ALLOWED_ORIGINS: LISTED.join(','), CONSOLE_ORIGIN: CONSOLE })).toEqual([
      ...LISTED,
      CONSOLE,
    ]);
    expect(readAllowedOrigins({ ALLOWED_ORIGINS: '', CONSOLE_ORIGIN: CONSOLE })).toEqual([CONSOLE]);
    // Named once even when the list names it too.
    expect(readAllowedOrigins({ ALLOWED_ORIGINS: `${CONSOLE},https://a.example`, CONSOLE_ORIGIN: CONSOLE })).toEqual([
      CONSOLE,
      'https://a.example',
    ]);
    // * already allows it; an empty or unset CONSOLE_ORIGIN adds nothing.
    expect(readAllowedOrigins({ ALLOWED_ORIGINS: '*', CONSOLE_ORIGIN: CONSOLE })).toEqual(['*']);
    expect(readAllowedOrigins({ CONSOLE_ORIGIN: CONSOLE })).toEqual(['*']);
    expect(readAllowedOrigins({ ALLOWED_ORIGINS: LISTED.join(','), CONSOLE_ORIGIN: '' })).toEqual(LISTED);
    expect(readAllowedOrigins({ ALLOWED_ORIGINS: '' })).toEqual([]);
  });

  test('with an empty ALLOWED_ORIGINS the preflight allows the console alone', async () => {
    const CONSOLE = 'https://d111111abcdef8.cloudfront.net';
    const consoleOnly = corsPreflightHandler({ ALLOWED_ORIGINS: '', CONSOLE_ORIGIN: CONSOLE, PREFLIGHT_METHODS });
    const fromConsole = await consoleOnly(preflight({ Origin: CONSOLE, 'Access-Control-Request-Method': 'PATCH' }));
    expect(fromConsole.headers?.['Access-Control-Allow-Origin']).toBe(CONSOLE);
    const fromElsewhere = await consoleOnly(preflight({ Origin: 'https://a.example' }));
    expect(fromElsewhere.headers).toEqual({ Vary: 'Origin' });
  });
});

describe('functions/cors-preflight', () => {
  const saved = { ...process.env };
  beforeAll(() => {
    process.env.ALLOWED_ORIGINS = LISTED.join(',');
    process.env.PREFLIGHT_METHODS = PREFLIGHT_METHODS;
  });
  afterAll(() => {
    process.env = saved;
  });

  test("is the layer's preflight, configured from its environment", async () => {
    const { handler } = await import('../../../functions/cors-preflight/handler.js');
    const answer = await handler(preflight({ Origin: 'https://b.example' }));
    expect(answer.headers?.['Access-Control-Allow-Origin']).toBe('https://b.example');
  });
});
