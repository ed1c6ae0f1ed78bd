import { afterEach, describe, expect, test } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { holdPort, unusedPort, type HeldPort } from '../../local/system/ports.js';
import { mintIdToken } from '../../local/token/id-token.js';
import { loadOrCreateSigningKey } from '../../local/token/signing-key.js';
import {
  descendantsOf,
  isRunning,
  listeningAddresses,
  pidListeningOn,
  processGroupMembers,
} from '../support/listening-sockets.js';
import { callApi } from './support/api-client.js';
import { E2E_START_TIMEOUT_MS } from './support/local-system.js';
import { NpmStartRuns, type NpmStartRun } from './support/npm-start.js';
import { TempFolders } from './support/temp-folders.js';

/**
 * `npm start` itself, run as a terminal runs it (its own process group) on
 * ports it picks (PORT=0 …), with its own build and data folders: it fails at
 * once on a busy port, reports a port taken during its build as clearly, and
 * a signal to its process group (Ctrl-C, or SIGTERM) stops every process it started.
 */
describe('npm start', () => {
  const runs = new NpmStartRuns();
  const folders = new TempFolders();
  const held: HeldPort[] = [];

  /** Binds a port (0: any free one) until the test ends, as another program would. */
  const busyPort = async (port = 0): Promise<number> => {
    const hold = await holdPort(port);
    held.push(hold);
    return hold.port;
  };
  const start = (env: Record<string, string> = {}) => {
    const buildDir = folders.make('e2e-cli-build-');
    const stateDir = folders.make('e2e-cli-state-');
    const run = runs.start({
      PORT: '0',
      CONSOLE_PORT: '0',
      DYNAMODB_PORT: '0',
      COMPREHEND_PORT: '0',
      EVENTBRIDGE_PORT: '0',
      SECRETS_MANAGER_PORT: '0',
      LOCAL_BUILD_DIR: buildDir,
      LOCAL_STATE_DIR: stateDir,
      ...env,
    });
    return { run, buildDir, stateDir };
  };
  const stackTraceLines = (run: NpmStartRun) => run.lines.filter((line) => /^\s+at .+[(:]/.test(line));

  afterEach(async () => {
    // Whatever a test left running (it failed half-way) goes with it.
    runs.killAll();
    await Promise.all(held.splice(0).map((hold) => hold.release()));
    folders.removeAll();
  });

  test.each([
    ['PORT', 'local API'],
    ['CONSOLE_PORT', 'Agent console'],
    ['DYNAMODB_PORT', 'DynamoDB Local'],
    ['COMPREHEND_PORT', 'Comprehend stand-in'],
    ['EVENTBRIDGE_PORT', 'EventBridge stand-in'],
    ['SECRETS_MANAGER_PORT', 'Secrets Manager stand-in'],
  ])('fails at once, before building anything, when the port of %s is busy', async (setting, name) => {
    const busy = await busyPort();
    const { run, buildDir } = start({ [setting]: String(busy) });
    await run.closed;

    expect((await run.exited).code).toBe(1);
    expect(run.lines).toContain(`  127.0.0.1:${busy} (${name}) is in use; set ${setting} to use another port.`);
    expect(stackTraceLines(run)).toEqual([]);
    // At once: nothing built, no build even begun.
    expect(run.stdout.filter((line) => line.startsWith('Building'))).toEqual([]);
    expect(readdirSync(buildDir)).toEqual([]);
    expect(processGroupMembers(run.groupId)).toEqual([]);
  });

  test(
    'a port taken while it builds is reported as clearly, and nothing is left running',
    async () => {
      const port = await unusedPort();
      const { run } = start({ PORT: String(port) });
      await run.waitForLine(/^Building functions and layer/);
      await busyPort(port);
      const outcome = await Promise.race([
        run.closed.then(() => 'ended'),
        run.waitForLine(/^Serving the support tickets API/).then(() => 'serving despite the busy port'),
      ]);

      expect(outcome).toBe('ended');
      expect((await run.exited).code).toBe(1);
      expect(run.lines).toContain(`  127.0.0.1:${port} (local API) is in use; set PORT to use another port.`);
      expect(stackTraceLines(run)).toEqual([]);
      expect(processGroupMembers(run.groupId)).toEqual([]);
    },
    E2E_START_TIMEOUT_MS,
  );

  test.each(['SIGINT', 'SIGTERM'] as const)(
    'serves on the ports it prints; %s to its process group stops every process it started',
    async (signal) => {
      const { run, stateDir } = start();
      const [, apiUrl] = await run.waitForLine(/^Serving the support tickets API at (http:\/\/127\.0\.0\.1:\d+) /);
      const [, dynamoDbUrl] = await run.waitForLine(/^\s+DynamoDB Local\s+(http:\/\/127\.0\.0\.1:\d+) /);
      const [, comprehendUrl] = await run.waitForLine(/^\s+Comprehend stand-in\s+(http:\/\/127\.0\.0\.1:\d+)$/);
      const [, consoleUrl] = await run.waitForLine(
        /^Agent console at (http:\/\/127\.0\.0\.1:\d+) \(sign in with any user id; tick "Support agent" for the agents' view\)$/,
      );
      const ports = [apiUrl, dynamoDbUrl, comprehendUrl, consoleUrl].map((url) => Number(new URL(url!).port));

      const token = await mintIdToken(await loadOrCreateSigningKey(stateDir), {
        sub: 'alice',
        email: 'alice@example.com',
      });
      expect((await callApi(apiUrl!, { method: 'GET', path: '/tickets' })).status).toBe(401);
      expect((await callApi(apiUrl!, { method: 'GET', path: '/tickets', token })).status).toBe(200);
      // The console (web/dist, or the page saying to build it) under the template's CSP, calling this API.
      const consolePage = await fetch(`${consoleUrl!}/`);
      expect([200, 503]).toContain(consolePage.status);
      expect(consolePage.headers.get('content-security-policy')).toMatch(
        new RegExp(`^default-src 'none'; script-src 'self';.* connect-src 'self' ${apiUrl!} ${consoleUrl!};`),
      );
      expect(await (await fetch(`${consoleUrl!}/config.json`)).json()).toMatchObject({ apiUrl });
      // The servers on the printed ports are its own processes, in its process group.
      const group = processGroupMembers(run.groupId);
      for (const port of ports) expect(group).toContain(pidListeningOn(port));
      const descendants = descendantsOf(run.groupId);
      expect(descendants.length).toBeGreaterThanOrEqual(4); // its shell, start.ts, the JVM, the stand-in

      run.signalGroup(signal);
      await run.closed;

      expect(run.stdout).toContain(`${signal}: stopping the local system…`);
      expect(run.stdout).toContain('Stopped.');
      expect(processGroupMembers(run.groupId)).toEqual([]);
      expect(descendants.filter(isRunning)).toEqual([]);
      for (const port of ports) expect(listeningAddresses(port)).toEqual([]);
    },
    E2E_START_TIMEOUT_MS,
  );
});
