/**
 * The users of one contract-suite run against a deployed stack.
 *
 *   npm run cloud:users -- create [--stack <name>] [--region <region>] [--file <path>]
 *   npm run cloud:users -- delete [--file <path>]
 *
 * `create` reads the stack's outputs (ApiEndpoint, UserPoolId, ConsoleUrl,
 * UserPoolClientId) and parameters, creates two customers and an agent in its
 * user pool (names and e-mails carry the run id; no invitation is sent; e-mail
 * verified; a random permanent password), puts the agent in the `agents`
 * group, signs each in with ADMIN_USER_PASSWORD_AUTH for an ID token and
 * writes the users file (scripts/cloud-users-file.ts). If anything fails
 * half-way, the users already created are deleted. `delete` deletes the
 * file's users (one already gone is fine) and then the file.
 *
 * STACK_NAME names the stack when --stack does not; CLOUD_USERS_FILE the file
 * when --file does not (default .cloud/users.json); API_URL, when set, is
 * called instead of the ApiEndpoint output (a custom domain). The region is
 * the SDK's: --region, else AWS_REGION or the profile's.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomInt } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { AGENTS_GROUP } from '../layers/shared/src/http/caller.js';
import {
  DEFAULT_USERS_FILE,
  readUsersFile,
  RUN_ROLES,
  writeUsersFile,
  type RunRole,
  type RunUser,
  type UsersFile,
  USERS_FILE_VARIABLE,
} from './cloud-users-file.js';
import {
  CommandError as CloudUsersError,
  describeDeployedStack,
  explained,
  outputsOf,
  parametersOf,
} from './deployed-stack.js';

/** Thrown for what the person running the command must fix (the scripts' one error for that). */
export { CloudUsersError };

/** The stack outputs a run needs: where the API is, and the pool and client to sign in with. */
export const REQUIRED_OUTPUTS = ['ApiEndpoint', 'UserPoolId', 'UserPoolClientId', 'ConsoleUrl'] as const;

export interface CreateOptions {
  stack: string;
  usersFile: string;
  region?: string;
  /** Called instead of the stack's ApiEndpoint output. */
  apiUrl?: string;
  log?: (line: string) => void;
}

export interface DeleteOptions {
  usersFile: string;
  log?: (line: string) => void;
}

/**
 * A run id of lower-case letters after `e2e`: unique enough (26^10), and in a
 * ticket's subject it reads as no secret and no number, so the analysis leaves
 * it as it is.
 */
export function newRunId(): string {
  const letters = Array.from({ length: 10 }, () => String.fromCharCode(97 + randomInt(26)));
  return `e2e${letters.join('')}`;
}

const ROLE_NAMES: Record<RunRole, string> = {
  customer: 'customer',
  otherCustomer: 'other-customer',
  agent: 'agent',
};

/** example.com never receives mail, and no invitation is sent anyway (MessageAction SUPPRESS). */
export const emailOf = (runId: string, role: RunRole): string => `${runId}-${ROLE_NAMES[role]}@example.com`;

const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '!#%*+-.=?@^_~';

/**
 * 32 random characters with lower- and upper-case letters, digits and
 * symbols: any policy a Cognito pool can set (at most 99 characters minimum)
 * but the longest accepts it, and this pool's asks for 12 with all four kinds.
 * Only Cognito ever sees it: the users file keeps the ID token, not the password.
 */
export function newPassword(): string {
  const pick = (alphabet: string) => alphabet.charAt(randomInt(alphabet.length));
  const all = LOWER + UPPER + DIGITS + SYMBOLS;
  const required = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SYMBOLS)];
  const characters = Array.from({ length: 28 }, () => pick(all));
  // Each required kind at a random place, so they are not always first.
  for (const character of required) characters.splice(randomInt(characters.length + 1), 0, character);
  return characters.join('');
}

export async function createRunUsers(options: CreateOptions): Promise<UsersFile> {
  const log = options.log ?? (() => undefined);
  if (existsSync(options.usersFile)) {
    throw new CloudUsersError(
      `${options.usersFile} already exists: delete its users first (npm run cloud:users -- delete).`,
    );
  }
  const { region, stack } = await describeDeployedStack(
    options.stack,
    options.region,
    "set STACK_NAME (or --stack) and AWS_REGION to the deployed stack's",
  );
  const parameters = parametersOf(stack);
  // Prod's app client has no password flow, and test users never belong among real customers and agents.
  if (parameters.Stage === 'prod') {
    throw new CloudUsersError(
      `Stack ${options.stack} is a prod stack (Stage=prod): test users are made in dev or staging only.`,
    );
  }
  const outputs = outputsOf(stack, REQUIRED_OUTPUTS);
  const userPoolId = outputs.UserPoolId;
  const cognito = new CognitoIdentityProviderClient({ region });
  const runId = newRunId();
  log(`Run ${runId}: creating its users in ${userPoolId} (stack ${options.stack}, ${region})`);

  const created: string[] = [];
  try {
    const users: RunUser[] = [];
    for (const role of RUN_ROLES) {
      const user = await createUser(cognito, {
        userPoolId,
        clientId: outputs.UserPoolClientId,
        email: emailOf(runId, role),
        agent: role === 'agent',
        created,
      });
      users.push({ role, ...user });
      log(`  ${role}: ${user.email} (sub ${user.sub})`);
    }
    const file: UsersFile = {
      runId,
      stack: options.stack,
      region,
      apiUrl: (options.apiUrl ?? outputs.ApiEndpoint).replace(/\/+$/, ''),
      consoleUrl: outputs.ConsoleUrl.replace(/\/+$/, ''),
      userPoolId,
      parameters,
      createdAt: new Date().toISOString(),
      users,
    };
    writeUsersFile(options.usersFile, file);
    log(`Wrote ${options.usersFile}`);
    return file;
  } catch (error) {
    const left = await deleteUsers(cognito, userPoolId, created, log);
    const cleanup =
      left.length === 0
        ? `the ${String(created.length)} user(s) created were deleted`
        : `these users could not be deleted, delete them by hand: ${left.join(', ')}`;
    const cause = error instanceof CloudUsersError ? error.message : String(error);
    throw new CloudUsersError(`Creating the users of run ${runId} failed (${cleanup}): ${cause}`, { cause: error });
  }
}

async function createUser(
  cognito: CognitoIdentityProviderClient,
  request: { userPoolId: string; clientId: string; email: string; agent: boolean; created: string[] },
): Promise<Omit<RunUser, 'role'>> {
  const { userPoolId: UserPoolId, email } = request;
  let answer;
  try {
    answer = await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
  } catch (error) {
    throw explained(`AdminCreateUser ${email}`, error);
  }
  // The pool signs in by e-mail, so Cognito names the user itself (its sub); later calls use that name.
  const username = answer.User?.Username;
  const sub = answer.User?.Attributes?.find(({ Name }) => Name === 'sub')?.Value;
  if (!username) throw new CloudUsersError(`AdminCreateUser ${email} answered without a user name.`);
  request.created.push(username);
  if (!sub) throw new CloudUsersError(`AdminCreateUser ${email} answered without the user's sub.`);

  const password = newPassword();
  try {
    await cognito.send(
      new AdminSetUserPasswordCommand({ UserPoolId, Username: username, Password: password, Permanent: true }),
    );
    if (request.agent) {
      await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: username, GroupName: AGENTS_GROUP }));
    }
  } catch (error) {
    throw explained(`Preparing ${email}`, error);
  }
  let signedIn;
  try {
    signedIn = await cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId,
        ClientId: request.clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
  } catch (error) {
    throw explained(`AdminInitiateAuth ${email}`, error);
  }
  const idToken = signedIn.AuthenticationResult?.IdToken;
  if (!idToken) {
    throw new CloudUsersError(
      `AdminInitiateAuth ${email} gave no ID token${signedIn.ChallengeName ? ` but the challenge ${signedIn.ChallengeName}` : ''}.`,
    );
  }
  return { username, sub, email, idToken };
}

/** Deletes the users, a user already gone counting as deleted; returns those that could not be deleted. */
async function deleteUsers(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  usernames: readonly string[],
  log: (line: string) => void,
): Promise<string[]> {
  const left: string[] = [];
  for (const username of usernames) {
    try {
      await cognito.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }));
      log(`  deleted ${username}`);
    } catch (error) {
      if ((error as Error).name === 'UserNotFoundException') {
        log(`  ${username} was already gone`);
        continue;
      }
      log(`  could not delete ${username}: ${explained('AdminDeleteUser', error).message}`);
      left.push(username);
    }
  }
  return left;
}

/** Deletes the file's users and then the file; with users left, the file stays for a retry. */
export async function deleteRunUsers(options: DeleteOptions): Promise<void> {
  const log = options.log ?? (() => undefined);
  if (!existsSync(options.usersFile)) {
    log(`No users file at ${options.usersFile}: nothing to delete.`);
    return;
  }
  const file = readUsersFile(options.usersFile);
  log(`Run ${file.runId}: deleting its users from ${file.userPoolId} (${file.region})`);
  const cognito = new CognitoIdentityProviderClient({ region: file.region });
  const left = await deleteUsers(
    cognito,
    file.userPoolId,
    file.users.map(({ username }) => username),
    log,
  );
  if (left.length > 0) {
    throw new CloudUsersError(
      `${String(left.length)} user(s) of run ${file.runId} could not be deleted; ${options.usersFile} is kept to try again.`,
    );
  }
  rmSync(options.usersFile);
  log(`Removed ${options.usersFile}`);
}

/** An unset or empty variable is not given. */
const setting = (name: string): string | undefined => {
  const value = process.env[name];
  return value === '' ? undefined : value;
};

/** API_URL: the API to call instead of the stack's ApiEndpoint output (a custom domain). */
export const apiUrlSetting = (): string | undefined => setting('API_URL');

export const usersFilePath = (given?: string): string => given ?? setting(USERS_FILE_VARIABLE) ?? DEFAULT_USERS_FILE;

/** STACK_NAME or --stack; there is no default, so a run never creates users in a stack it was not meant for. */
export function stackName(given?: string, how = 'set STACK_NAME or pass --stack'): string {
  const stack = given ?? setting('STACK_NAME');
  if (!stack) throw new CloudUsersError(`Name the deployed stack: ${how}.`);
  return stack;
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { stack: { type: 'string' }, region: { type: 'string' }, file: { type: 'string' } },
  });
  const [command, ...rest] = positionals;
  const log = (line: string) => {
    console.error(line);
  };
  const usersFile = usersFilePath(values.file);
  if (command === 'create' && rest.length === 0) {
    await createRunUsers({
      stack: stackName(values.stack),
      region: values.region,
      usersFile,
      apiUrl: apiUrlSetting(),
      log,
    });
  } else if (command === 'delete' && rest.length === 0) {
    await deleteRunUsers({ usersFile, log });
  } else {
    throw new CloudUsersError(
      'Usage: npm run cloud:users -- create|delete [--stack <name>] [--region <region>] [--file <path>]',
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`cloud:users: ${error instanceof CloudUsersError ? error.message : String(error)}`);
    if (!(error instanceof CloudUsersError)) console.error(error);
    process.exitCode = 1;
  });
}
