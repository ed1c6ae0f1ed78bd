import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDbLocalClient } from '../../local/dynamodb/dynamodb-local.js';
import { ensureTable } from '../../local/dynamodb/table-from-template.js';

export interface TestTable {
  tableName: string;
  endpoint: string;
  client: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
}

/**
 * A fresh tickets table, defined by template.yaml, in the DynamoDB Local that
 * the integration project's global setup started. Each call gets its own table,
 * so test files running in parallel never see each other's items.
 */
export async function createTestTable(label: string): Promise<TestTable> {
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  if (!endpoint) {
    // Never fall back to the SDK's default endpoint: that would be real AWS.
    throw new Error(
      'AWS_ENDPOINT_URL_DYNAMODB is not set: run integration tests through jest (--selectProjects integration).',
    );
  }
  const tableName = `${label.replace(/[^a-zA-Z0-9_.-]/g, '-')}-${randomUUID().slice(0, 8)}`;
  const client = dynamoDbLocalClient(endpoint);
  await ensureTable(client, tableName);
  const documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
  return { tableName, endpoint, client, documentClient };
}
