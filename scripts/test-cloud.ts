/**
 * The contract suite against a deployed stack.
 *
 *   STACK_NAME=<stack> AWS_REGION=<region> npm run test:cloud [-- <jest arguments, e.g. a test file>]
 *
 * Creates the run's users (scripts/cloud-users.ts), runs tests/e2e/contract/
 * against the stack with them (jest.cloud.config.js, one file at a time) and
 * always deletes them afterwards, also when the suite fails or the run is
 * interrupted. Exits with the suite's status, or 1 when the users could not
 * be created or deleted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { USERS_FILE_VARIABLE } from './cloud-users-file.js';
import {
  apiUrlSetting,
  CloudUsersError,
  createRunUsers,
  deleteRunUsers,
  stackName,
  usersFilePath,
} from './cloud-users.js';
import { PROJECT_ROOT } from './sam-template.js';

export const CLOUD_JEST_CONFIG = join(PROJECT_ROOT, 'jest.cloud.config.js');
const JEST = createRequire(import.meta.url).resolve('jest/bin/jest');

export interface SuiteRun {
  /** The suite's exit status. */
  status: Promise<number>;
  child: ChildProcess;
}

/**
 * Runs the contract suite with the cloud config against the stack of
 * `usersFile`, in band (one file, one request at a time). `args` go to jest
 * (a test file, --json …).
 */
export function runContractSuite(
  usersFile: string,
  args: readonly string[] = [],
  options: { env?: NodeJS.ProcessEnv; stdio?: 'inherit' | 'pipe' } = {},
): SuiteRun {
  const child = spawn(process.execPath, [JEST, '--config', CLOUD_JEST_CONFIG, '--runInBand', ...args], {
    cwd: PROJECT_ROOT,
    env: {
      ...(options.env ?? process.env),
      NODE_OPTIONS: '--experimental-vm-modules --no-warnings',
      [USERS_FILE_VARIABLE]: usersFile,
    },
    stdio: options.stdio ?? 'inherit',
  });
  const status = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      resolve(code ?? (signal ? 1 : 0));
    });
  });
  return { status, child };
}

export interface CloudTestSteps {
  createUsers(): Promise<void>;
  runSuite(): SuiteRun;
  deleteUsers(): Promise<void>;
  log(line: string): void;
}

const messageOf = (error: unknown) => (error instanceof CloudUsersError ? error.message : String(error));

/**
 * Creates the users, runs the suite and always deletes the users: after a
 * failing suite, and after SIGINT or SIGTERM (a cancelled CI job), which stop
 * the suite instead of this process. Resolves to the exit status: the
 * suite's, or 1 when the users could not be created or deleted, or the run
 * was interrupted.
 */
export async function runCloudTests(steps: CloudTestSteps, signals: NodeJS.EventEmitter = process): Promise<number> {
  let suite: SuiteRun | undefined;
  const run = { interrupted: false };
  const stop = (signal: NodeJS.Signals) => {
    run.interrupted = true;
    steps.log(`test:cloud: ${signal}: stopping, then deleting the run's users`);
    suite?.child.kill(signal);
  };
  signals.on('SIGINT', stop);
  signals.on('SIGTERM', stop);
  try {
    try {
      await steps.createUsers();
    } catch (error) {
      steps.log(`test:cloud: ${messageOf(error)}`);
      return 1;
    }
    let status = 1;
    try {
      if (!run.interrupted) {
        suite = steps.runSuite();
        status = await suite.status;
      }
    } finally {
      try {
        await steps.deleteUsers();
      } catch (error) {
        steps.log(`test:cloud: ${messageOf(error)}`);
        if (status === 0) status = 1;
      }
    }
    return run.interrupted ? Math.max(status, 1) : status;
  } finally {
    signals.off('SIGINT', stop);
    signals.off('SIGTERM', stop);
  }
}

function main(args: string[]): Promise<number> {
  const log = (line: string) => {
    console.error(line);
  };
  const usersFile = usersFilePath();
  return runCloudTests({
    createUsers: async () => {
      await createRunUsers({ stack: stackName(undefined, 'set STACK_NAME'), usersFile, apiUrl: apiUrlSetting(), log });
    },
    runSuite: () => runContractSuite(usersFile, args),
    deleteUsers: () => deleteRunUsers({ usersFile, log }),
    log,
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
