/*
 * The SDK classes aws-clients.ts makes the DynamoDB client with, loaded by its
 * dynamic import on first use. Named here so that the bundle keeps only these
 * (a dynamic import of the package itself would keep every command of it).
 */
export { DynamoDBClient } from '@aws-sdk/client-dynamodb';
export { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
