/**
 * The users file of a run against a deployed stack: where the API is, the
 * stack's parameter values the contract depends on, and the signed-in users
 * of the run (two customers and an agent) with their ID tokens. Written by
 * `npm run cloud:users -- create` (scripts/cloud-users.ts), read by the
 * contract suite's deployed target (tests/e2e/support/contract-target.ts) and
 * by `cloud:users -- delete`. It holds live tokens: owner-only (0600), and
 * .cloud/ is git-ignored.
 */
import Ajv from 'ajv';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FromSchema } from 'json-schema-to-ts';
import { PROJECT_ROOT } from './sam-template.js';

export const DEFAULT_USERS_FILE = join(PROJECT_ROOT, '.cloud', 'users.json');
/** Names the users file, where a command is not given one; the contract suite runs against its stack when set. */
export const USERS_FILE_VARIABLE = 'CLOUD_USERS_FILE';

/** The callers the contract suite needs: a customer, another customer (to be refused theirs) and an agent. */
export const RUN_ROLES = ['customer', 'otherCustomer', 'agent'] as const;
export type RunRole = (typeof RUN_ROLES)[number];

const USERS_FILE_SCHEMA = {
  type: 'object',
  required: ['runId', 'stack', 'region', 'apiUrl', 'consoleUrl', 'userPoolId', 'parameters', 'createdAt', 'users'],
  additionalProperties: false,
  properties: {
    runId: { type: 'string', pattern: '^[a-z0-9]+$' },
    stack: { type: 'string', minLength: 1 },
    region: { type: 'string', minLength: 1 },
    apiUrl: { type: 'string', pattern: '^https?://' },
    /** The agent console's address (the ConsoleUrl output). */
    consoleUrl: { type: 'string', pattern: '^https?://' },
    userPoolId: { type: 'string', minLength: 1 },
    /** The stack's parameter values (NoEcho ones left out), e.g. ServiceLevelTargets and AllowedOrigins. */
    parameters: { type: 'object', additionalProperties: { type: 'string' } },
    createdAt: { type: 'string' },
    users: {
      type: 'array',
      items: {
        type: 'object',
        required: ['role', 'username', 'sub', 'email', 'idToken'],
        additionalProperties: false,
        properties: {
          role: { enum: RUN_ROLES },
          username: { type: 'string', minLength: 1 },
          sub: { type: 'string', minLength: 1 },
          email: { type: 'string', minLength: 3 },
          idToken: { type: 'string', minLength: 1 },
        },
      },
    },
  },
} as const;

export type UsersFile = FromSchema<typeof USERS_FILE_SCHEMA>;
export type RunUser = UsersFile['users'][number];

const validate = new Ajv({ allErrors: true }).compile<UsersFile>(USERS_FILE_SCHEMA);

/** Writes the file readable by its owner only, making its folder (owner-only too) if needed. */
export function writeUsersFile(path: string, file: UsersFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  // The mode given to writeFileSync applies only to a file it creates, and through the umask.
  chmodSync(path, 0o600);
}

export function readUsersFile(path: string): UsersFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`No users file at ${path}: run \`npm run cloud:users -- create\` first.`, { cause: error });
    }
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!validate(value)) {
    const problems = (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`);
    throw new Error(`${path} is not a users file: ${problems.join('; ')}`);
  }
  return value;
}

/** The run's user of a role; a file without one is not a run's users file. */
export function userOf(file: UsersFile, role: RunRole): RunUser {
  const user = file.users.find((candidate) => candidate.role === role);
  if (!user) throw new Error(`The users file of run ${file.runId} has no ${role}.`);
  return user;
}
