import { describe, expect, test } from '@jest/globals';
import { addressesAccepting, listeningAddresses } from '../support/listening-sockets.js';
import { E2E_START_TIMEOUT_MS, testSystemPerFile } from './support/local-system.js';

/** The local runtime itself: loopback only, and data that survives a restart. */
describe('the local runtime', () => {
  const system = testSystemPerFile();

  const portOf = (url: string) => Number(new URL(url).port);

  test.each([
    ['the API', () => system().apiUrl],
    ['DynamoDB Local', () => system().system.dynamoDbEndpoint],
    ['the Comprehend stand-in', () => system().system.comprehendEndpoint],
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
});
