/**
 * The Secrets Manager stand-in, called with the unchanged SDK client (and
 * Powertools Parameters on it) as the functions call it: the template's
 * generated secrets by name or ARN, Secrets Manager's errors, and its faults.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  secretArn,
  startSecretsManagerStandIn,
  type SecretsManagerStandIn,
} from '../../../local/secretsmanager/secrets-manager-stand-in.js';
import { generatedSecretFiles } from '../../../local/system/local-stack.js';
import { readTemplate } from '../../../scripts/sam-template.js';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
let stateDir: string;
let files: Record<string, string>;
let standIn: SecretsManagerStandIn;
let client: SecretsManagerClient;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'secrets-manager-'));
  files = generatedSecretFiles(stateDir, readTemplate());
  standIn = await startSecretsManagerStandIn({ secretFiles: files, region: REGION, accountId: ACCOUNT });
  client = new SecretsManagerClient({ endpoint: standIn.endpoint, region: REGION, maxAttempts: 1 });
});

afterAll(async () => {
  client.destroy();
  await standIn.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

const valueOf = (name: string) => readFileSync(files[name]!, 'utf8').trim();

describe("the template's generated secrets", () => {
  test('are made once under the state directory, and kept', () => {
    expect(Object.keys(files)).toEqual(['CursorSigningSecret']);
    expect(files.CursorSigningSecret).toBe(join(stateDir, 'secrets', 'CursorSigningSecret'));
    const value = valueOf('CursorSigningSecret');
    expect(value).toMatch(/^[\w-]{32,}$/);
    generatedSecretFiles(stateDir, readTemplate());
    expect(valueOf('CursorSigningSecret')).toBe(value);
  });
});

describe('GetSecretValue', () => {
  test('answers a secret by its name, as Secrets Manager does', async () => {
    const answer = await client.send(new GetSecretValueCommand({ SecretId: 'CursorSigningSecret' }));
    expect(answer).toMatchObject({
      Name: 'CursorSigningSecret',
      ARN: secretArn('CursorSigningSecret', { region: REGION, accountId: ACCOUNT }),
      SecretString: valueOf('CursorSigningSecret'),
      VersionStages: ['AWSCURRENT'],
      VersionId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
    });
    expect(answer.CreatedDate).toBeInstanceOf(Date);
  });

  test('and by its full or partial ARN', async () => {
    const arn = secretArn('CursorSigningSecret', { region: REGION, accountId: ACCOUNT });
    expect(arn).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:CursorSigningSecret-\w{6}$/);
    for (const secretId of [arn, arn.slice(0, -7)]) {
      const answer = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      expect(answer.SecretString).toBe(valueOf('CursorSigningSecret'));
    }
  });

  test('reads the file on every call: a value changed there (a rotation) is served at once, with a new version', async () => {
    const before = await client.send(new GetSecretValueCommand({ SecretId: 'CursorSigningSecret' }));
    const original = valueOf('CursorSigningSecret');
    try {
      writeFileSync(files.CursorSigningSecret!, 'a-rotated-local-secret-that-is-long-enough');
      const after = await client.send(new GetSecretValueCommand({ SecretId: 'CursorSigningSecret' }));
      expect(after.SecretString).toBe('a-rotated-local-secret-that-is-long-enough');
      expect(after.VersionId).not.toBe(before.VersionId);
    } finally {
      writeFileSync(files.CursorSigningSecret!, original);
    }
  });

  test('a secret it does not hold, or a version it does not have: ResourceNotFoundException', async () => {
    for (const input of [
      { SecretId: 'NoSuchSecret' },
      { SecretId: 'toString' },
      { SecretId: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:NoSuchSecret-abcdef` },
      { SecretId: 'CursorSigningSecret', VersionStage: 'AWSPREVIOUS' },
      { SecretId: 'CursorSigningSecret', VersionId: '00000000-0000-0000-0000-000000000000' },
    ]) {
      await expect(client.send(new GetSecretValueCommand(input))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
        $metadata: { httpStatusCode: 400 },
      });
    }
  });

  test('a call without a SecretId: InvalidParameterException; another operation: refused', async () => {
    await expect(client.send(new GetSecretValueCommand({ SecretId: '' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(client.send(new ListSecretsCommand({}))).rejects.toMatchObject({
      name: 'UnknownOperationException',
    });
  });

  test('Powertools Parameters reads it as the functions do', async () => {
    const provider = new SecretsProvider({ awsSdkV3Client: client });
    expect(await provider.get('CursorSigningSecret')).toBe(valueOf('CursorSigningSecret'));
  });
});

describe('faults', () => {
  const faults = (method: 'POST' | 'DELETE', body?: unknown) =>
    fetch(`${standIn.endpoint}/__admin/faults`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const read = () => client.send(new GetSecretValueCommand({ SecretId: 'CursorSigningSecret' }));

  test('unavailable answers an InternalServiceError (500) for the next calls, then the secret again', async () => {
    expect((await faults('POST', { mode: 'unavailable', remaining: 2 })).status).toBe(200);
    for (let call = 0; call < 2; call++) {
      await expect(read()).rejects.toMatchObject({
        name: 'InternalServiceError',
        $metadata: { httpStatusCode: 500 },
      });
    }
    expect((await read()).SecretString).toBe(valueOf('CursorSigningSecret'));
  });

  test('throttle answers a ThrottlingException until cleared', async () => {
    expect((await faults('POST', { mode: 'throttle' })).status).toBe(200);
    await expect(read()).rejects.toMatchObject({ name: 'ThrottlingException' });
    await expect(read()).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect((await faults('DELETE')).status).toBe(200);
    expect((await read()).SecretString).toBe(valueOf('CursorSigningSecret'));
  });

  test('an unknown fault is refused', async () => {
    expect((await faults('POST', { mode: 'explode' })).status).toBe(400);
    expect((await faults('POST', { mode: 'throttle', remaining: 0 })).status).toBe(400);
    expect((await read()).SecretString).toBe(valueOf('CursorSigningSecret'));
  });
});

describe('web pages', () => {
  test('a request a browser sends (it carries Origin) is refused: no secret read, no fault switched on', async () => {
    const fromPage = (path: string, headers: Record<string, string>, body: unknown) =>
      fetch(`${standIn.endpoint}${path}`, {
        method: 'POST',
        headers: { origin: 'http://rebound.example:4622', ...headers },
        body: JSON.stringify(body),
      });
    const read = await fromPage(
      '/',
      { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
      { SecretId: 'CursorSigningSecret' },
    );
    expect(read.status).toBe(403);
    expect(await read.text()).not.toContain(valueOf('CursorSigningSecret'));

    const fault = await fromPage('/__admin/faults', { 'content-type': 'text/plain' }, { mode: 'unavailable' });
    expect(fault.status).toBe(403);
    const answer = await client.send(new GetSecretValueCommand({ SecretId: 'CursorSigningSecret' }));
    expect(answer.SecretString).toBe(valueOf('CursorSigningSecret'));
  });
});
