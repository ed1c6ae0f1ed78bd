/**
 * `npm run local:services`: starts DynamoDB Local with the template's table and
 * the Comprehend, EventBridge and Secrets Manager stand-ins, writes the sam
 * local --env-vars file, and stops everything on SIGTERM.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ComprehendClient, DetectDominantLanguageCommand } from '@aws-sdk/client-comprehend';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DYNAMODB_LOCAL_CREDENTIALS,
  DYNAMODB_LOCAL_REGION,
  dynamoDbLocalClient,
} from '../../local/dynamodb/dynamodb-local.js';
import { PROJECT_ROOT } from '../../scripts/sam-template.js';

/** Starting DynamoDB Local and the stand-ins takes seconds on a busy machine. */
const START_TIMEOUT_MS = 60_000;

interface RunningServices {
  process: ChildProcess;
  output: () => string;
  dynamoDb: string;
  comprehend: string;
  eventBridge: string;
  secretsManager: string;
}

function startServices(stateDir: string, env: Record<string, string> = {}): Promise<RunningServices> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/sam/main.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      DYNAMODB_PORT: '0',
      COMPREHEND_PORT: '0',
      EVENTBRIDGE_PORT: '0',
      SECRETS_MANAGER_PORT: '0',
      LOCAL_STATE_DIR: stateDir,
      SAM_ENDPOINT_HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const endpoint = (name: string) => new RegExp(`^${name}\\s+(http://\\S+)`, 'm').exec(output)?.[1] ?? '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('Ctrl-C stops the services.')) return;
      resolve({
        process: child,
        output: () => output,
        dynamoDb: endpoint('DynamoDB Local'),
        comprehend: endpoint('Comprehend stand-in'),
        eventBridge: endpoint('EventBridge stand-in'),
        secretsManager: endpoint('Secrets Manager stand-in'),
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      reject(new Error(`local:services exited with ${String(code)}:\n${output}`));
    });
  });
}

function stopServices(services: RunningServices): Promise<number | null> {
  return new Promise((resolve) => {
    services.process.once('exit', resolve);
    services.process.kill('SIGTERM');
  });
}

function refusesConnections(endpoint: string): Promise<boolean> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => {
      resolve(true);
    });
  });
}

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: DYNAMODB_LOCAL_REGION,
  credentials: DYNAMODB_LOCAL_CREDENTIALS,
});

async function expectServicesAnswer(services: RunningServices, stateDir: string): Promise<void> {
  const dynamoDb = dynamoDbLocalClient(services.dynamoDb);
  const comprehend = new ComprehendClient(clientConfig(services.comprehend));
  const eventBridge = new EventBridgeClient(clientConfig(services.eventBridge));
  const secretsManager = new SecretsManagerClient(clientConfig(services.secretsManager));
  try {
    expect((await dynamoDb.send(new ListTablesCommand({}))).TableNames).toContain('TicketsTable');
    const language = await comprehend.send(
      new DetectDominantLanguageCommand({ Text: 'My invoice is wrong and I was charged twice this month.' }),
    );
    expect(language.Languages?.[0]?.LanguageCode).toBe('en');
    const put = await eventBridge.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: 'TicketEventBus', Source: 'test', DetailType: 'Probe', Detail: '{}' }],
      }),
    );
    expect(put.FailedEntryCount).toBe(0);
    // The secret `npm start` signs cursors with, generated once under the state directory.
    const secret = await secretsManager.send(new GetSecretValueCommand({ SecretId: 'CursorSigningSecret' }));
    expect(secret.SecretString).toBe(readFileSync(join(stateDir, 'secrets', 'CursorSigningSecret'), 'utf8').trim());
  } finally {
    dynamoDb.destroy();
    comprehend.destroy();
    eventBridge.destroy();
    secretsManager.destroy();
  }
}

describe('npm run local:services', () => {
  let stateDir: string;

  beforeAll(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'local-services-'));
  });
  afterAll(() => {
    rmSync(stateDir, { recursive: true, force: true });
  });

  test(
    'on loopback: the services answer, the env-vars file points at them, and SIGTERM stops them all',
    async () => {
      const services = await startServices(stateDir);
      try {
        await expectServicesAnswer(services, stateDir);
        const environment = JSON.parse(readFileSync(join(stateDir, 'sam-env.json'), 'utf8')) as Record<
          string,
          Record<string, string>
        >;
        expect(environment.CreateTicketFunction).toMatchObject({
          AWS_ENDPOINT_URL_DYNAMODB: services.dynamoDb,
          AWS_ENDPOINT_URL_COMPREHEND: services.comprehend,
          AWS_ENDPOINT_URL_EVENTBRIDGE: services.eventBridge,
          AWS_ENDPOINT_URL_SECRETS_MANAGER: services.secretsManager,
          TABLE_NAME: 'TicketsTable',
          CURSOR_SECRET_ARN: 'CursorSigningSecret',
        });
        // Where the secret is, never its value.
        expect(JSON.stringify(environment)).not.toContain(
          readFileSync(join(stateDir, 'secrets', 'CursorSigningSecret'), 'utf8').trim(),
        );
      } finally {
        expect(await stopServices(services)).toBe(0);
      }
      for (const endpoint of [services.dynamoDb, services.comprehend, services.eventBridge, services.secretsManager]) {
        expect(await refusesConnections(endpoint)).toBe(true);
      }
    },
    START_TIMEOUT_MS,
  );

  test(
    'on another address: a warning, and the services answer through it',
    async () => {
      const services = await startServices(stateDir, { LOCAL_SERVICES_HOST: '0.0.0.0' });
      try {
        expect(services.output()).toMatch(/WARNING: LOCAL_SERVICES_HOST=0\.0\.0\.0/);
        await expectServicesAnswer(services, stateDir);
      } finally {
        expect(await stopServices(services)).toBe(0);
      }
      expect(await refusesConnections(services.dynamoDb)).toBe(true);
    },
    START_TIMEOUT_MS,
  );
});
