import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEFAULT_BUILD_DIR } from '../../scripts/build.js';
import { PROJECT_ROOT, TEMPLATE_PATH } from '../../scripts/sam-template.js';
import { readApiDefinition, readFunctionDefinitions, type FunctionDefinition } from '../api/api-definition.js';
import { LocalCognitoAuthorizer } from '../api/cognito-authorizer.js';
import { resolveValue } from '../api/intrinsics.js';
import { FunctionRuntime } from '../api/lambda-runtime/function-runtime.js';
import { startLocalApi, type LocalApi } from '../api/local-api.js';
import {
  DYNAMODB_LOCAL_CREDENTIALS,
  DYNAMODB_LOCAL_REGION,
  startDynamoDbLocal,
  type DynamoDbLocal,
} from '../dynamodb/dynamodb-local.js';
import { ensureTable, readTableDefinition } from '../dynamodb/table-from-template.js';
import { DEFAULT_STATE_DIR, loadOrCreateSigningKey } from '../token/signing-key.js';
import { startChildServer, type ChildServer } from './child-server.js';
import { localStack } from './local-stack.js';
import { assertPortsFree } from './ports.js';

/*
 * The whole system on one machine: DynamoDB Local (data under the state
 * directory), the Comprehend stand-in (a child process), and the local API
 * running the built functions. Started in dependency order, stopped in
 * reverse; a failure half-way stops what already started.
 */

/** The table template.yaml defines (and local/dynamodb/table-from-template.ts reads). */
const TABLE_LOGICAL_ID = 'TicketsTable';

export const DEFAULT_PORTS = { api: 3000, dynamoDb: 8000, comprehend: 4620 } as const;

export interface LocalSystemOptions {
  /** 0 picks a free port (tests); defaults in DEFAULT_PORTS. */
  apiPort?: number;
  dynamoDbPort?: number;
  comprehendPort?: number;
  /** Where data, keys and secrets are kept between runs; `.local/` by default. */
  stateDir?: string;
  /** Where the built functions and layer are (as `sam build` leaves them); .aws-sam/build by default. */
  buildDir?: string;
  /** Template parameter values, like `sam deploy --parameter-overrides`. */
  parameterOverrides?: Record<string, string>;
  /** Function logs, child servers' output and the access log; nothing when null. */
  logOutput?: Writable | null;
  /** Apply the stage's throttling from the template (on by default). */
  throttling?: boolean;
}

export interface LocalSystem {
  apiUrl: string;
  dynamoDbEndpoint: string;
  comprehendEndpoint: string;
  tableName: string;
  stateDir: string;
  /** Process ids of the child processes (DynamoDB Local's JVM is not exposed by its launcher). */
  comprehendPid: number;
  stop(): Promise<void>;
}

/** What the Lambda service puts in every function's environment, with local endpoints and dummy credentials. */
function lambdaEnvironment(definition: FunctionDefinition, endpoints: { dynamoDb: string; comprehend: string }) {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_REGION: DYNAMODB_LOCAL_REGION,
    AWS_DEFAULT_REGION: DYNAMODB_LOCAL_REGION,
    // DynamoDB Local rejects access keys with anything but letters and digits.
    AWS_ACCESS_KEY_ID: DYNAMODB_LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DYNAMODB_LOCAL_CREDENTIALS.secretAccessKey,
    // Never fall through to the instance metadata service looking for real credentials.
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoDb,
    AWS_ENDPOINT_URL_COMPREHEND: endpoints.comprehend,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    // Lambda runs Node 22; on an older local Node the SDK would warn once per cold start.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_LAMBDA_FUNCTION_NAME: definition.logicalId,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(definition.memorySize),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${definition.logicalId}`,
    LAMBDA_TASK_ROOT: definition.codeDir,
    ...definition.environment,
  };
}

export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const ports = {
    api: options.apiPort ?? DEFAULT_PORTS.api,
    dynamoDb: options.dynamoDbPort ?? DEFAULT_PORTS.dynamoDb,
    comprehend: options.comprehendPort ?? DEFAULT_PORTS.comprehend,
  };
  await assertPortsFree([
    { name: 'local API', port: ports.api, setting: 'PORT' },
    { name: 'DynamoDB Local', port: ports.dynamoDb, setting: 'DYNAMODB_PORT' },
    { name: 'Comprehend stand-in', port: ports.comprehend, setting: 'COMPREHEND_PORT' },
  ]);

  const stateDir = options.stateDir ?? DEFAULT_STATE_DIR;
  const buildDir = options.buildDir ?? DEFAULT_BUILD_DIR;
  const output = options.logOutput ?? null;
  // Read everything from the template first: a mistake there fails before any process starts.
  const stack = localStack({ region: DYNAMODB_LOCAL_REGION, stateDir, parameterOverrides: options.parameterOverrides });
  const api = readApiDefinition(stack);
  const definitions = readFunctionDefinitions(stack, buildDir);
  const tableName = String(resolveValue({ Ref: TABLE_LOGICAL_ID }, stack));

  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    // Reverse order: the API stops taking requests before its dependencies go.
    for (const stopOne of stoppers.splice(0).reverse()) await stopOne().catch(() => undefined);
  };
  try {
    const dynamoDbData = join(stateDir, 'dynamodb');
    mkdirSync(dynamoDbData, { recursive: true });
    const [dynamoDb, comprehend] = await Promise.all([
      startDynamoDbLocal({ port: ports.dynamoDb, dbPath: dynamoDbData, projectRoot: PROJECT_ROOT }).then((started) => {
        stoppers.push(() => started.stop());
        return started;
      }),
      startComprehend(ports.comprehend, output).then((started) => {
        stoppers.push(() => started.stop());
        return started;
      }),
    ]);
    await createTable(dynamoDb, tableName);

    const endpoints = { dynamoDb: dynamoDb.endpoint, comprehend: comprehend.ready };
    const functions = new Map(
      definitions.map((definition) => [
        definition.logicalId,
        new FunctionRuntime(definition, {
          layerDir: join(buildDir, 'SharedLayer'),
          environment: lambdaEnvironment(definition, endpoints),
          logOutput: output,
        }),
      ]),
    );
    stoppers.push(async () => {
      await Promise.all([...functions.values()].map((runtime) => runtime.stop()));
    });
    const localApi: LocalApi = await startLocalApi({
      port: ports.api,
      api,
      functions,
      authorizer: new LocalCognitoAuthorizer(await loadOrCreateSigningKey(stateDir)),
      accessLog: output,
      throttling: options.throttling,
    });
    stoppers.push(() => localApi.stop());

    return {
      apiUrl: localApi.url,
      dynamoDbEndpoint: dynamoDb.endpoint,
      comprehendEndpoint: comprehend.ready,
      tableName,
      stateDir,
      comprehendPid: comprehend.pid,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function startComprehend(port: number, output: Writable | null): Promise<ChildServer> {
  return startChildServer({
    name: 'comprehend',
    command: process.execPath,
    args: [
      '--import',
      new URL('./exit-with-parent.mjs', import.meta.url).href,
      '--import',
      'tsx',
      join(PROJECT_ROOT, 'local', 'comprehend', 'main.ts'),
      '--port',
      String(port),
    ],
    cwd: PROJECT_ROOT,
    // Not inherited: a fault setting meant for a test elsewhere must not leak in.
    env: { ...process.env, COMPREHEND_STAND_IN_FAULT: undefined, NODE_OPTIONS: undefined },
    readyLine: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    output,
  });
}

async function createTable(dynamoDb: DynamoDbLocal, tableName: string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint: dynamoDb.endpoint,
    region: DYNAMODB_LOCAL_REGION,
    credentials: DYNAMODB_LOCAL_CREDENTIALS,
  });
  try {
    await ensureTable(client, tableName, readTableDefinition(TEMPLATE_PATH));
  } finally {
    client.destroy();
  }
}
