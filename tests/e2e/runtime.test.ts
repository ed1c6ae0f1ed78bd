import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from '../../scripts/sam-template.js';
import { clientFor, E2E_START_TIMEOUT_MS, startTestSystem, type TestSystem } from './support/local-system.js';
import { descendantsOf, isLoopback, isRunning, listeningAddresses, pidListeningOn } from './support/listening-sockets.js';

/** The local runtime itself: loopback only, data that survives a restart, a dependency going away, and `npm start`. */
describe('the local runtime', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem();
  }, E2E_START_TIMEOUT_MS);
  afterAll(() => system?.stop());

  const portOf = (url: string) => Number(new URL(url).port);

  test('the API, DynamoDB Local and the Comprehend stand-in listen on loopback only', async () => {
    for (const url of [system.apiUrl, system.system.dynamoDbEndpoint, system.system.comprehendEndpoint]) {
      const addresses = listeningAddresses(portOf(url));
      expect(addresses.length).toBeGreaterThan(0);
      expect(addresses.filter((address) => !isLoopback(address))).toEqual([]);
    }
    // And from another address of this machine, nothing answers.
    const external = Object.values(networkInterfaces()).flat().find((address) => address?.family === 'IPv4' && !address.internal);
    if (external) {
      for (const url of [system.apiUrl, system.system.dynamoDbEndpoint]) {
        await expect(fetch(`http://${external.address}:${portOf(url)}/`)).rejects.toThrow();
      }
    }
  });

  test('a ticket created before a restart of the runtime is there after it', async () => {
    const alice = clientFor(system, await system.token({ sub: 'alice' }));
    const created = await alice.create({ subject: 'Before restart', description: 'How do I keep my data across restarts?' });
    expect(created.status).toBe(201);

    await system.restart();

    const after = await alice.get(created.body.id);
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ id: created.body.id, subject: 'Before restart', version: 1 });
    expect((await alice.list()).body.items.map((ticket: { id: string }) => ticket.id)).toContain(created.body.id);
  }, E2E_START_TIMEOUT_MS);

  test('503 with Retry-After when DynamoDB Local is gone, never a 500', async () => {
    const alice = clientFor(system, await system.token({ sub: 'alice' }));
    const jvm = pidListeningOn(portOf(system.system.dynamoDbEndpoint));
    expect(jvm).toBeDefined();
    process.kill(jvm!, 'SIGKILL');

    const answer = await alice.list();
    expect(answer.status).toBe(503);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('npm start', () => {
  let buildDir: string;
  let stateDir: string;

  beforeAll(() => {
    // Its own folders: the CLI builds, and must not rebuild what other test files are running.
    buildDir = mkdtempSync(join(tmpdir(), 'e2e-cli-build-'));
    stateDir = mkdtempSync(join(tmpdir(), 'e2e-cli-state-'));
  });
  afterAll(() => {
    rmSync(buildDir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  const startCli = (ports: { api: number; dynamoDb: number; comprehend: number }): ChildProcess =>
    spawn(process.execPath, ['--import', 'tsx', join('local', 'start.ts')], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        PORT: String(ports.api),
        DYNAMODB_PORT: String(ports.dynamoDb),
        COMPREHEND_PORT: String(ports.comprehend),
        LOCAL_BUILD_DIR: buildDir,
        LOCAL_STATE_DIR: stateDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  const exitOf = (child: ChildProcess) =>
    new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));

  test('fails at once with a clear message when a port it needs is busy', async () => {
    const [busy, dynamoDb, comprehend] = await Promise.all([holdFreePort(), freePort(), freePort()]);
    try {
      const child = startCli({ api: busy.port, dynamoDb, comprehend });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      expect(await exitOf(child)).toBe(1);
      expect(stderr).toContain(`127.0.0.1:${busy.port} (local API) is in use`);
      expect(stderr).toContain('PORT');
    } finally {
      busy.server.close();
    }
  });

  test('serves the API, and on SIGINT stops every process it started', async () => {
    const [api, dynamoDb, comprehend] = await Promise.all([freePort(), freePort(), freePort()]);
    const child = startCli({ api, dynamoDb, comprehend });
    const exited = exitOf(child);
    const output: string[] = [];
    createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
    const serving = await new Promise<boolean>((resolveServing) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        output.push(line);
        if (line.startsWith('Serving the support tickets API at')) resolveServing(true);
      });
      void exited.then(() => resolveServing(false));
    });
    expect({ serving, output: serving ? [] : output }).toEqual({ serving: true, output: [] });

    const response = await fetch(`http://127.0.0.1:${api}/tickets`);
    expect(response.status).toBe(401);
    const processes = descendantsOf(child.pid!);
    expect(processes.length).toBeGreaterThanOrEqual(2); // the JVM and the Comprehend stand-in, at least

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    await waitFor(() => processes.every((pid) => !isRunning(pid)));
    expect(processes.filter(isRunning)).toEqual([]);
    for (const port of [api, dynamoDb, comprehend]) expect(listeningAddresses(port)).toEqual([]);
  }, E2E_START_TIMEOUT_MS);
});

function freePort(): Promise<number> {
  return holdFreePort().then(({ server, port }) => new Promise((resolvePort) => server.close(() => resolvePort(port))));
}

function holdFreePort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolveHeld, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolveHeld({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((wake) => setTimeout(wake, 100));
}
