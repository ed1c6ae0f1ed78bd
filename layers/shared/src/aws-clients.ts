import type { ComprehendClient } from '@aws-sdk/client-comprehend';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from './config.js';
import { tracer } from './tracer.js';

/*
 * SDK clients, each created once per execution environment by the composition
 * root when first needed. Each loads its SDK package then: a function loads
 * the clients it uses and no other, and none while it starts.
 *
 * Endpoints come from the SDK's own AWS_ENDPOINT_URL_DYNAMODB /
 * AWS_ENDPOINT_URL_COMPREHEND / AWS_ENDPOINT_URL_EVENTBRIDGE variables, so the
 * same code talks to AWS in Lambda and to the local stand-ins on a developer
 * machine.
 *
 * Timeouts are hard (`throwOnRequestTimeout`: without it the SDK only warns
 * and waits for the socket's own five-minute timeout) and sized so that every
 * attempt of a call together ends well inside the function's timeout: a slow
 * dependency becomes a quick 503 or a pending analysis, never a Lambda timeout.
 *
 * Each client is captured by the tracer: every call is a subsegment of the
 * invocation's trace (where tracing is on; see tracer.ts).
 */

/** DynamoDB answers in milliseconds; a second per attempt is already a sick dependency. */
const DYNAMODB_ATTEMPTS = 3;
const DYNAMODB_ATTEMPT_TIMEOUT_MS = 1_000;

export async function createDocumentClient(): Promise<DynamoDBDocumentClient> {
  const [{ DynamoDBClient, DynamoDBDocumentClient }, xray] = await Promise.all([import('./dynamodb-sdk.js'), tracer()]);
  const client = xray.captureAWSv3Client(
    new DynamoDBClient({
      maxAttempts: DYNAMODB_ATTEMPTS,
      requestHandler: {
        connectionTimeout: 500,
        requestTimeout: DYNAMODB_ATTEMPT_TIMEOUT_MS,
        throwOnRequestTimeout: true,
      },
    }),
  );
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
}

/** Each attempt gets its share of the analysis deadline, so a retry can still happen inside it. */
export async function createComprehendClient(config: Config): Promise<ComprehendClient> {
  const { deadlineMs, maxAttempts } = config.comprehend;
  const [{ ComprehendClient }, xray] = await Promise.all([import('./comprehend-sdk.js'), tracer()]);
  return xray.captureAWSv3Client(
    new ComprehendClient({
      maxAttempts,
      requestHandler: {
        connectionTimeout: 500,
        requestTimeout: Math.max(250, Math.floor(deadlineMs / maxAttempts)),
        throwOnRequestTimeout: true,
      },
    }),
  );
}

/**
 * For completing analyses from the stream: one attempt per send, because the
 * caller retries with its own backoff (analysis/comprehend-batch.ts) and SDK
 * retries would multiply with them.
 */
export async function createComprehendBatchClient(config: Config): Promise<ComprehendClient> {
  const [{ ComprehendClient }, xray] = await Promise.all([import('./comprehend-sdk.js'), tracer()]);
  return xray.captureAWSv3Client(
    new ComprehendClient({
      maxAttempts: 1,
      requestHandler: {
        connectionTimeout: 500,
        requestTimeout: config.analysisCompletion.attemptTimeoutMs,
        throwOnRequestTimeout: true,
      },
    }),
  );
}

/**
 * For publishing the table's changes: no client waits, and a call that still
 * fails leaves its records for Lambda to retry, so a few SDK attempts are enough.
 */
export async function createEventBridgeClient(): Promise<EventBridgeClient> {
  const [{ EventBridgeClient }, xray] = await Promise.all([import('./eventbridge-sdk.js'), tracer()]);
  return xray.captureAWSv3Client(
    new EventBridgeClient({
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 1_000, requestTimeout: 5_000, throwOnRequestTimeout: true },
    }),
  );
}
