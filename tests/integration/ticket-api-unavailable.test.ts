/**
 * With DynamoDB unreachable every route answers 503 with Retry-After, as
 * problem+json, and never a 500.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { createServer } from 'node:net';
import { agent, customer } from '../support/api-gateway-event.js';
import { loadHandlers, routes } from '../support/ticket-api-harness.js';

let api: ReturnType<typeof routes>;

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  api = routes(
    await loadHandlers({
      TABLE_NAME: 'tickets',
      CURSOR_SECRET: 'a-test-secret-that-is-long-enough-for-hmac',
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${await closedPort()}`,
      // Comprehend unreachable too: analysis degrades to pending; the write then fails.
      AWS_ENDPOINT_URL_COMPREHEND: `http://127.0.0.1:${await closedPort()}`,
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
    expect(answer.status).toBe(503);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
  });
});
