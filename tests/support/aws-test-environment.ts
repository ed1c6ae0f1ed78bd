/*
 * Runs before every test file (jest setupFiles). No test may ever reach real
 * AWS: an SDK client a test creates without an explicit endpoint talks to a
 * closed loopback port (the integration project then points DynamoDB at
 * DynamoDB Local, see dynamodb-test-environment.ts), with dummy credentials
 * (letters and digits only, as DynamoDB Local requires) no AWS account accepts.
 */
import { DYNAMODB_LOCAL_CREDENTIALS, DYNAMODB_LOCAL_REGION } from '../../local/dynamodb/dynamodb-local.js';

/** Port 9 (discard) on loopback: nothing listens there, so a call fails at once. */
const NOWHERE = 'http://127.0.0.1:9';

Object.assign(process.env, {
  AWS_REGION: DYNAMODB_LOCAL_REGION,
  AWS_ACCESS_KEY_ID: DYNAMODB_LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: DYNAMODB_LOCAL_CREDENTIALS.secretAccessKey,
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ENDPOINT_URL_DYNAMODB: NOWHERE,
  AWS_ENDPOINT_URL_COMPREHEND: NOWHERE,
  AWS_ENDPOINT_URL_EVENTBRIDGE: NOWHERE,
  AWS_ENDPOINT_URL_SECRETS_MANAGER: NOWHERE,
});
// A session token or profile from the developer's shell must not mix with the dummy keys.
delete process.env.AWS_SESSION_TOKEN;
delete process.env.AWS_PROFILE;
