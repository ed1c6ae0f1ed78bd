import { beforeAll, describe, expect, test } from '@jest/globals';
import type { ApiClient } from './support/api-client.js';
import { testSystemPerFile } from './support/local-system.js';

/**
 * What the tickets API answers while a dependency fails, which only the local
 * system can make happen: the Comprehend stand-in is told to fail. The rest of
 * the tickets contract runs against the local system and a deployed stack
 * alike, in contract/tickets.test.ts.
 */

const OUTAGE = {
  subject: 'Production is down',
  description: 'Our production database is down and we are losing money, please help ASAP!',
};

describe('the tickets API over HTTP while Comprehend fails', () => {
  const system = testSystemPerFile();
  let alice: ApiClient;

  beforeAll(async () => {
    alice = await system().clientAs({ sub: 'alice' });
  });

  test('201 with analysis pending while Comprehend fails: the ticket is stored all the same', async () => {
    const faults = `${system().system.comprehendEndpoint}/__admin/faults`;
    expect((await fetch(faults, { method: 'POST', body: JSON.stringify({ mode: 'error' }) })).status).toBe(200);
    try {
      const answer = await alice.create(OUTAGE);
      expect(answer.status).toBe(201);
      expect(answer.body.analysis.status).toBe('pending');
      expect((await alice.get(answer.body.id)).status).toBe(200);
    } finally {
      await fetch(faults, { method: 'DELETE' });
    }
  });
});
