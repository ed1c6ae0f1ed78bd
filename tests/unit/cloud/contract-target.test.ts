import { afterEach, describe, expect, jest, test } from '@jest/globals';
import type { UsersFile } from '../../../scripts/cloud-users-file.js';
import { deployedTarget, localParameters, locations } from '../../e2e/support/contract-target.js';

/**
 * The contract suite's deployed target, made from a users file: whom its
 * clients call the API as, where, and what it makes of the stage in the
 * API's URL. (tests/e2e/cloud-target.test.ts runs the whole suite this way.)
 */

const API = 'https://abc123.execute-api.eu-west-1.amazonaws.com/dev';

const usersFile: UsersFile = {
  runId: 'e2eabcdefghij',
  stack: 'aws-support-system-dev',
  region: 'eu-west-1',
  apiUrl: API,
  consoleUrl: 'https://d111111abcdef8.cloudfront.net',
  userPoolId: 'eu-west-1_AbCdEf123',
  parameters: { ServiceLevelTargets: 'urgent=30m/2h', AllowedOrigins: 'https://app.example.com' },
  createdAt: '2026-11-27T22:00:00.000Z',
  users: (['customer', 'otherCustomer', 'agent'] as const).map((role) => ({
    role,
    username: `sub-of-${role}`,
    sub: `sub-of-${role}`,
    email: `e2eabcdefghij-${role}@example.com`,
    idToken: `token-of-${role}`,
  })),
};

afterEach(() => {
  jest.restoreAllMocks();
});

describe('the deployed target', () => {
  test("takes each role's id, e-mail and token from the users file, and the stack's parameters", () => {
    const target = deployedTarget(usersFile);
    expect(
      [target.customer, target.otherCustomer, target.agent].map(({ id, email, token }) => [id, email, token]),
    ).toEqual([
      ['sub-of-customer', 'e2eabcdefghij-customer@example.com', 'token-of-customer'],
      ['sub-of-otherCustomer', 'e2eabcdefghij-otherCustomer@example.com', 'token-of-otherCustomer'],
      ['sub-of-agent', 'e2eabcdefghij-agent@example.com', 'token-of-agent'],
    ]);
    expect(target.apiUrl).toBe(API);
    expect(target.parameters).toEqual(usersFile.parameters);
    expect(target.subject('Export question')).toBe('[e2eabcdefghij] Export question');
  });

  test("its clients call the stack's API, stage included, with the role's ID token", async () => {
    const fetched = jest.spyOn(globalThis, 'fetch').mockImplementation(() =>
      Promise.resolve(
        new Response(JSON.stringify({ items: [], nextCursor: null }), {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        }),
      ),
    );
    const target = deployedTarget(usersFile);

    expect((await target.agent.client.list({ status: 'open' })).status).toBe(200);
    expect((await target.anonymous.list()).status).toBe(200);

    const calls = fetched.mock.calls.map(([url, init]) => ({
      url: url instanceof Request ? url.url : url.toString(),
      authorization: new Headers(init?.headers).get('authorization'),
    }));
    expect(calls).toEqual([
      { url: `${API}/tickets?status=open`, authorization: 'Bearer token-of-agent' },
      { url: `${API}/tickets`, authorization: null },
    ]);
  });

  test('a Location carries the stage, and names the API path under it', () => {
    const target = deployedTarget(usersFile);
    expect(target.location('/tickets/01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBe('/dev/tickets/01ARZ3NDEKTSV4RRFFQ69G5FAV');
    expect(target.pathOf('/dev/tickets/01ARZ3NDEKTSV4RRFFQ69G5FAV/comments/01ARZ3NDEKTSV4RRFFQ69G5FAW')).toBe(
      '/tickets/01ARZ3NDEKTSV4RRFFQ69G5FAV/comments/01ARZ3NDEKTSV4RRFFQ69G5FAW',
    );
    expect(() => target.pathOf('/prod/tickets/01ARZ3NDEKTSV4RRFFQ69G5FAV')).toThrow('is not a path under /dev');
  });

  test('at the root of a domain, or locally, a Location is the API path itself', () => {
    for (const apiUrl of ['https://api.example.com', 'https://api.example.com/', '']) {
      const { location, pathOf } = locations(apiUrl);
      expect(location('/tickets/x')).toBe('/tickets/x');
      expect(pathOf('/tickets/x')).toBe('/tickets/x');
    }
  });
});

describe('the local target', () => {
  test("has the template's parameter defaults, with the local system's overrides", () => {
    const parameters = localParameters({ ServiceLevelTargets: 'urgent=10d/20d' });
    expect(parameters).toMatchObject({ ServiceLevelTargets: 'urgent=10d/20d', AllowedOrigins: '*', Stage: 'dev' });
  });
});
