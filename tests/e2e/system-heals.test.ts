import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { isRunning } from '../support/listening-sockets.js';
import type { ApiResponse } from './support/api-types.js';
import { testSystemPerFile } from './support/local-system.js';

/**
 * The local system heals: when DynamoDB Local or the Comprehend stand-in is
 * killed (`kill -9`), it is started again on the same port, DynamoDB Local on
 * the same data, and the API serves as before without anyone restarting it;
 * the table's stream is read again too, so events are still published.
 */
describe('a child server that dies is restarted', () => {
  const system = testSystemPerFile();

  /** Repeats `attempt` until `done` holds of its answer, for at most `attempts` tries. */
  async function until<Answer>(
    attempt: () => Promise<Answer>,
    done: (answer: Answer) => boolean,
    attempts = 240,
  ): Promise<Answer> {
    let last: Answer | undefined;
    for (let round = 0; round < attempts; round++) {
      last = await attempt();
      if (done(last)) return last;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`Still not done after ${attempts} tries; the last answer: ${JSON.stringify(last)}`);
  }

  const statusIs =
    (status: number) =>
    (answer: ApiResponse): boolean =>
      answer.status === status;

  test('DynamoDB Local killed with SIGKILL comes back with its data: a ticket made before is read, a new one is created', async () => {
    const alice = await system().clientAs({ sub: 'alice' });
    const before = await alice.create({
      subject: 'Cannot log in',
      description: 'The login page says my password is wrong since this morning.',
    });
    expect(before.status).toBe(201);
    const killed = system().system.dynamoDbPid;

    process.kill(killed, 'SIGKILL');

    const read = await until(() => alice.get(before.body.id), statusIs(200));
    expect(read.body).toMatchObject({ id: before.body.id, subject: 'Cannot log in' });
    const created = await until(
      () => alice.create({ subject: 'Export fails', description: 'The CSV export of my invoices never starts.' }),
      statusIs(201),
    );
    expect(created.body.id).not.toBe(before.body.id);
    const published = () => {
      const { eventsFile } = system().system;
      return Promise.resolve(existsSync(eventsFile) ? readFileSync(eventsFile, 'utf8') : '');
    };
    const createdEvent = (events: string) =>
      events.split('\n').some((line) => line.includes('"Ticket Created"') && line.includes(created.body.id));
    expect(createdEvent(await until(published, createdEvent))).toBe(true);
    expect(system().system.dynamoDbPid).not.toBe(killed);
    expect(isRunning(killed)).toBe(false);
  });

  test('the Comprehend stand-in killed with SIGKILL comes back: a new ticket is analyzed at once again', async () => {
    const alice = await system().clientAs({ sub: 'alice' });
    const killed = system().system.comprehendPid;

    process.kill(killed, 'SIGKILL');

    const created = await until(
      () =>
        alice.create({
          subject: 'Production is down',
          description: 'Our production database is down and we are losing money, please help ASAP!',
        }),
      (answer) => answer.status === 201 && answer.body.analysis.status === 'complete',
    );
    expect(created.body.analysis).toMatchObject({ status: 'complete', language: 'en' });
    expect(system().system.comprehendPid).not.toBe(killed);
    expect(isRunning(killed)).toBe(false);
    expect((await fetch(`${system().system.comprehendEndpoint}/__admin/health`)).status).toBe(200);
  });
});
