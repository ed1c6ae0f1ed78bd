/*
 * Starts one DynamoDB Local (in memory, loopback only, on a free port) for the
 * whole integration run. Workers inherit the environment set here, so both the
 * test helpers and code that builds its own SDK clients (createDocumentClient)
 * reach it through the SDK's standard AWS_ENDPOINT_URL_DYNAMODB, and never AWS.
 *
 * Jest loads this file as CommonJS through a require hook: imports of other
 * TypeScript files are extensionless for that reason.
 */
import {
  DYNAMODB_LOCAL_CREDENTIALS,
  DYNAMODB_LOCAL_REGION,
  startDynamoDbLocal,
  type DynamoDbLocal,
} from '../../local/dynamodb/dynamodb-local';

/** Global setup and teardown run in the same process: the handle travels on globalThis. */
export const DYNAMODB_LOCAL_HANDLE = Symbol.for('aws-support-system.tests.dynamodb-local');

type GlobalWithHandle = typeof globalThis & { [DYNAMODB_LOCAL_HANDLE]?: DynamoDbLocal };

export default async function startTestDynamoDb(_globalConfig: unknown, projectConfig: { rootDir: string }) {
  const dynamoDb = await startDynamoDbLocal({ port: 0, projectRoot: projectConfig.rootDir });
  (globalThis as GlobalWithHandle)[DYNAMODB_LOCAL_HANDLE] = dynamoDb;

  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
    AWS_REGION: DYNAMODB_LOCAL_REGION,
    AWS_ACCESS_KEY_ID: DYNAMODB_LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DYNAMODB_LOCAL_CREDENTIALS.secretAccessKey,
  });
  // A session token or profile from the developer's shell must not mix with the dummy keys.
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}

export function runningDynamoDbLocal(): DynamoDbLocal | undefined {
  return (globalThis as GlobalWithHandle)[DYNAMODB_LOCAL_HANDLE];
}
