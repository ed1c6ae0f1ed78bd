import { afterAll, beforeAll, jest } from '@jest/globals';
import { startLocalSystem, type LocalSystem } from '../../../local/system/system.js';
import { mintIdToken, type IdentityRequest } from '../../../local/token/id-token.js';
import { loadOrCreateSigningKey, type LocalSigningKey } from '../../../local/token/signing-key.js';
import { clientFor, type ApiClient } from './api-client.js';
import { consoleDirOf } from './build-layout.js';
import { TempFolders } from './temp-folders.js';

/*
 * The whole local system for one e2e test file: free ports, its own state
 * directory, the artefacts the global setup built. Set E2E_LOGS=1 to see the
 * functions' logs and the access log.
 */

export type TestIdentity = Omit<IdentityRequest, 'email'> & { email?: string };

export interface TestSystem {
  apiUrl: string;
  /** The agent console's origin, where its local sign-in answers too. */
  consoleUrl: string;
  system: LocalSystem;
  stateDir: string;
  /** A token the local API accepts for this identity. */
  token(identity: TestIdentity): Promise<string>;
  /** The API client of a caller with this identity's token. */
  clientAs(identity: TestIdentity): Promise<ApiClient>;
  /** The API client of a caller who sends no token. */
  anonymous: ApiClient;
  signingKey: LocalSigningKey;
  /** Stops the runtime and starts it again on the same data; the API may move to another port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestSystemOptions {
  /** Template parameter values, as `sam deploy --parameter-overrides` would set them. */
  parameterOverrides?: Record<string, string>;
  /** Whether a service that dies is restarted (as by `npm start`); off to see the outage itself. */
  restartServices?: boolean;
  /** The built agent console to serve; the one the global setup built by default. */
  consoleDir?: string;
}

export const E2E_START_TIMEOUT_MS = 120_000;
/** A request may cold-start a function on a busy machine. */
export const E2E_TEST_TIMEOUT_MS = 60_000;

/** The functions and layer the e2e global setup built. */
export function e2eBuildDir(): string {
  const buildDir = process.env.E2E_BUILD_DIR;
  if (!buildDir)
    throw new Error('E2E_BUILD_DIR is not set: run the e2e tests through jest (jest --selectProjects e2e).');
  return buildDir;
}

export async function startTestSystem(options: TestSystemOptions = {}): Promise<TestSystem> {
  const buildDir = e2eBuildDir();
  const folders = new TempFolders();
  const stateDir = folders.make('e2e-state-');
  const start = () =>
    startLocalSystem({
      apiPort: 0,
      dynamoDbPort: 0,
      comprehendPort: 0,
      stateDir,
      buildDir,
      parameterOverrides: options.parameterOverrides,
      restartServices: options.restartServices,
      consoleDir: options.consoleDir ?? consoleDirOf(buildDir),
      logOutput: process.env.E2E_LOGS ? process.stderr : null,
    });

  let system: LocalSystem;
  try {
    system = await start();
  } catch (error) {
    folders.removeAll();
    throw error;
  }
  const signingKey = await loadOrCreateSigningKey(stateDir);
  const token = ({ email, ...identity }: TestIdentity) =>
    mintIdToken(signingKey, { email: email ?? `${identity.sub}@example.com`, ...identity });
  const handle: TestSystem = {
    apiUrl: system.apiUrl,
    consoleUrl: system.consoleUrl,
    system,
    stateDir,
    signingKey,
    token,
    clientAs: async (identity) => clientFor(handle, await token(identity)),
    anonymous: clientFor(
      {
        get apiUrl() {
          return handle.apiUrl;
        },
      },
      null,
    ),
    restart: async () => {
      await system.stop();
      system = await start();
      handle.system = system;
      handle.apiUrl = system.apiUrl;
      handle.consoleUrl = system.consoleUrl;
    },
    stop: async () => {
      await system.stop();
      folders.removeAll();
    },
  };
  return handle;
}

/**
 * Starts one local system before the tests of the file (or describe block)
 * that calls it, and stops it after them. Returns the system, for use inside
 * tests and hooks registered after this call.
 */
export function testSystemPerFile(options: TestSystemOptions = {}): () => TestSystem {
  // Jest reads testTimeout from the top level of its configuration only, not from a project's.
  jest.setTimeout(E2E_TEST_TIMEOUT_MS);
  let started: TestSystem | undefined;
  beforeAll(async () => {
    started = await startTestSystem(options);
  }, E2E_START_TIMEOUT_MS);
  afterAll(async () => {
    await started?.stop();
  });
  return () => {
    if (!started) throw new Error('The local system did not start: see the error of the first hook.');
    return started;
  };
}
