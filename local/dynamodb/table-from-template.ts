import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type KeySchemaElement,
  type Projection,
  type TableDescription,
  type TimeToLiveSpecification,
} from '@aws-sdk/client-dynamodb';
// Extensionless: also loaded as CommonJS by jest's global setup (see dynamodb-local.ts).
import { onlyResourceOfType, parseTemplate } from '../../scripts/cloudformation-template';
import { LocalSystemError } from '../system/errors';

/*
 * template.yaml is the only definition of the tickets table, its one
 * AWS::DynamoDB::Table. Local runs and tests create their tables from it, so
 * the table they exercise cannot drift from the one deployed.
 */

export interface TableDefinition {
  /** The table's logical id in the template. */
  logicalId: string;
  /** Everything CreateTable needs except the name, which each caller chooses. */
  createTable: Omit<CreateTableCommandInput, 'TableName'>;
  timeToLive: TimeToLiveSpecification | null;
}

/** The nearest directory at or above `from` that holds template.yaml: the SAM project. */
export function findProjectRoot(from: string = process.cwd()): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'template.yaml'))) return dir;
    if (dirname(dir) === dir) {
      throw new Error(`No template.yaml found in ${from} or any directory above it.`);
    }
  }
}

export function defaultTemplatePath(): string {
  return join(findProjectRoot(), 'template.yaml');
}

export function readTableDefinition(templatePath: string = defaultTemplatePath()): TableDefinition {
  const template = parseTemplate(readFileSync(templatePath, 'utf8'));
  const [logicalId, resource] = onlyResourceOfType(template, 'AWS::DynamoDB::Table');
  if (!resource.Properties) throw new Error(`${templatePath}: ${logicalId} has no Properties.`);
  return toTableDefinition(logicalId, resource.Properties as TableProperties);
}

/** An existing table whose keys or indexes are not the ones template.yaml defines. */
export class TableDefinitionMismatchError extends LocalSystemError {
  override name = 'TableDefinitionMismatchError';

  constructor(
    readonly tableName: string,
    readonly differences: readonly string[],
  ) {
    super(
      `Table ${tableName} was made from an older template.yaml (${differences.join('; ')}); ` +
        'delete its data to have it created afresh.',
    );
  }
}

/**
 * Creates the table if it does not exist, waits until it is ACTIVE and enables
 * its TTL. Safe to call again, and from several processes at once. An existing
 * table is kept only if its keys and indexes are those of the definition;
 * otherwise TableDefinitionMismatchError says what differs.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  definition: TableDefinition = readTableDefinition(),
): Promise<void> {
  const existing = await describeTable(client, tableName);
  if (existing) {
    const differences = tableDefinitionDifferences(existing, definition);
    if (differences.length > 0) throw new TableDefinitionMismatchError(tableName, differences);
  } else {
    await createTable(client, tableName, definition);
  }
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
  if (definition.timeToLive) {
    await enableTimeToLive(client, tableName, definition.timeToLive);
  }
}

async function describeTable(client: DynamoDBClient, tableName: string): Promise<TableDescription | null> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table ?? null;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return null;
    throw error;
  }
}

/**
 * What differs between an existing table and the definition, in what shapes
 * its data: the key schema, the key attributes' types and each secondary
 * index's keys and projection. Empty when they agree.
 */
export function tableDefinitionDifferences(table: TableDescription, definition: TableDefinition): string[] {
  const wanted = definition.createTable;
  const differences: string[] = [];
  const compare = (what: string, actual: string, expected: string) => {
    if (actual !== expected) differences.push(`${what} is ${actual}, the template says ${expected}`);
  };
  compare('the key schema', keySchemaText(table.KeySchema), keySchemaText(wanted.KeySchema));

  const attributeTypes = (list: { AttributeName?: string; AttributeType?: string }[] | undefined) =>
    new Map((list ?? []).map(({ AttributeName, AttributeType }) => [AttributeName, AttributeType]));
  const actualTypes = attributeTypes(table.AttributeDefinitions);
  for (const [name, type] of attributeTypes(wanted.AttributeDefinitions)) {
    if (actualTypes.has(name)) compare(`attribute ${name}`, String(actualTypes.get(name)), String(type));
  }

  for (const [kind, actual, expected] of [
    ['global secondary index', table.GlobalSecondaryIndexes, wanted.GlobalSecondaryIndexes],
    ['local secondary index', table.LocalSecondaryIndexes, wanted.LocalSecondaryIndexes],
  ] as const) {
    const byName = (list: readonly IndexShape[] | undefined) =>
      new Map((list ?? []).map((index) => [index.IndexName, index]));
    const actualIndexes = byName(actual);
    const expectedIndexes = byName(expected);
    for (const [name, index] of expectedIndexes) {
      const found = actualIndexes.get(name);
      if (!found) {
        differences.push(`${kind} ${name} is missing`);
        continue;
      }
      compare(`${kind} ${name}'s key schema`, keySchemaText(found.KeySchema), keySchemaText(index.KeySchema));
      compare(`${kind} ${name}'s projection`, projectionText(found.Projection), projectionText(index.Projection));
    }
    for (const name of actualIndexes.keys()) {
      if (!expectedIndexes.has(name)) differences.push(`${kind} ${name} is not in the template`);
    }
  }
  return differences;
}

interface IndexShape {
  IndexName?: string;
  KeySchema?: KeySchemaElement[];
  Projection?: Projection;
}

function keySchemaText(keys: KeySchemaElement[] | undefined): string {
  return (keys ?? []).map(({ AttributeName, KeyType }) => `${AttributeName} ${KeyType}`).join(', ') || 'none';
}

function projectionText(projection: Projection | undefined): string {
  const type = projection?.ProjectionType ?? 'ALL';
  const attributes = [...(projection?.NonKeyAttributes ?? [])].sort();
  return attributes.length > 0 ? `${type} (${attributes.join(', ')})` : type;
}

async function createTable(client: DynamoDBClient, tableName: string, definition: TableDefinition): Promise<void> {
  try {
    await client.send(new CreateTableCommand({ ...definition.createTable, TableName: tableName }));
  } catch (error) {
    // Another process created it between our describe and create.
    if (errorName(error) !== 'ResourceInUseException') throw error;
  }
}

async function enableTimeToLive(
  client: DynamoDBClient,
  tableName: string,
  spec: TimeToLiveSpecification,
): Promise<void> {
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = current.TimeToLiveDescription?.TimeToLiveStatus;
  // UpdateTimeToLive rejects a request that would not change anything.
  const alreadyEnabled = status === 'ENABLED' || status === 'ENABLING';
  if (spec.Enabled === alreadyEnabled) return;
  await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: spec }));
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

// ---------------------------------------------------------------------------
// Template → CreateTable input

/** What this file reads of the table resource's Properties. */
interface TableProperties extends Record<string, unknown> {
  AttributeDefinitions: CreateTableCommandInput['AttributeDefinitions'];
  KeySchema: CreateTableCommandInput['KeySchema'];
  GlobalSecondaryIndexes?: IndexProperties[];
  LocalSecondaryIndexes?: IndexProperties[];
  StreamSpecification?: { StreamViewType: 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY' };
  TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
}

interface IndexProperties {
  IndexName: string;
  KeySchema: NonNullable<CreateTableCommandInput['KeySchema']>;
  Projection: { ProjectionType?: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] };
}

/**
 * Copies only what shapes the table's data and behavior. Encryption, point-in-time
 * recovery and deletion protection are account settings DynamoDB Local ignores;
 * billing is always on demand, as in the template.
 */
function toTableDefinition(logicalId: string, properties: TableProperties): TableDefinition {
  const indexes = (list: IndexProperties[] | undefined) =>
    list?.map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection }));
  const stream = properties.StreamSpecification;
  return {
    logicalId,
    createTable: {
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: properties.AttributeDefinitions,
      KeySchema: properties.KeySchema,
      GlobalSecondaryIndexes: indexes(properties.GlobalSecondaryIndexes),
      LocalSecondaryIndexes: indexes(properties.LocalSecondaryIndexes),
      StreamSpecification: stream ? { StreamEnabled: true, StreamViewType: stream.StreamViewType } : undefined,
    },
    timeToLive: properties.TimeToLiveSpecification
      ? {
          AttributeName: properties.TimeToLiveSpecification.AttributeName,
          Enabled: properties.TimeToLiveSpecification.Enabled,
        }
      : null,
  };
}
