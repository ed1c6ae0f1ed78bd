import { describe, expect, jest, test } from '@jest/globals';
import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { CloudUsersError } from '../../../scripts/cloud-users.js';
import { runCloudTests, type CloudTestSteps, type SuiteRun } from '../../../scripts/test-cloud.js';

/**
 * `npm run test:cloud`'s order of steps: the users are created, the suite
 * runs, and the users are deleted whatever the suite did; the exit status is
 * the suite's unless the users could not be created or deleted.
 */

interface Recorded extends CloudTestSteps {
  steps: string[];
  lines: string[];
  /** Ends the suite with this status. */
  finishSuite(status: number): void;
  kill: jest.Mock<(signal: NodeJS.Signals) => boolean>;
}

function recordedSteps(options: { createFails?: boolean; deleteFails?: boolean } = {}): Recorded {
  const steps: string[] = [];
  const lines: string[] = [];
  let finish: (status: number) => void = () => undefined;
  const kill = jest.fn((signal: NodeJS.Signals) => {
    steps.push(`kill ${signal}`);
    finish(130);
    return true;
  });
  return {
    steps,
    lines,
    kill,
    finishSuite: (status) => {
      finish(status);
    },
    createUsers: () => {
      steps.push('create');
      return options.createFails ? Promise.reject(new CloudUsersError('no credentials')) : Promise.resolve();
    },
    runSuite: (): SuiteRun => {
      steps.push('suite');
      const status = new Promise<number>((resolve) => {
        finish = resolve;
      });
      return { status, child: { kill } as unknown as ChildProcess };
    },
    deleteUsers: () => {
      steps.push('delete');
      return options.deleteFails
        ? Promise.reject(new CloudUsersError('1 user(s) could not be deleted'))
        : Promise.resolve();
    },
    log: (line) => lines.push(line),
  };
}

/** Runs the steps, ending the suite with `suiteStatus` once it has started. */
async function run(recorded: Recorded, suiteStatus: number, signals = new EventEmitter()): Promise<number> {
  const done = runCloudTests(recorded, signals);
  await new Promise((resolve) => setImmediate(resolve));
  recorded.finishSuite(suiteStatus);
  return done;
}

describe('test:cloud', () => {
  test('a passing suite: create, suite, delete; status 0', async () => {
    const recorded = recordedSteps();
    expect(await run(recorded, 0)).toBe(0);
    expect(recorded.steps).toEqual(['create', 'suite', 'delete']);
  });

  test("a failing suite still deletes the users, and exits with the suite's status", async () => {
    const recorded = recordedSteps();
    expect(await run(recorded, 1)).toBe(1);
    expect(recorded.steps).toEqual(['create', 'suite', 'delete']);
  });

  test('users that could not be created: no suite, nothing to delete (creation cleaned up), status 1', async () => {
    const recorded = recordedSteps({ createFails: true });
    expect(await run(recorded, 0)).toBe(1);
    expect(recorded.steps).toEqual(['create']);
    expect(recorded.lines).toEqual(['test:cloud: no credentials']);
  });

  test('users that could not be deleted turn a passing run into status 1, saying so', async () => {
    const recorded = recordedSteps({ deleteFails: true });
    expect(await run(recorded, 0)).toBe(1);
    expect(recorded.lines).toEqual(['test:cloud: 1 user(s) could not be deleted']);
  });

  test('SIGTERM stops the suite, the users are deleted, and the run fails', async () => {
    const recorded = recordedSteps();
    const signals = new EventEmitter();
    const done = runCloudTests(recorded, signals);
    await new Promise((resolve) => setImmediate(resolve));
    signals.emit('SIGTERM', 'SIGTERM');
    expect(await done).toBe(130);
    expect(recorded.steps).toEqual(['create', 'suite', 'kill SIGTERM', 'delete']);
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });
});
