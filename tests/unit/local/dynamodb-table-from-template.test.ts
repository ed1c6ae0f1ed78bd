import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launcherCacheKey, type LauncherCacheKeyInputs } from '../../../local/dynamodb/dynamodb-local.js';
import {
  ensureTable,
  readTableDefinition,
  TableDefinitionMismatchError,
  tableDefinitionDifferences,
} from '../../../local/dynamodb/table-from-template.js';
import { onlyResourceOfType, readTemplate } from '../../../scripts/sam-template.js';

/**
 * The local table comes from template.yaml, and an existing one (kept in
 * .local/dynamodb across runs) is used only while it still matches it.
 */

const definition = readTableDefinition();
/** Callers choose the physical name. */
const TABLE_NAME = 'tickets';

describe('readTableDefinition', () => {
  test("reads the template's one table: its logical id, keys, indexes, stream and time to live", () => {
    expect(definition.logicalId).toBe(onlyResourceOfType(readTemplate(), 'AWS::DynamoDB::Table')[0]);
    expect(definition.createTable).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    expect(definition.createTable.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual([
      'byRequester',
      'byStatus',
      'byCreated',
      'byDue',
    ]);
    expect(definition.timeToLive).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });

  test('refuses a template without exactly one table', () => {
    const folder = mkdtempSync(join(tmpdir(), 'table-from-template-'));
    try {
      const path = join(folder, 'template.yaml');
      writeFileSync(path, 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n');
      expect(() => readTableDefinition(path)).toThrow('Expected exactly one AWS::DynamoDB::Table in the template');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

/** What DescribeTable says about a table created from `definition`, as DynamoDB Local answers. */
function describedAsCreated(): TableDescription {
  const { KeySchema, AttributeDefinitions, GlobalSecondaryIndexes } = definition.createTable;
  return {
    TableName: TABLE_NAME,
    TableStatus: 'ACTIVE',
    KeySchema,
    AttributeDefinitions,
    GlobalSecondaryIndexes: GlobalSecondaryIndexes!.map((index) => ({
      ...index,
      IndexStatus: 'ACTIVE',
      ItemCount: 0,
      IndexArn: `arn:aws:dynamodb:ddblocal:000000000000:table/${TABLE_NAME}/index/${index.IndexName}`,
    })),
  };
}

describe('tableDefinitionDifferences', () => {
  test('none for a table created from the template', () => {
    expect(tableDefinitionDifferences(describedAsCreated(), definition)).toEqual([]);
  });

  test('a missing index, an index the template no longer has, another projection', () => {
    const table = describedAsCreated();
    const [byRequester, byStatus] = table.GlobalSecondaryIndexes!;
    table.GlobalSecondaryIndexes = [
      { ...byRequester!, Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['subject', 'status'] } },
      byStatus!,
      { ...byStatus!, IndexName: 'byAssignee' },
    ];
    expect(tableDefinitionDifferences(table, definition)).toEqual([
      "global secondary index byRequester's projection is INCLUDE (status, subject), the template says ALL",
      'global secondary index byCreated is missing',
      'global secondary index byDue is missing',
      'global secondary index byAssignee is not in the template',
    ]);
  });

  test("another key schema, of the table or of an index, and a key attribute's type", () => {
    const table = describedAsCreated();
    table.KeySchema = [{ AttributeName: 'pk', KeyType: 'HASH' }];
    table.GlobalSecondaryIndexes![1] = {
      ...table.GlobalSecondaryIndexes![1]!,
      KeySchema: [{ AttributeName: 'gsi2pk', KeyType: 'HASH' }],
    };
    table.AttributeDefinitions = table.AttributeDefinitions!.map((attribute) =>
      attribute.AttributeName === 'gsi1sk' ? { ...attribute, AttributeType: 'N' } : attribute,
    );
    expect(tableDefinitionDifferences(table, definition)).toEqual([
      'the key schema is pk HASH, the template says pk HASH, sk RANGE',
      'attribute gsi1sk is N, the template says S',
      "global secondary index byStatus's key schema is gsi2pk HASH, the template says gsi2pk HASH, gsi2sk RANGE",
    ]);
  });
});

describe('ensureTable', () => {
  const dynamoDb = mockClient(DynamoDBClient);
  const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });

  beforeEach(() => {
    dynamoDb.reset();
    dynamoDb.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED' } });
  });

  test('creates a missing table from the template', async () => {
    dynamoDb
      .on(DescribeTableCommand)
      .rejectsOnce(Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' }))
      .resolves({ Table: describedAsCreated() });
    await ensureTable(client, TABLE_NAME, definition);
    expect(dynamoDb.commandCalls(CreateTableCommand)[0]?.args[0].input).toEqual({
      ...definition.createTable,
      TableName: TABLE_NAME,
    });
  });

  test('keeps an existing table that matches the template', async () => {
    dynamoDb.on(DescribeTableCommand).resolves({ Table: describedAsCreated() });
    await ensureTable(client, TABLE_NAME, definition);
    expect(dynamoDb.commandCalls(CreateTableCommand)).toHaveLength(0);
    expect(dynamoDb.commandCalls(UpdateTimeToLiveCommand)).toHaveLength(0);
  });

  test('refuses an existing table made from an older template, saying what differs', async () => {
    const older = describedAsCreated();
    older.GlobalSecondaryIndexes = older.GlobalSecondaryIndexes!.slice(0, 2);
    dynamoDb.on(DescribeTableCommand).resolves({ Table: older });
    const failure = ensureTable(client, TABLE_NAME, definition);
    await expect(failure).rejects.toBeInstanceOf(TableDefinitionMismatchError);
    await expect(failure).rejects.toThrow(
      `Table ${TABLE_NAME} was made from an older template.yaml (global secondary index byCreated is missing; global secondary index byDue is missing)`,
    );
    expect(dynamoDb.commandCalls(CreateTableCommand)).toHaveLength(0);
  });
});

describe("DynamoDB Local launcher's cache key", () => {
  const inputs: LauncherCacheKeyInputs = {
    source: 'public final class LoopbackDynamoDbLocal {}',
    javacVersion: 'javac 17.0.15',
    javaVersion: 'openjdk version "17.0.15" 2025-04-15',
    release: 'dynamodb_local_2026-01-16',
  };

  test.each(Object.keys(inputs) as (keyof LauncherCacheKeyInputs)[])('changes with the %s', (changed) => {
    expect(launcherCacheKey({ ...inputs, [changed]: `${inputs[changed]} (other)` })).not.toBe(launcherCacheKey(inputs));
  });

  test('is the same for the same inputs, and a folder name', () => {
    expect(launcherCacheKey({ ...inputs })).toBe(launcherCacheKey(inputs));
    expect(launcherCacheKey(inputs)).toMatch(/^[0-9a-f]{16}$/);
  });
});
