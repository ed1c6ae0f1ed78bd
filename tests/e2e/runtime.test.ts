import { describe, expect, test } from '@jest/globals';
import { addressesAccepting, listeningAddresses } from '../support/listening-sockets.js';
import { expectProblem, headerOf } from '../support/problem-details.js';
import { E2E_START_TIMEOUT_MS, testSystemPerFile } from './support/local-system.js';

/** The local runtime itself: loopback only, and data (tickets, the cursor secret) that survives a restart. */
describe('the local runtime', () => {
  const system = testSystemPerFile();

  const portOf = (url: string) => Number(new URL(url).port);

  test.each([
    ['the API', () => system().apiUrl],
    ['DynamoDB Local', () => system().system.dynamoDbEndpoint],
    ['the Comprehend stand-in', () => system().system.comprehendEndpoint],
    ['the Secrets Manager stand-in', () => system().system.secretsManagerEndpoint],
  ])('%s listens on 127.0.0.1 only, and answers from no other address', async (_part, url) => {
    const port = portOf(url());
    expect(listeningAddresses(port)).toEqual(['127.0.0.1']);
    // 127.0.0.2 (always the loopback interface on Linux) and this machine's other addresses.
    await expect(addressesAccepting(port)).resolves.toEqual(['127.0.0.1']);
  });

  test(
    'a ticket created before a restart of the runtime is there after it',
    async () => {
      const alice = await system().clientAs({ sub: 'alice' });
      const created = await alice.create({
        subject: 'Before restart',
        description: 'How do I keep my data across restarts?',
      });
      expect(created.status).toBe(201);

      await system().restart();

      const after = await alice.get(created.body.id);
      expect(after.status).toBe(200);
      expect(after.body).toMatchObject({ id: created.body.id, subject: 'Before restart', version: 1 });
      expect((await alice.list()).body.items.map((ticket) => ticket.id)).toEqual([created.body.id]);
    },
    E2E_START_TIMEOUT_MS,
  );

  test(
    'a cursor issued before a restart is still valid after it; while Secrets Manager fails, a list that needs it answers 503',
    async () => {
      const carol = await system().clientAs({ sub: 'carol' });
      for (const subject of ['Older question', 'Newer question']) {
        expect((await carol.create({ subject, description: 'How do I reset my password?' })).status).toBe(201);
      }
      const first = await carol.list({ limit: '1' });
      expect(first.status).toBe(200);
      const cursor = first.body.nextCursor!;
      expect(cursor).toEqual(expect.any(String));

      // A restart starts every function cold: none holds the secret until it reads it again.
      await system().restart();
      const faults = `${system().system.secretsManagerEndpoint}/__admin/faults`;
      expect((await fetch(faults, { method: 'POST', body: JSON.stringify({ mode: 'unavailable' }) })).status).toBe(200);
      const during = await carol.list({ limit: '1', cursor });
      expect(expectProblem(during, 503).detail).toMatch(/signing key/);
      expect(Number(headerOf(during, 'retry-after'))).toBeGreaterThan(0);

      // The secret is kept under the state directory: read again, the cursor signed before the restart holds.
      expect((await fetch(faults, { method: 'DELETE' })).status).toBe(200);
      const after = await carol.list({ limit: '1', cursor });
      expect(after.status).toBe(200);
      expect(after.body.items.map((ticket) => ticket.subject)).toEqual(['Older question']);
    },
    E2E_START_TIMEOUT_MS,
  );
});
