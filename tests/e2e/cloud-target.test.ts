import { afterAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_ROLES, writeUsersFile, type UsersFile } from '../../scripts/cloud-users-file.js';
import { emailOf, newRunId } from '../../scripts/cloud-users.js';
import { runContractSuite } from '../../scripts/test-cloud.js';
import { clientFor, everyTicket } from './support/api-client.js';
import { localParameters } from './support/contract-target.js';
import { testSystemPerFile } from './support/local-system.js';
import { TempFolders } from './support/temp-folders.js';

/**
 * The way `npm run test:cloud` runs the contract suite, with the local system
 * standing in for a deployed stack: a users file like the one `cloud:users`
 * writes (local tokens instead of Cognito's), contract files run by the same
 * function with the cloud jest config, their clients made from the file, and
 * every ticket they leave behind tagged with the run id and closed. Two
 * files prove the wiring; `npm test` runs every contract file locally anyway.
 */

const SUITE_TIMEOUT_MS = 300_000;
const CONTRACT_FILES = ['tests/e2e/contract/auth.test.ts', 'tests/e2e/contract/tickets.test.ts'];

interface JestResults {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  testResults: { name: string; status: string }[];
}

describe('the contract suite against the stack a users file describes', () => {
  const system = testSystemPerFile();
  const folders = new TempFolders();
  afterAll(() => {
    folders.removeAll();
  });

  test(
    'runs contract files with the cloud config, as the users in the file, leaving closed tickets that carry the run id',
    async () => {
      const folder = folders.make('cloud-target-');
      const runId = newRunId();
      const users: UsersFile['users'] = [];
      for (const role of RUN_ROLES) {
        const sub = `${runId}-${role}`;
        const email = emailOf(runId, role);
        const idToken = await system().token({ sub, email, agent: role === 'agent' });
        users.push({ role, username: sub, sub, email, idToken });
      }
      const usersFile = join(folder, 'users.json');
      writeUsersFile(usersFile, {
        runId,
        stack: 'aws-support-system-local',
        region: 'local',
        apiUrl: system().apiUrl,
        consoleUrl: system().consoleUrl,
        userPoolId: 'local',
        parameters: localParameters({}),
        createdAt: new Date().toISOString(),
        users,
      });

      const resultsFile = join(folder, 'results.json');
      // Without the e2e build, a contract file could not start a local system of its own: it must use the file's.
      const env = { ...process.env };
      delete env.E2E_BUILD_DIR;
      const suite = runContractSuite(usersFile, [...CONTRACT_FILES, '--json', `--outputFile=${resultsFile}`], {
        env,
        stdio: 'pipe',
      });
      let output = '';
      suite.child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      suite.child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const status = await suite.status;

      expect({ status, output: status === 0 ? '' : output }).toEqual({ status: 0, output: '' });
      const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as JestResults;
      expect(results.testResults.map(({ name }) => name.replace(/^.*\/tests\//, 'tests/')).sort()).toEqual(
        CONTRACT_FILES,
      );
      expect(results.numFailedTests).toBe(0);
      expect(results.numPassedTests).toBe(results.numTotalTests);
      expect(results.numTotalTests).toBeGreaterThan(20);

      // What the run left behind: closed tickets of the file's customers only, each subject starting with the run id.
      const agent = clientFor(system(), users.find(({ role }) => role === 'agent')?.idToken ?? '');
      const tickets = await everyTicket(agent);
      expect(tickets.length).toBeGreaterThan(10);
      const customers = users.filter(({ role }) => role !== 'agent').map(({ sub }) => sub);
      const strays = tickets
        .filter(({ subject, requester }) => !subject.startsWith(`[${runId}] `) || !customers.includes(requester.id))
        .map(({ subject, requester }) => `${subject} (${requester.id})`);
      expect(strays).toEqual([]);
      const leftOpen = tickets.filter(({ status }) => status !== 'closed').map(({ id, status }) => `${id} ${status}`);
      expect(leftOpen).toEqual([]);
    },
    SUITE_TIMEOUT_MS,
  );
});
