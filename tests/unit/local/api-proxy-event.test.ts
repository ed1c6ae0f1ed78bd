import { describe, expect, test } from '@jest/globals';
import { buildProxyEvent, type EventContext, type IncomingRequest } from '../../../local/api/proxy-event.js';

const request = (overrides: Partial<IncomingRequest> = {}): IncomingRequest => ({
  method: 'GET',
  rawPath: '/tickets',
  rawQuery: '',
  rawHeaders: ['Host', '127.0.0.1:3000', 'Accept', 'application/json'],
  body: Buffer.alloc(0),
  sourceIp: '127.0.0.1',
  localPort: 3000,
  ...overrides,
});

const context: EventContext = {
  resourcePath: '/tickets',
  pathParameters: null,
  stage: 'dev',
  apiId: 'local',
  requestId: 'request-1',
  claims: { sub: 'alice', email: 'alice@example.com' },
  receivedAt: new Date('2026-11-24T20:28:10.123Z'),
};

describe('buildProxyEvent', () => {
  test('has null query parameters and body when the request has none', () => {
    const event = buildProxyEvent(request(), context);
    expect(event.queryStringParameters).toBeNull();
    expect(event.multiValueQueryStringParameters).toBeNull();
    expect(event.body).toBeNull();
    expect(event.isBase64Encoded).toBe(false);
    expect(event.stageVariables).toBeNull();
  });

  test('keeps every value of a repeated query parameter, the last one in the single-value map', () => {
    const event = buildProxyEvent(request({ rawQuery: 'status=open&status=resolved&limit=5&cursor=a%2Bb' }), context);
    expect(event.queryStringParameters).toEqual({ status: 'resolved', limit: '5', cursor: 'a+b' });
    expect(event.multiValueQueryStringParameters).toEqual({
      status: ['open', 'resolved'],
      limit: ['5'],
      cursor: ['a+b'],
    });
  });

  test('keeps header names as sent and every value of a repeated header', () => {
    const event = buildProxyEvent(
      request({ rawHeaders: ['Host', 'h', 'X-Tag', 'one', 'X-Tag', 'two', 'if-match', '"3"'] }),
      context,
    );
    expect(event.headers).toMatchObject({ Host: 'h', 'X-Tag': 'two', 'if-match': '"3"' });
    expect(event.multiValueHeaders).toMatchObject({ 'X-Tag': ['one', 'two'] });
    expect(event.headers['X-Forwarded-For']).toBe('127.0.0.1');
    expect(event.headers['X-Forwarded-Port']).toBe('3000');
  });

  test("names of an object's own properties (__proto__, constructor) are query parameters and headers like any other", () => {
    const names = ['__proto__', 'constructor', 'hasOwnProperty', 'toString'];
    const event = buildProxyEvent(
      request({
        rawQuery: names.map((name) => `${name}=1&${name}=2`).join('&'),
        rawHeaders: ['Host', 'h', ...names.flatMap((name) => [name, 'a', name, 'b'])],
      }),
      context,
    );
    for (const name of names) {
      expect(Object.getOwnPropertyDescriptor(event.queryStringParameters, name)?.value).toBe('2');
      expect(Object.getOwnPropertyDescriptor(event.multiValueQueryStringParameters, name)?.value).toEqual(['1', '2']);
      expect(Object.getOwnPropertyDescriptor(event.headers, name)?.value).toBe('b');
      expect(Object.getOwnPropertyDescriptor(event.multiValueHeaders, name)?.value).toEqual(['a', 'b']);
    }
    // What the function receives: the event as JSON, every name an ordinary key.
    expect(JSON.parse(JSON.stringify(event.queryStringParameters)) as unknown).toEqual(
      Object.fromEntries(names.map((name) => [name, '2'])),
    );
  });

  test('passes the body as text', () => {
    const event = buildProxyEvent(request({ method: 'POST', body: Buffer.from('{"subject":"é"}') }), context);
    expect(event.body).toBe('{"subject":"é"}');
  });

  test('fills requestContext as API Gateway does, claims included', () => {
    const event = buildProxyEvent(request({ method: 'PATCH', rawPath: '/tickets/01ABC' }), {
      ...context,
      resourcePath: '/tickets/{id}',
      pathParameters: { id: '01ABC' },
    });
    expect(event).toMatchObject({
      resource: '/tickets/{id}',
      path: '/tickets/01ABC',
      httpMethod: 'PATCH',
      pathParameters: { id: '01ABC' },
      requestContext: {
        requestId: 'request-1',
        stage: 'dev',
        // The path as the client called it: the local URL has no stage prefix.
        path: '/tickets/01ABC',
        resourcePath: '/tickets/{id}',
        httpMethod: 'PATCH',
        identity: { sourceIp: '127.0.0.1' },
        authorizer: { claims: { sub: 'alice', email: 'alice@example.com' } },
        requestTimeEpoch: Date.parse('2026-11-24T20:28:10.123Z'),
        requestTime: '24/Nov/2026:20:28:10 +0000',
      },
    });
  });

  test('has no authorizer context on a route without an authorizer', () => {
    expect(buildProxyEvent(request(), { ...context, claims: null }).requestContext.authorizer).toBeNull();
  });
});
