import { describe, expect, test } from '@jest/globals';
import { GatewayResponses, renderTemplate } from '../../../local/api/gateway-responses.js';

const context = { requestId: 'r-1', path: '/x', httpMethod: 'GET', stage: 'dev' };

describe('GatewayResponses', () => {
  const responses = new GatewayResponses({
    UNAUTHORIZED: {
      statusCode: 401,
      headers: { 'Content-Type': 'application/problem+json', 'WWW-Authenticate': 'Bearer' },
      template: '{"status":401,"detail":$context.error.messageString}',
    },
    DEFAULT_5XX: { statusCode: 500, headers: {}, template: '{"requestId":"$context.requestId"}' },
  });

  test('answers with the template customisation of a type', () => {
    expect(responses.answer('UNAUTHORIZED', { ...context, message: 'The incoming token has expired' })).toEqual({
      statusCode: 401,
      headers: { 'Content-Type': 'application/problem+json', 'WWW-Authenticate': 'Bearer' },
      body: '{"status":401,"detail":"The incoming token has expired"}',
    });
  });

  test('falls back to DEFAULT_5XX for a 5XX type the template does not customise', () => {
    expect(responses.answer('INTEGRATION_TIMEOUT', context)).toMatchObject({
      statusCode: 500,
      body: '{"requestId":"r-1"}',
    });
  });

  test("answers with API Gateway's own default when nothing is customised", () => {
    expect(responses.answer('MISSING_AUTHENTICATION_TOKEN', context)).toEqual({
      statusCode: 403,
      headers: { 'Content-Type': 'application/json' },
      body: '{"message":"Missing Authentication Token"}',
    });
    expect(new GatewayResponses({}).answer('DEFAULT_5XX', context).statusCode).toBe(502);
  });
});

describe('a header mapped from a request header', () => {
  const responses = new GatewayResponses({
    DEFAULT_4XX: { headers: { 'Access-Control-Allow-Origin': { fromRequestHeader: 'Origin' }, Vary: 'Origin' } },
  });

  test("takes the request header's value, whatever its case", () => {
    expect(
      responses.answer('UNAUTHORIZED', { ...context, requestHeaders: { origin: 'https://b.example' } }).headers,
    ).toEqual({
      'Content-Type': 'application/json',
      'Access-Control-Allow-Origin': 'https://b.example',
      Vary: 'Origin',
    });
  });

  test('is left out when the request has no such header', () => {
    expect(responses.answer('UNAUTHORIZED', { ...context, requestHeaders: {} }).headers).toEqual({
      'Content-Type': 'application/json',
      Vary: 'Origin',
    });
    expect(responses.answer('UNAUTHORIZED', context).headers).not.toHaveProperty('Access-Control-Allow-Origin');
  });
});

describe('renderTemplate', () => {
  test('substitutes both spellings of a $context variable and renders unknown ones as nothing', () => {
    expect(
      renderTemplate('$context.requestId ${context.stage} [$context.nope]', { requestId: 'r', stage: 'dev' }),
    ).toBe('r dev []');
  });

  test('JSON-quotes messageString', () => {
    expect(renderTemplate('{"m":$context.error.messageString}', { 'error.messageString': '"a \\"b\\""' })).toBe(
      '{"m":"a \\"b\\""}',
    );
  });
});
