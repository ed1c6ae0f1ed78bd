import { describe, expect, test } from '@jest/globals';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
  UnavailableError,
} from '../../../layers/shared/src/domain/errors.js';
import { callerFrom } from '../../../layers/shared/src/http/caller.js';
import {
  PayloadTooLargeError,
  RequestValidationError,
  UnauthenticatedError,
} from '../../../layers/shared/src/http/http-errors.js';
import { problemFor } from '../../../layers/shared/src/http/problem-details.js';
import { fieldErrorsOf } from '../../../layers/shared/src/http/request-validation.js';
import {
  explainIfMatchFailure,
  unmatchableIfMatchTag,
  versionsFromIfMatch,
} from '../../../layers/shared/src/http/responses.js';

const withClaims = (claims: Record<string, unknown> | undefined) =>
  ({ requestContext: { authorizer: claims && { claims } } }) as unknown as APIGatewayProxyEvent;

describe('callerFrom', () => {
  test.each([
    ['agents', 'agent'],
    ['admins,agents', 'agent'],
    ['[admins agents]', 'agent'],
    [['agents'], 'agent'],
    ['agents-trainee', 'customer'],
    [undefined, 'customer'],
  ])('cognito:groups %p makes the caller a %s', (groups, role) => {
    expect(callerFrom(withClaims({ sub: 'u1', email: 'u1@example.com', 'cognito:groups': groups })).role).toBe(role);
  });

  test('takes id and verified e-mail from the claims', () => {
    expect(callerFrom(withClaims({ sub: 'u1', email: 'u1@example.com', email_verified: 'true' }))).toEqual({
      id: 'u1',
      email: 'u1@example.com',
      role: 'customer',
    });
  });

  test.each([undefined, 'false', false])('ignores an e-mail whose email_verified is %p', (verified) => {
    expect(
      callerFrom(withClaims({ sub: 'u1', email: 'ceo@victim.example', email_verified: verified })).email,
    ).toBeNull();
  });

  test.each([undefined, {}, { sub: '' }, { sub: 42 }])('claims %p are unauthenticated', (claims) => {
    expect(() => callerFrom(withClaims(claims as Record<string, unknown> | undefined))).toThrow(UnauthenticatedError);
  });

  test.each([
    ['["foo,agents"]', ['foo,agents']],
    ['["agents]"]', ['agents]']],
    ['"agents]" (the REST claim of ["agents]"])', 'agents]'],
    ['"[agents" (the REST claim of ["[agents"])', '[agents'],
    ['"agents billing"', 'agents billing'],
    ['"agents, billing"', 'agents, billing'],
    ['"agents,"', 'agents,'],
    ['",agents"', ',agents'],
    ['"[agents,billing]"', '[agents,billing]'],
    ['"[agents  billing]"', '[agents  billing]'],
    ['"[]"', '[]'],
    ['"Agents"', 'Agents'],
    ['" agents"', ' agents'],
    ['[42, "agents"]', [42, 'agents']],
    ['{ agents: true }', { agents: true }],
  ])('cognito:groups %s grants no agent role', (_, groups) => {
    expect(callerFrom(withClaims({ sub: 'u1', email: 'u1@example.com', 'cognito:groups': groups })).role).toBe(
      'customer',
    );
  });

  test.each([
    ['"agents,billing"', 'agents,billing'],
    ['"billing,agents"', 'billing,agents'],
    ['"[billing agents]"', '[billing agents]'],
    ['"[agents]"', '[agents]'],
  ])('cognito:groups %s, a shape API Gateway delivers, grants the agent role', (_, groups) => {
    expect(callerFrom(withClaims({ sub: 'u1', email: 'u1@example.com', 'cognito:groups': groups })).role).toBe('agent');
  });

  test.each([
    ['a 300-character sub', 'a'.repeat(300)],
    ['a 129-character sub', 'a'.repeat(129)],
    ['a sub with a space', 'alice smith'],
    ['a sub with a control character', 'alice\u0000'],
    ['a sub with a non-ASCII letter', 'alicé'],
    ['a blank sub', '   '],
  ])('%s is unauthenticated', (_, sub) => {
    expect(() => callerFrom(withClaims({ sub, email: 'u1@example.com' }))).toThrow(UnauthenticatedError);
  });

  test.each([
    ['a Cognito UUID', '3f1c9a2e-7b4d-4e8a-9c6f-1a2b3c4d5e6f'],
    ['a local name', 'alice'],
    ['a 128-character sub', 'a'.repeat(128)],
  ])('%s is a caller id', (_, sub) => {
    expect(callerFrom(withClaims({ sub })).id).toBe(sub);
  });
});

describe('versionsFromIfMatch', () => {
  test.each([
    [undefined, undefined],
    ['', undefined],
    ['*', '*'],
    ['"3"', [3]],
    ['W/"3"', []],
    ['"2", "3"', [2, 3]],
    ['3', []],
    ['"abc"', []],
  ])('%p → %p', (header, expected) => {
    expect(versionsFromIfMatch(header)).toEqual(expected);
  });
});

describe('unmatchableIfMatchTag', () => {
  const WEAK =
    'If-Match holds a weak entity tag, and If-Match compares strongly, so it never matches: send the ETag exactly as given, e.g. "3", not W/"3".';
  const UNQUOTED =
    'If-Match holds an entity tag without its quotes, so it never matches: send the ETag exactly as given, quotes included, e.g. "3", not 3.';
  test.each([
    ['W/"3"', WEAK],
    ['"1", W/"3"', WEAK],
    ['3', UNQUOTED],
    ['"3', UNQUOTED],
    // Whatever the header holds, a card number, an SSN or a key, it is described, never echoed.
    ['W/"4111111111111111"', WEAK],
    ['123456789', UNQUOTED],
    ['AKIAIOSFODNN7EXAMPLE', UNQUOTED],
  ])('%p is described with why it never matches', (header, reason) => {
    expect(unmatchableIfMatchTag(header)).toBe(reason);
  });

  test.each([[undefined], [''], ['*'], ['"3"'], ['"2", "3"'], ['"abc"']])('%p has no such tag', (header) => {
    expect(unmatchableIfMatchTag(header)).toBeUndefined();
  });
});

describe('explainIfMatchFailure', () => {
  const changed = new PreconditionFailedError('The ticket has changed: it is at version 4. Fetch it again and retry.');

  test('a 412 caused by a weak tag says so, still as a 412', () => {
    const explained = explainIfMatchFailure(changed, 'W/"4"');
    expect(explained).toBeInstanceOf(PreconditionFailedError);
    expect((explained as Error).message).toMatch(/^If-Match holds a weak entity tag/);
    expect(problemFor(explained).problem).toMatchObject({ status: 412, detail: (explained as Error).message });
  });

  test('a 412 with strong tags keeps its detail; other errors, a 404 first of all, pass unchanged', () => {
    expect(explainIfMatchFailure(changed, '"3"')).toBe(changed);
    // A strong tag among them is merely stale: blaming the weak one would send the client to another stale tag.
    expect(explainIfMatchFailure(changed, '"2", W/"3"')).toBe(changed);
    const missing = new NotFoundError('No ticket x was found.');
    expect(explainIfMatchFailure(missing, 'W/"4"')).toBe(missing);
  });
});

describe('problemFor', () => {
  test.each([
    [new InvalidInputError('bad', [{ path: '/body/x', message: 'is required' }]), 400],
    [new UnauthenticatedError('who'), 401],
    [new PayloadTooLargeError('big'), 413],
    [new NotFoundError('gone'), 404],
    [new ConflictError('no'), 409],
    [new UnavailableError('down', 5), 503],
  ])('%p → %i', (error, status) => {
    expect(problemFor(error).problem.status).toBe(status);
  });

  test('503 carries Retry-After', () => {
    expect(problemFor(new UnavailableError('down', 5)).headers).toEqual({ 'Retry-After': '5' });
  });

  test('validation errors list the failing fields, located in the event', () => {
    const error = new RequestValidationError(
      fieldErrorsOf([
        {
          instancePath: '/body',
          params: { missingProperty: 'subject' },
          message: "must have required property 'subject'",
        },
        { instancePath: '/body', params: { additionalProperty: 'requester' }, message: 'must NOT have additional' },
        { instancePath: '/body/tags/0', params: { pattern: 'x' }, message: 'must match pattern' },
      ]),
    );
    expect(problemFor(error, 'body').problem).toMatchObject({
      status: 400,
      detail: 'The request is not valid.',
      errors: [
        { path: '/body/subject', message: 'is required' },
        { path: '/body/requester', message: 'is not allowed' },
        { path: '/body/tags/0', message: 'must match pattern' },
      ],
    });
  });

  test('at most 20 field errors, however many fields a body gets wrong', () => {
    const many = Array.from({ length: 50 }, (_, index) => ({ instancePath: `/body/tags/${index}`, message: 'bad' }));
    expect(fieldErrorsOf(many)).toHaveLength(20);
  });

  test("an operation's field errors are located where the route takes its input from", () => {
    const error = new InvalidInputError('bad', [{ path: '/cursor', message: 'is not valid' }]);
    expect(problemFor(error, 'queryStringParameters').problem.errors).toEqual([
      { path: '/queryStringParameters/cursor', message: 'is not valid' },
    ]);
    expect(problemFor(error, 'body').problem.errors).toEqual([{ path: '/body/cursor', message: 'is not valid' }]);
  });

  test('an unexpected error is a 500 that reveals nothing about it', () => {
    const { problem } = problemFor(new TypeError("Cannot read properties of undefined (reading 'secret')"));
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toContain('secret');
  });
});
