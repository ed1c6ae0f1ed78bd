import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { LambdaStreamRecord, ShardDescription, ShardPosition, StreamSource } from './stream-poller.js';

/*
 * DynamoDB Local's stream of one table, through the DynamoDB Streams API
 * (DescribeStream, GetShardIterator, GetRecords), as Lambda's poller reads it.
 */

export interface DynamoDbStreamSourceOptions {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  tableName: string;
}

/** GetRecords' own maximum; the poller batches what it reads. */
const RECORDS_PER_READ = 1000;

export async function openDynamoDbStream(options: DynamoDbStreamSourceOptions): Promise<DynamoDbStreamSource> {
  const { endpoint, region, credentials } = options;
  const tables = new DynamoDBClient({ endpoint, region, credentials });
  try {
    const { Table } = await tables.send(new DescribeTableCommand({ TableName: options.tableName }));
    if (!Table?.LatestStreamArn)
      throw new Error(`Table ${options.tableName} has no stream; template.yaml gives it one.`);
    return new DynamoDbStreamSource(
      new DynamoDBStreamsClient({ endpoint, region, credentials }),
      Table.LatestStreamArn,
      region,
    );
  } finally {
    tables.destroy();
  }
}

export class DynamoDbStreamSource implements StreamSource {
  constructor(
    private readonly client: DynamoDBStreamsClient,
    readonly streamArn: string,
    private readonly region: string,
  ) {}

  async shards(): Promise<ShardDescription[]> {
    const shards: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.client.send(
        new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return shards.flatMap((shard) =>
      shard.ShardId
        ? [{ shardId: shard.ShardId, ...(shard.ParentShardId && { parentShardId: shard.ParentShardId }) }]
        : [],
    );
  }

  async iterator(shardId: string, position: ShardPosition): Promise<string> {
    const { ShardIterator } = await this.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: shardId,
        ShardIteratorType: position.type,
        SequenceNumber: position.type === 'AFTER_SEQUENCE_NUMBER' ? position.sequenceNumber : undefined,
      }),
    );
    if (!ShardIterator) throw new Error(`No iterator for shard ${shardId}.`);
    return ShardIterator;
  }

  async records(iterator: string): Promise<{ records: LambdaStreamRecord[]; nextIterator: string | null }> {
    const { Records, NextShardIterator } = await this.client.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: RECORDS_PER_READ }),
    );
    return {
      records: (Records ?? []).map((record) => this.#asLambdaRecord(record)),
      nextIterator: NextShardIterator ?? null,
    };
  }

  stop(): void {
    this.client.destroy();
  }

  /** The record as Lambda hands it over: creation time in epoch seconds, the stream's ARN added. */
  #asLambdaRecord(record: _Record): LambdaStreamRecord {
    const change = record.dynamodb ?? {};
    const created = change.ApproximateCreationDateTime;
    return {
      eventID: record.eventID ?? '',
      eventName: record.eventName ?? '',
      eventVersion: record.eventVersion ?? '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: record.awsRegion ?? this.region,
      eventSourceARN: this.streamArn,
      dynamodb: {
        ...(created !== undefined && { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) }),
        Keys: change.Keys,
        NewImage: change.NewImage,
        OldImage: change.OldImage,
        SequenceNumber: change.SequenceNumber ?? '',
        SizeBytes: change.SizeBytes,
        StreamViewType: change.StreamViewType,
      },
    };
  }
}
