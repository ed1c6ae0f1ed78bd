import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
  type AdminCreateUserCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readUsersFile, writeUsersFile, type UsersFile } from '../../../scripts/cloud-users-file.js';
import {
  createRunUsers,
  deleteRunUsers,
  emailOf,
  newPassword,
  newRunId,
  stackName,
} from '../../../scripts/cloud-users.js';

/**
 * `npm run cloud:users`: the Cognito and CloudFormation calls it makes (the
 * SDK mocked), the users file it writes, and how it cleans up after itself.
 */

const cloudFormation = mockClient(CloudFormationClient);
const cognito = mockClient(CognitoIdentityProviderClient);

const STACK = 'aws-support-system-dev';
const POOL = 'eu-west-1_AbCdEf123';
const CLIENT = '4abcdefghijklmnopqrstuvwxy';
const API = 'https://abc123.execute-api.eu-west-1.amazonaws.com/dev';
const CONSOLE = 'https://d111111abcdef8.cloudfront.net';

const deployedStack = (overrides: Partial<Stack> = {}): Stack => ({
  StackName: STACK,
  StackStatus: 'UPDATE_COMPLETE',
  CreationTime: new Date(0),
  Outputs: [
    { OutputKey: 'ApiEndpoint', OutputValue: API },
    { OutputKey: 'UserPoolId', OutputValue: POOL },
    { OutputKey: 'UserPoolClientId', OutputValue: CLIENT },
    { OutputKey: 'ConsoleUrl', OutputValue: CONSOLE },
    { OutputKey: 'TableName', OutputValue: 'tickets' },
  ],
  Parameters: [
    { ParameterKey: 'ServiceLevelTargets', ParameterValue: 'urgent=1h/4h' },
    { ParameterKey: 'AllowedOrigins', ParameterValue: '*' },
    { ParameterKey: 'WebhookSecret', ParameterValue: '****' },
  ],
  ...overrides,
});

let folder: string;
let usersFile: string;

beforeEach(() => {
  cloudFormation.reset();
  cognito.reset();
  folder = mkdtempSync(join(tmpdir(), 'cloud-users-'));
  usersFile = join(folder, '.cloud', 'users.json');
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** Cognito as it answers: each created user gets a sub, which is also its user name (the pool signs in by e-mail). */
function cognitoAnswers(): void {
  let created = 0;
  cognito.on(AdminCreateUserCommand).callsFake((input: AdminCreateUserCommandInput) => {
    created += 1;
    const sub = `0000000${String(created)}-aaaa-4bbb-8ccc-dddddddddddd`;
    return {
      User: {
        Username: sub,
        Attributes: [...(input.UserAttributes ?? []), { Name: 'sub', Value: sub }],
      },
    };
  });
  cognito.on(AdminSetUserPasswordCommand).resolves({});
  cognito.on(AdminAddUserToGroupCommand).resolves({});
  cognito.on(AdminInitiateAuthCommand).callsFake((input: { AuthParameters?: Record<string, string> }) => ({
    AuthenticationResult: { IdToken: `id-token-of-${input.AuthParameters?.USERNAME ?? ''}` },
  }));
  cognito.on(AdminDeleteUserCommand).resolves({});
}

const callsOf = (command: unknown) => cognito.commandCalls(command as typeof AdminCreateUserCommand);

describe('cloud:users create', () => {
  test('reads the stack, creates two customers and an agent with the exact Cognito calls, and writes the file 0600', async () => {
    cloudFormation.on(DescribeStacksCommand, { StackName: STACK }).resolves({ Stacks: [deployedStack()] });
    cognitoAnswers();

    const file = await createRunUsers({ stack: STACK, usersFile, region: 'eu-west-1' });

    expect(file.runId).toMatch(/^e2e[a-z]{10}$/);
    const emails = ['customer', 'other-customer', 'agent'].map((role) => `${file.runId}-${role}@example.com`);
    expect(callsOf(AdminCreateUserCommand).map((call) => call.args[0].input)).toEqual(
      emails.map((email) => ({
        UserPoolId: POOL,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      })),
    );
    const subs = [1, 2, 3].map((index) => `0000000${String(index)}-aaaa-4bbb-8ccc-dddddddddddd`);
    const passwords = cognito.commandCalls(AdminSetUserPasswordCommand).map((call) => call.args[0].input);
    expect(passwords).toEqual(
      subs.map((sub) => ({ UserPoolId: POOL, Username: sub, Password: expect.any(String), Permanent: true })),
    );
    expect(cognito.commandCalls(AdminAddUserToGroupCommand).map((call) => call.args[0].input)).toEqual([
      { UserPoolId: POOL, Username: subs[2], GroupName: 'agents' },
    ]);
    expect(cognito.commandCalls(AdminInitiateAuthCommand).map((call) => call.args[0].input)).toEqual(
      subs.map((sub, index) => ({
        UserPoolId: POOL,
        ClientId: CLIENT,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: sub, PASSWORD: passwords[index]?.Password },
      })),
    );
    // The agent joins its group before signing in, so its token carries the group.
    const order = cognito.calls().map((call) => (call.args[0] as { constructor: { name: string } }).constructor.name);
    expect(order.slice(-3)).toEqual([
      'AdminSetUserPasswordCommand',
      'AdminAddUserToGroupCommand',
      'AdminInitiateAuthCommand',
    ]);
    expect(cognito.commandCalls(AdminDeleteUserCommand)).toHaveLength(0);

    expect(statSync(usersFile).mode & 0o777).toBe(0o600);
    const written = readUsersFile(usersFile);
    expect(written).toEqual(file);
    expect(written).toEqual({
      runId: file.runId,
      stack: STACK,
      region: 'eu-west-1',
      apiUrl: API,
      consoleUrl: CONSOLE,
      userPoolId: POOL,
      parameters: { ServiceLevelTargets: 'urgent=1h/4h', AllowedOrigins: '*' },
      createdAt: expect.any(String),
      users: ['customer', 'otherCustomer', 'agent'].map((role, index) => ({
        role,
        username: subs[index],
        sub: subs[index],
        email: emails[index],
        idToken: `id-token-of-${subs[index] ?? ''}`,
      })),
    });
    expect(JSON.stringify(written)).not.toContain(passwords[0]?.Password);
  });

  test('API_URL (apiUrl) replaces the ApiEndpoint output', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [deployedStack()] });
    cognitoAnswers();
    const file = await createRunUsers({ stack: STACK, usersFile, apiUrl: 'https://api.example.com/' });
    expect(file.apiUrl).toBe('https://api.example.com');
  });

  test('a failure half-way deletes the users already created, and writes no file', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [deployedStack()] });
    cognitoAnswers();
    cognito.on(AdminAddUserToGroupCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: cognito-idp:AdminAddUserToGroup'), {
        name: 'AccessDeniedException',
      }),
    );

    const failure = createRunUsers({ stack: STACK, usersFile });

    await expect(failure).rejects.toThrow(/the 3 user\(s\) created were deleted.*AccessDeniedException/);
    const created = callsOf(AdminCreateUserCommand).length;
    expect(created).toBe(3);
    expect(cognito.commandCalls(AdminDeleteUserCommand).map((call) => call.args[0].input)).toEqual(
      [1, 2, 3].map((index) => ({ UserPoolId: POOL, Username: `0000000${String(index)}-aaaa-4bbb-8ccc-dddddddddddd` })),
    );
    expect(existsSync(usersFile)).toBe(false);
  });

  test('a sign-in that answers with a challenge instead of a token fails and cleans up', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [deployedStack()] });
    cognitoAnswers();
    cognito.on(AdminInitiateAuthCommand).resolves({ ChallengeName: 'SOFTWARE_TOKEN_MFA' });

    await expect(createRunUsers({ stack: STACK, usersFile })).rejects.toThrow(
      /the 1 user\(s\) created were deleted.*gave no ID token but the challenge SOFTWARE_TOKEN_MFA/,
    );
    expect(cognito.commandCalls(AdminDeleteUserCommand)).toHaveLength(1);
  });

  test('missing outputs are named, and nothing is created', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [deployedStack({ Outputs: [{ OutputKey: 'ApiEndpoint', OutputValue: API }] })] });

    await expect(createRunUsers({ stack: STACK, usersFile })).rejects.toThrow(
      `Stack ${STACK} has no output UserPoolId, UserPoolClientId, ConsoleUrl: deploy this version of template.yaml to it first.`,
    );
    expect(cognito.calls()).toHaveLength(0);
  });

  test('a prod stack is refused, and nothing is created', async () => {
    const prod = deployedStack();
    prod.Parameters = [...(prod.Parameters ?? []), { ParameterKey: 'Stage', ParameterValue: 'prod' }];
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [prod] });

    await expect(createRunUsers({ stack: STACK, usersFile })).rejects.toThrow(
      `Stack ${STACK} is a prod stack (Stage=prod): test users are made in dev or staging only.`,
    );
    expect(cognito.calls()).toHaveLength(0);
    expect(existsSync(usersFile)).toBe(false);
  });

  test('an unknown stack is named with its region', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(Object.assign(new Error('Stack with id nope does not exist'), { name: 'ValidationError' }));

    await expect(createRunUsers({ stack: 'nope', usersFile, region: 'eu-west-1' })).rejects.toThrow(
      "Stack nope does not exist in eu-west-1: set STACK_NAME (or --stack) and AWS_REGION to the deployed stack's.",
    );
  });

  test('missing credentials say how to provide them', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(
        Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      );

    await expect(createRunUsers({ stack: STACK, usersFile })).rejects.toThrow(
      /no AWS credentials found .*Set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or in CI assume the deployment role/,
    );
  });

  test('an existing users file is refused: its users would be lost track of', async () => {
    writeFileSync(join(folder, 'users.json'), '{}');
    await expect(createRunUsers({ stack: STACK, usersFile: join(folder, 'users.json') })).rejects.toThrow(
      /already exists: delete its users first/,
    );
    expect(cloudFormation.calls()).toHaveLength(0);
  });

  test('the stack is named by STACK_NAME or the flag, never guessed', () => {
    const saved = process.env.STACK_NAME;
    try {
      delete process.env.STACK_NAME;
      expect(() => stackName()).toThrow('Name the deployed stack: set STACK_NAME or pass --stack.');
      process.env.STACK_NAME = 'from-env';
      expect(stackName()).toBe('from-env');
      expect(stackName('from-flag')).toBe('from-flag');
    } finally {
      if (saved === undefined) delete process.env.STACK_NAME;
      else process.env.STACK_NAME = saved;
    }
  });
});

describe('cloud:users delete', () => {
  const runFile = (): UsersFile => ({
    runId: 'e2eabcdefghij',
    stack: STACK,
    region: 'eu-west-1',
    apiUrl: API,
    consoleUrl: CONSOLE,
    userPoolId: POOL,
    parameters: {},
    createdAt: '2026-11-27T22:00:00.000Z',
    users: (['customer', 'otherCustomer', 'agent'] as const).map((role) => ({
      role,
      username: `user-${role}`,
      sub: `user-${role}`,
      email: emailOf('e2eabcdefghij', role),
      idToken: 'token',
    })),
  });

  test("deletes the file's users, tolerating one already gone, then the file", async () => {
    writeUsersFile(usersFile, runFile());
    cognito.on(AdminDeleteUserCommand).resolves({});
    cognito
      .on(AdminDeleteUserCommand, { Username: 'user-otherCustomer' })
      .rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));

    await deleteRunUsers({ usersFile });

    expect(cognito.commandCalls(AdminDeleteUserCommand).map((call) => call.args[0].input)).toEqual(
      ['customer', 'otherCustomer', 'agent'].map((role) => ({ UserPoolId: POOL, Username: `user-${role}` })),
    );
    expect(existsSync(usersFile)).toBe(false);
  });

  test('keeps the file when a user could not be deleted, to try again', async () => {
    writeUsersFile(usersFile, runFile());
    cognito.on(AdminDeleteUserCommand).resolves({});
    cognito
      .on(AdminDeleteUserCommand, { Username: 'user-agent' })
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));

    await expect(deleteRunUsers({ usersFile })).rejects.toThrow(
      `1 user(s) of run e2eabcdefghij could not be deleted; ${usersFile} is kept to try again.`,
    );
    expect(existsSync(usersFile)).toBe(true);
  });

  test('without a users file there is nothing to delete', async () => {
    await deleteRunUsers({ usersFile });
    expect(cognito.calls()).toHaveLength(0);
  });
});

describe('what a run is made of', () => {
  test('run ids are e2e and ten lower-case letters: no digits or key-like runs for the analysis to redact', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newRunId()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^e2e[a-z]{10}$/);
  });

  test("passwords meet the pool's policy: 12 or more characters with lower, upper, digit and symbol", () => {
    for (let index = 0; index < 50; index++) {
      const password = newPassword();
      expect(password).toHaveLength(32);
      for (const kind of [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/]) expect(password).toMatch(kind);
    }
  });

  test('a malformed users file is refused, naming what is wrong', () => {
    const path = join(folder, 'broken.json');
    writeFileSync(path, JSON.stringify({ ...runFile(), users: [{ role: 'admin' }] }));
    expect(() => readUsersFile(path)).toThrow(/is not a users file: .*\/users\/0/);
    expect(() => readUsersFile(join(folder, 'absent.json'))).toThrow(/run `npm run cloud:users -- create` first/);
  });

  function runFile(): UsersFile {
    return {
      runId: 'e2eabcdefghij',
      stack: STACK,
      region: 'eu-west-1',
      apiUrl: API,
      consoleUrl: CONSOLE,
      userPoolId: POOL,
      parameters: {},
      createdAt: '2026-11-27T22:00:00.000Z',
      users: [],
    };
  }
});
