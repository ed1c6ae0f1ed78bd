/**
 * The four functions with DynamoDB unreachable (and Comprehend and Secrets
 * Manager too): each answers 503 with Retry-After, as problem+json, never a
 * 500. The same over HTTP, through the local API, is in e2e/status-codes.test.ts.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { unusedPort } from '../../local/system/ports.js';
import { agent, customer } from '../support/api-gateway-event.js';
import { expectProblem, headerOf } from '../support/problem-details.js';
import { loadHandlers, routes } from '../support/ticket-api-harness.js';

let api: ReturnType<typeof routes>;

beforeAll(async () => {
  api = routes(
    await loadHandlers({
      TABLE_NAME: 'tickets',
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${await unusedPort()}`,
      // Comprehend unreachable too: analysis degrades to pending; the write then fails.
      AWS_ENDPOINT_URL_COMPREHEND: `http://127.0.0.1:${await unusedPort()}`,
      // And Secrets Manager: a cursor or an Idempotency-Key cannot be checked without the cursor secret.
      CURSOR_SECRET_ARN: 'CursorSigningSecret',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${await unusedPort()}`,
      POWERTOOLS_LOG_LEVEL: 'CRITICAL',
    }),
  );
});

describe('DynamoDB unreachable', () => {
  const id = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
  test.each([
    ['POST /tickets', () => api.create({ subject: 'Help', description: 'It broke' }, { claims: customer('alice') })],
    ['GET /tickets/{id}', () => api.get(id, { claims: customer('alice') })],
    ['PATCH /tickets/{id}', () => api.update(id, { status: 'closed' }, { claims: agent('ada') })],
    ['GET /tickets', () => api.list({}, { claims: customer('alice') })],
  ])('%s answers 503 with Retry-After', async (_route, call) => {
    const answer = await call();
    expectProblem(answer, 503);
    expect(Number(headerOf(answer, 'retry-after'))).toBeGreaterThan(0);
  });
});

describe('Secrets Manager unreachable', () => {
  test.each([
    ['GET /tickets with a cursor', () => api.list({ cursor: 'abc.def' }, { claims: customer('alice') })],
    [
      'POST /tickets with an Idempotency-Key',
      () =>
        api.create(
          { subject: 'Help', description: 'It broke' },
          { claims: customer('alice'), headers: { 'Idempotency-Key': 'key-1' } },
        ),
    ],
  ])('%s answers 503 with Retry-After: the cursor secret cannot be read', async (_route, call) => {
    const answer = await call();
    const problem = expectProblem(answer, 503);
    expect(problem.detail).toMatch(/signing key/);
    expect(Number(headerOf(answer, 'retry-after'))).toBeGreaterThan(0);
  });
});
