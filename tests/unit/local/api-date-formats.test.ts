import { describe, expect, test } from '@jest/globals';
import { apiGatewayRequestTime, javaDateString } from '../../../local/api/date-formats.js';

/** The dates API Gateway writes into a proxy event and the Cognito authorizer's claims, always in UTC. */
describe('API Gateway date formats', () => {
  const date = new Date('2026-11-04T08:05:09.123Z');

  test('requestContext.requestTime', () => {
    expect(apiGatewayRequestTime(date)).toBe('04/Nov/2026:08:05:09 +0000');
  });

  test("the authorizer's iat and exp, as Java's Date.toString() in UTC", () => {
    expect(javaDateString(date)).toBe('Wed Nov 04 08:05:09 UTC 2026');
  });
});
