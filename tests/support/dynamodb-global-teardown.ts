/** Stops the DynamoDB Local that dynamodb-global-setup started (loaded as CommonJS, see there). */
import { DYNAMODB_LOCAL_HANDLE, runningDynamoDbLocal } from './dynamodb-global-setup';

export default async function stopTestDynamoDb(): Promise<void> {
  await runningDynamoDbLocal()?.stop();
  Reflect.deleteProperty(globalThis, DYNAMODB_LOCAL_HANDLE);
}
