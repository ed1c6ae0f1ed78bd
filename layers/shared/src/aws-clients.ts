import { ComprehendClient } from '@aws-sdk/client-comprehend';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from './config.js';

/*
 * SDK clients, created once per cold start. Endpoints come from the SDK's own
 * AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_COMPREHEND variables, so the same
 * code talks to AWS in Lambda and to the local stand-ins on a developer machine.
 * Timeouts are bounded so that a slow dependency turns into a quick, clear
 * answer (503 or a pending analysis) instead of a Lambda timeout.
 */

export function createDocumentClient(): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
}

export function createComprehendClient(config: Config): ComprehendClient {
  return new ComprehendClient({
    maxAttempts: config.comprehend.maxAttempts,
    requestHandler: {
      connectionTimeout: 500,
      requestTimeout: config.comprehend.deadlineMs,
    },
  });
}
