/*
 * The integration project's setup file, after aws-test-environment.ts: points
 * the SDK's DynamoDB endpoint at the DynamoDB Local that the project's global
 * setup started.
 */
const endpoint = process.env.TEST_DYNAMODB_LOCAL_ENDPOINT;
if (!endpoint) {
  throw new Error(
    'TEST_DYNAMODB_LOCAL_ENDPOINT is not set: the integration global setup did not start DynamoDB Local.',
  );
}
process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
