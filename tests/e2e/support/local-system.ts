import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalSystem, type LocalSystem } from '../../../local/system/system.js';
import { mintIdToken, type IdentityRequest } from '../../../local/token/id-token.js';
import { loadOrCreateSigningKey, type LocalSigningKey } from '../../../local/token/signing-key.js';
import { callApi } from './api-client.js';
import type { HttpMethod } from './api-types.js';

/*
 * The whole local system for one e2e test file: free ports, its own state
 * directory, the artefacts the global setup built. Set E2E_LOGS=1 to see the
 * functions' logs and the access log.
 */

export interface TestSystem {
  apiUrl: string;
  system: LocalSystem;
  stateDir: string;
  /** A token the local API accepts for this identity. */
  token(identity: Omit<IdentityRequest, 'email'> & { email?: string }): Promise<string>;
  signingKey: LocalSigningKey;
  /** Stops the runtime and starts it again on the same data; the API may move to another port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestSystemOptions {
  /** Template parameter values, as `sam deploy --parameter-overrides` would set them. */
  parameterOverrides?: Record<string, string>;
}

/** The functions and layer the e2e global setup built. */
export function e2eBuildDir(): string {
  const buildDir = process.env.E2E_BUILD_DIR;
  if (!buildDir)
    throw new Error('E2E_BUILD_DIR is not set: run the e2e tests through jest (jest --selectProjects e2e).');
  return buildDir;
}

export async function startTestSystem(options: TestSystemOptions = {}): Promise<TestSystem> {
  const buildDir = e2eBuildDir();
  const stateDir = mkdtempSync(join(tmpdir(), 'e2e-state-'));
  const start = () =>
    startLocalSystem({
      apiPort: 0,
      dynamoDbPort: 0,
      comprehendPort: 0,
      stateDir,
      buildDir,
      parameterOverrides: options.parameterOverrides,
      logOutput: process.env.E2E_LOGS ? process.stderr : null,
    });

  let system: LocalSystem;
  try {
    system = await start();
  } catch (error) {
    rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }
  const signingKey = await loadOrCreateSigningKey(stateDir);
  const handle: TestSystem = {
    apiUrl: system.apiUrl,
    system,
    stateDir,
    signingKey,
    token: ({ email, ...identity }) =>
      mintIdToken(signingKey, { email: email ?? `${identity.sub}@example.com`, ...identity }),
    restart: async () => {
      await system.stop();
      system = await start();
      handle.system = system;
      handle.apiUrl = system.apiUrl;
    },
    stop: async () => {
      await system.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
  return handle;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined when there is none. */
  body: any;
}

export interface RequestOptions {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One HTTP call to the API; a non-string body is sent as JSON. */
export async function call(
  apiUrl: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse> {
  return callApi<any>(apiUrl, { method: method as HttpMethod, path, ...options });
}

/** A client bound to one system and one caller. */
export function clientFor(system: TestSystem, token: string | null) {
  return {
    create: (body: unknown, headers?: Record<string, string>) =>
      call(system.apiUrl, 'POST', '/tickets', { token, body, headers }),
    get: (id: string) => call(system.apiUrl, 'GET', `/tickets/${id}`, { token }),
    update: (id: string, body: unknown, headers?: Record<string, string>) =>
      call(system.apiUrl, 'PATCH', `/tickets/${id}`, { token, body, headers }),
    list: (query: Record<string, string> = {}) => {
      const search = new URLSearchParams(query).toString();
      return call(system.apiUrl, 'GET', `/tickets${search ? `?${search}` : ''}`, { token });
    },
  };
}

export const E2E_START_TIMEOUT_MS = 120_000;
