/**
 * The built functions as `sam local start-api` runs them: the environment of
 * the --env-vars file `npm run local:services` writes, SAM CLI's
 * AWS_SAM_LOCAL, and events without an authorizer context, against the
 * services local:services started.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFunctionDefinitions } from '../../local/api/api-definition.js';
import { FunctionRuntime } from '../../local/api/lambda-runtime/function-runtime.js';
import { DYNAMODB_LOCAL_REGION } from '../../local/dynamodb/dynamodb-local.js';
import { startLocalServices, type LocalServices } from '../../local/sam/local-services.js';
import type { SamEnvironment } from '../../local/sam/sam-env.js';
import { localStack } from '../../local/system/local-stack.js';
import { mintIdToken } from '../../local/token/id-token.js';
import { loadOrCreateSigningKey } from '../../local/token/signing-key.js';
import { onlyResourceOfType, readTemplate } from '../../scripts/sam-template.js';
import { samLocalEvent } from '../support/sam-local-event.js';

const buildDir = process.env.E2E_BUILD_DIR ?? '';
let stateDir: string;
let services: LocalServices;
const runtimes: FunctionRuntime[] = [];

/** The built function `logicalId` in an environment like SAM CLI's container, with `variables` as the file sets them. */
function runtime(logicalId: string, variables: Record<string, string>): FunctionRuntime {
  const definition = readFunctionDefinitions(localStack({ region: DYNAMODB_LOCAL_REGION, stateDir }), buildDir).find(
    (candidate) => candidate.logicalId === logicalId,
  );
  if (!definition) throw new Error(`${logicalId} is not in template.yaml`);
  const [layerLogicalId] = onlyResourceOfType(readTemplate(), 'AWS::Serverless::LayerVersion');
  const started = new FunctionRuntime(definition, {
    layerDir: join(buildDir, layerLogicalId),
    environment: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      TZ: ':UTC',
      AWS_DEFAULT_REGION: DYNAMODB_LOCAL_REGION,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_LAMBDA_FUNCTION_NAME: logicalId,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(definition.memorySize),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      LAMBDA_TASK_ROOT: definition.codeDir,
      POWERTOOLS_LOG_LEVEL: 'CRITICAL',
      ...variables,
    },
    logOutput: null,
  });
  runtimes.push(started);
  return started;
}

function samEnvironmentFile(): SamEnvironment {
  return JSON.parse(readFileSync(services.envFile, 'utf8')) as SamEnvironment;
}

async function answerOf(
  function_: FunctionRuntime,
  event: unknown,
): Promise<{ statusCode: number; body: Record<string, unknown> }> {
  const outcome = await function_.invoke(event);
  if (outcome.kind !== 'result') throw new Error(`the function failed: ${JSON.stringify(outcome)}`);
  const { statusCode, body } = outcome.result as { statusCode: number; body: string };
  return { statusCode, body: JSON.parse(body) as Record<string, unknown> };
}

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'sam-local-'));
  // The functions run on this machine here, so they reach the services on loopback.
  services = await startLocalServices({
    stateDir,
    endpointHost: '127.0.0.1',
    ports: { dynamoDb: 0, comprehend: 0, eventBridge: 0, secretsManager: 0 },
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(runtimes.map((started) => started.stop()));
  await services.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('the built functions under sam local', () => {
  test('create and read a ticket as the token’s caller', async () => {
    const file = samEnvironmentFile();
    const create = runtime('CreateTicketFunction', { ...file.CreateTicketFunction, AWS_SAM_LOCAL: 'true' });
    const get = runtime('GetTicketFunction', { ...file.GetTicketFunction, AWS_SAM_LOCAL: 'true' });
    const token = await mintIdToken(await loadOrCreateSigningKey(stateDir), {
      sub: 'alice',
      email: 'alice@example.com',
    });

    const created = await answerOf(
      create,
      samLocalEvent({
        method: 'POST',
        path: '/tickets',
        resource: '/tickets',
        token,
        body: { subject: 'Cannot log in', description: 'The login page rejects my password since this morning.' },
      }),
    );
    expect(created.statusCode).toBe(201);
    expect(created.body).toMatchObject({ requester: { id: 'alice', email: 'alice@example.com' } });
    const id = String(created.body.id);

    const read = await answerOf(
      get,
      samLocalEvent({
        method: 'GET',
        path: `/tickets/${id}`,
        resource: '/tickets/{id}',
        pathParameters: { id },
        token,
      }),
    );
    expect(read.statusCode).toBe(200);
    expect(read.body).toMatchObject({ id, requester: { id: 'alice' } });
  }, 60_000);

  test("a list's cursor is signed with the secret the Secrets Manager stand-in serves, and taken back", async () => {
    const file = samEnvironmentFile();
    const create = runtime('CreateTicketFunction', { ...file.CreateTicketFunction, AWS_SAM_LOCAL: 'true' });
    const list = runtime('ListTicketsFunction', { ...file.ListTicketsFunction, AWS_SAM_LOCAL: 'true' });
    const token = await mintIdToken(await loadOrCreateSigningKey(stateDir), { sub: 'bob', email: 'bob@example.com' });
    for (const subject of ['First question', 'Second question']) {
      const created = await answerOf(
        create,
        samLocalEvent({
          method: 'POST',
          path: '/tickets',
          resource: '/tickets',
          token,
          body: { subject, description: 'How do I change my notification settings?' },
        }),
      );
      expect(created.statusCode).toBe(201);
    }
    const page = (query: Record<string, string>) =>
      answerOf(list, samLocalEvent({ method: 'GET', path: '/tickets', resource: '/tickets', query, token }));

    const first = await page({ limit: '1' });
    expect(first.statusCode).toBe(200);
    expect(first.body.items).toMatchObject([{ subject: 'Second question' }]);
    const second = await page({ limit: '1', cursor: String(first.body.nextCursor) });
    expect(second.statusCode).toBe(200);
    expect(second.body.items).toMatchObject([{ subject: 'First question' }]);
  }, 60_000);

  test('without AWS_SAM_LOCAL, as in Lambda, the same file and token give 401', async () => {
    const file = samEnvironmentFile();
    const create = runtime('CreateTicketFunction', { ...file.CreateTicketFunction });
    const token = await mintIdToken(await loadOrCreateSigningKey(stateDir), {
      sub: 'alice',
      email: 'alice@example.com',
    });

    const answer = await answerOf(
      create,
      samLocalEvent({
        method: 'POST',
        path: '/tickets',
        resource: '/tickets',
        token,
        body: { subject: 'a', description: 'b' },
      }),
    );
    expect(answer.statusCode).toBe(401);
  }, 60_000);
});
