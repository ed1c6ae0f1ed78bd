import { ComprehendClient } from '@aws-sdk/client-comprehend';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from './config.js';
import { tracer } from './tracer.js';

/*
 * SDK clients, created once per cold start. Endpoints come from the SDK's own
 * AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_COMPREHEND /
 * AWS_ENDPOINT_URL_EVENTBRIDGE variables, so the same
 * code talks to AWS in Lambda and to the local stand-ins on a developer machine.
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

export function createDocumentClient(): DynamoDBDocumentClient {
  const client = tracer.captureAWSv3Client(
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
export function createComprehendClient(config: Config): ComprehendClient {
  const { deadlineMs, maxAttempts } = config.comprehend;
  return tracer.captureAWSv3Client(
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
export function createComprehendBatchClient(config: Config): ComprehendClient {
  return tracer.captureAWSv3Client(
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
export function createEventBridgeClient(): EventBridgeClient {
  return tracer.captureAWSv3Client(
    new EventBridgeClient({
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 1_000, requestTimeout: 5_000, throwOnRequestTimeout: true },
    }),
  );
}
