import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localPublicKeyFrom } from '../../../layers/shared/src/http/local-id-token.js';
import {
  localPublicKeyPem,
  samEnvironment,
  undeclaredVariables,
  writeSamEnvFile,
  type SamEnvironment,
} from '../../../local/sam/sam-env.js';
import { DYNAMODB_LOCAL_REGION } from '../../../local/dynamodb/dynamodb-local.js';
import { generatedSecretFiles, localStack } from '../../../local/system/local-stack.js';
import { loadOrCreateSigningKey } from '../../../local/token/signing-key.js';
import { readTemplate, TEMPLATE_PATH } from '../../../scripts/sam-template.js';

/** What the template declares, read as CloudFormation would (its tags kept as values). */
interface DeclaredEnvironment {
  Environment?: { Variables?: Record<string, unknown> };
}
const raw = readTemplate(TEMPLATE_PATH);
const functionIds = Object.entries(raw.Resources)
  .filter(([, resource]) => resource.Type === 'AWS::Serverless::Function')
  .map(([logicalId]) => logicalId);
const declared = (logicalId: string) => [
  ...Object.keys((raw.Globals?.Function as DeclaredEnvironment | undefined)?.Environment?.Variables ?? {}),
  ...Object.keys(
    (raw.Resources[logicalId]?.Properties as DeclaredEnvironment | undefined)?.Environment?.Variables ?? {},
  ),
];

const ENDPOINTS = {
  dynamoDb: 'http://host.docker.internal:8000',
  comprehend: 'http://host.docker.internal:4620',
  eventBridge: 'http://host.docker.internal:4621',
  secretsManager: 'http://host.docker.internal:4622',
};

describe('the sam local --env-vars file', () => {
  let stateDir: string;
  let environment: SamEnvironment;
  let stack: ReturnType<typeof localStack>;
  let publicKeyPem: string;

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'sam-env-'));
    stack = localStack({ region: DYNAMODB_LOCAL_REGION, stateDir });
    publicKeyPem = localPublicKeyPem(await loadOrCreateSigningKey(stateDir));
    environment = samEnvironment(stack, ENDPOINTS, publicKeyPem);
  });
  afterAll(() => {
    rmSync(stateDir, { recursive: true, force: true });
  });

  test('has an entry for every function of the template, and no other', () => {
    expect(functionIds.length).toBeGreaterThan(0);
    expect(Object.keys(environment).sort()).toEqual([...functionIds].sort());
  });

  test.each(functionIds)('%s: every variable the template declares for it, with a local value', (logicalId) => {
    const entry = environment[logicalId] ?? {};
    for (const name of declared(logicalId)) expect(entry).toHaveProperty([name]);
    expect(entry.TABLE_NAME).toBe('TicketsTable');
    if ('CURSOR_SECRET_ARN' in entry) {
      // Where the function reads the secret: its name, which the Secrets Manager stand-in serves.
      expect(entry.CURSOR_SECRET_ARN).toBe('CursorSigningSecret');
    }
  });

  test("no entry holds a secret's value: the functions read it from the Secrets Manager stand-in", () => {
    const files = generatedSecretFiles(stateDir, stack.template);
    expect(Object.keys(files)).toEqual(['CursorSigningSecret']);
    const value = readFileSync(files.CursorSigningSecret!, 'utf8').trim();
    expect(value.length).toBeGreaterThanOrEqual(32);
    expect(JSON.stringify(environment)).not.toContain(value);
    expect(Object.values(environment).filter((entry) => 'CURSOR_SECRET_ARN' in entry)).toHaveLength(4);
  });

  test.each(functionIds)('%s: the local services, dummy credentials and the local token key', (logicalId) => {
    const entry = environment[logicalId] ?? {};
    expect(entry).toMatchObject({
      AWS_ENDPOINT_URL_DYNAMODB: ENDPOINTS.dynamoDb,
      AWS_ENDPOINT_URL_COMPREHEND: ENDPOINTS.comprehend,
      AWS_ENDPOINT_URL_EVENTBRIDGE: ENDPOINTS.eventBridge,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: ENDPOINTS.secretsManager,
      AWS_ACCESS_KEY_ID: expect.stringMatching(/^[A-Za-z0-9]+$/),
      AWS_SECRET_ACCESS_KEY: expect.any(String),
      LOCAL_TOKEN_PUBLIC_KEY: publicKeyPem,
      // No console under sam local: never the placeholder the distribution's domain resolves to here.
      CONSOLE_ORIGIN: '',
    });
    expect(() => localPublicKeyFrom(entry.LOCAL_TOKEN_PUBLIC_KEY ?? '')).not.toThrow();
    expect(entry.LOCAL_TOKEN_PUBLIC_KEY).not.toMatch(/PRIVATE/);
  });

  test('the publishing function gets the local bus', () => {
    const publishers = functionIds.filter((logicalId) => declared(logicalId).includes('EVENT_BUS_NAME'));
    expect(publishers.length).toBeGreaterThan(0);
    for (const logicalId of publishers) expect(environment[logicalId]?.EVENT_BUS_NAME).toBe('TicketEventBus');
  });

  test('names what the template does not declare, which SAM CLI would not set', () => {
    const undeclared = undeclaredVariables(stack, environment);
    for (const [logicalId, names] of Object.entries(undeclared)) {
      expect(functionIds).toContain(logicalId);
      for (const name of names) expect(declared(logicalId)).not.toContain(name);
    }
    const withoutKey = Object.fromEntries(
      Object.entries(environment).map(([logicalId, entry]) => [logicalId, { ...entry, NOT_IN_TEMPLATE: 'x' }]),
    );
    for (const logicalId of functionIds) {
      expect(undeclaredVariables(stack, withoutKey)[logicalId]).toContain('NOT_IN_TEMPLATE');
    }
  });

  test('is written readable by its owner only, as everything under the state directory', () => {
    const file = join(stateDir, 'nested', 'sam-env.json');
    writeSamEnvFile(file, environment);

    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(environment);
    expect(statSync(file).mode & 0o077).toBe(0);
  });
});
