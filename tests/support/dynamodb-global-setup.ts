/*
 * Starts one DynamoDB Local (in memory, loopback only, on a free port) for the
 * whole integration run. Its endpoint travels to the workers in
 * TEST_DYNAMODB_LOCAL_ENDPOINT; the integration project's setup file
 * (aws-test-environment.ts) turns it into the SDK's standard
 * AWS_ENDPOINT_URL_DYNAMODB for integration tests only, so a unit test that
 * forgot a mock can never reach this database (or AWS).
 *
 * Jest loads this file as CommonJS through a require hook: imports of other
 * TypeScript files are extensionless for that reason.
 */
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb/dynamodb-local';

/** Global setup and teardown run in the same process: the handle travels on globalThis. */
export const DYNAMODB_LOCAL_HANDLE = Symbol.for('aws-support-system.tests.dynamodb-local');

type GlobalWithHandle = typeof globalThis & { [DYNAMODB_LOCAL_HANDLE]?: DynamoDbLocal };

export default async function startTestDynamoDb(_globalConfig: unknown, projectConfig: { rootDir: string }) {
  const dynamoDb = await startDynamoDbLocal({ port: 0, projectRoot: projectConfig.rootDir });
  (globalThis as GlobalWithHandle)[DYNAMODB_LOCAL_HANDLE] = dynamoDb;

  process.env.TEST_DYNAMODB_LOCAL_ENDPOINT = dynamoDb.endpoint;
}

export function runningDynamoDbLocal(): DynamoDbLocal | undefined {
  return (globalThis as GlobalWithHandle)[DYNAMODB_LOCAL_HANDLE];
}
