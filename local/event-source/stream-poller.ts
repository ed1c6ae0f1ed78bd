import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import type { InvocationOutcome } from '../api/lambda-runtime/function-runtime.js';
import { passesFilters } from './event-filter.js';
import type { StreamEventSourceMapping } from './event-source-mapping.js';

/*
 * What Lambda's event source mapping does with a DynamoDB stream, for one
 * mapping of template.yaml: reads every shard, filters records with the
 * mapping's FilterCriteria, gathers them into batches (BatchSize,
 * MaximumBatchingWindowInSeconds) and invokes the function with them. A
 * failed batch is retried with backoff: from the first record the function
 * names in batchItemFailures (ReportBatchItemFailures), split in two when the
 * function itself failed (BisectBatchOnFunctionError). After
 * MaximumRetryAttempts (-1: no count, as in the template), or once its
 * records are older than MaximumRecordAgeInSeconds, the batch's description
 * goes to the on-failure destination (locally a JSON-lines file) and the
 * shard moves on.
 */

/** A stream record as Lambda delivers it to the function. */
export interface LambdaStreamRecord {
  eventID: string;
  eventName: string;
  eventVersion: string;
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  eventSourceARN: string;
  dynamodb: {
    ApproximateCreationDateTime?: number;
    Keys?: Record<string, unknown>;
    NewImage?: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
    SequenceNumber: string;
    SizeBytes?: number;
    StreamViewType?: string;
  };
}

export interface ShardDescription {
  shardId: string;
  parentShardId?: string;
}

export type ShardPosition =
  { type: 'TRIM_HORIZON' | 'LATEST' } | { type: 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string };

/** The stream, as DynamoDB Streams' DescribeStream, GetShardIterator and GetRecords give it. */
export interface StreamSource {
  readonly streamArn: string;
  shards(): Promise<ShardDescription[]>;
  iterator(shardId: string, position: ShardPosition): Promise<string>;
  /** `nextIterator` null: the shard is closed and fully read. */
  records(iterator: string): Promise<{ records: LambdaStreamRecord[]; nextIterator: string | null }>;
}

export interface StreamInvoker {
  invoke(event: { Records: LambdaStreamRecord[] }): Promise<InvocationOutcome>;
}

export interface StreamPollerOptions {
  mapping: StreamEventSourceMapping;
  source: StreamSource;
  function: StreamInvoker;
  region: string;
  /** Where batches that failed beyond their retries are described, one JSON object a line. */
  deadLetterFile: string;
  /** Where the position reached in each shard is kept, so a restart does not deliver again. */
  checkpointFile: string;
  logOutput: Writable | null;
  /** How often an idle shard is read (Lambda reads a DynamoDB stream about four times a second). */
  pollIntervalMs?: number;
  retryBackoff?: { baseMs: number; maxMs: number };
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
  /** In [0, 1), for the backoff's jitter; Math.random otherwise. */
  random?: () => number;
}

interface ShardState {
  shardId: string;
  iterator: string | null;
  /** Read but not yet delivered: the batch being gathered. */
  buffer: LambdaStreamRecord[];
  bufferSince: number;
  /** The last record read, matched or not. */
  lastRead: string | null;
  closed: boolean;
}

/** Thrown out of a delivery when the poller stops: the batch is neither done nor dead-lettered. */
class Stopped extends Error {
  override name = 'Stopped';
}

const DEFAULT_POLL_INTERVAL_MS = 250;
const RETRY_READ_AFTER_MS = 1_000;
const DEFAULT_BACKOFF = { baseMs: 250, maxMs: 5_000 };

export class StreamPoller {
  readonly #options: StreamPollerOptions;
  readonly #mapping: StreamEventSourceMapping;
  readonly #shards = new Map<string, ShardState>();
  readonly #finished = new Set<string>();
  readonly #checkpoints: Record<string, string>;
  readonly #stopping = new AbortController();
  #running: Promise<void> | null = null;

  constructor(options: StreamPollerOptions) {
    this.#options = options;
    this.#mapping = options.mapping;
    this.#checkpoints = readCheckpoints(options.checkpointFile, options.source.streamArn);
  }

  start(): void {
    this.#running ??= this.#run().catch((error: unknown) => {
      if (error instanceof Stopped) return;
      this.#log(`stopped reading the stream: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /** Stops reading; an invocation in flight is not waited for (its runtime is stopped after this). */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#running;
  }

  /** Read through a call: stop() sets it while the loops below await. */
  #isStopping(): boolean {
    return this.#stopping.signal.aborted;
  }

  async #run(): Promise<void> {
    let failing = false;
    while (!this.#isStopping()) {
      let busy = false;
      try {
        await this.#discoverShards();
        for (const shard of this.#shards.values()) {
          if (await this.#pollShard(shard)) busy = true;
        }
        failing = false;
      } catch (error) {
        if (error instanceof Stopped || this.#isStopping()) return;
        // A stream read failed (an expired iterator, DynamoDB Local restarting): read again from where delivery got to.
        if (!failing) this.#log(`reading the stream failed (${describeError(error)}); retrying`);
        failing = true;
        this.#forgetUndeliveredShards();
        await this.#sleep(RETRY_READ_AFTER_MS);
        continue;
      }
      if (!busy) await this.#sleep(this.#options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
    }
  }

  /** Shards are found again and read from their checkpoints; records read but not delivered are read again. */
  #forgetUndeliveredShards(): void {
    this.#shards.clear();
  }

  /** New shards are read once their parent is (records of one item stay in order across a split). */
  async #discoverShards(): Promise<void> {
    for (const shard of await this.#options.source.shards()) {
      if (this.#shards.has(shard.shardId) || this.#finished.has(shard.shardId)) continue;
      if (shard.parentShardId && this.#shards.has(shard.parentShardId)) continue;
      const checkpoint = this.#checkpoints[shard.shardId];
      const position: ShardPosition = checkpoint
        ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: checkpoint }
        : // A child shard is read from its start: its parent was read to the end.
          {
            type:
              shard.parentShardId && this.#finished.has(shard.parentShardId)
                ? 'TRIM_HORIZON'
                : this.#mapping.startingPosition,
          };
      this.#shards.set(shard.shardId, {
        shardId: shard.shardId,
        iterator: await this.#options.source.iterator(shard.shardId, position),
        buffer: [],
        bufferSince: 0,
        lastRead: checkpoint ?? null,
        closed: false,
      });
    }
  }

  /** Reads once and delivers a batch if one is due; whether there was anything to do. */
  async #pollShard(shard: ShardState): Promise<boolean> {
    let read = 0;
    if (shard.iterator !== null && shard.buffer.length < this.#mapping.batchSize) {
      const { records, nextIterator } = await this.#options.source.records(shard.iterator);
      shard.iterator = nextIterator;
      shard.closed = nextIterator === null;
      read = records.length;
      for (const record of records) {
        shard.lastRead = record.dynamodb.SequenceNumber;
        if (!passesFilters(record, this.#mapping.filters)) continue;
        if (shard.buffer.length === 0) shard.bufferSince = this.#now();
        shard.buffer.push(record);
      }
    }
    const windowOver = this.#now() - shard.bufferSince >= this.#mapping.maximumBatchingWindowSeconds * 1000;
    const due =
      shard.buffer.length > 0 && (shard.buffer.length >= this.#mapping.batchSize || windowOver || shard.closed);
    if (due) {
      const batch = shard.buffer.splice(0, this.#mapping.batchSize);
      await this.#deliver(shard.shardId, batch);
    }
    // Records the filter passed over are done with as soon as nothing before them waits.
    if (shard.buffer.length === 0 && shard.lastRead !== null) this.#checkpoint(shard.shardId, shard.lastRead);
    if (shard.closed && shard.buffer.length === 0) {
      this.#shards.delete(shard.shardId);
      this.#finished.add(shard.shardId);
    }
    return read > 0 || due;
  }

  /**
   * Invokes the function until the batch succeeds, is dead-lettered, or the
   * poller stops. Bisecting does not count as a retry, as in Lambda.
   */
  async #deliver(shardId: string, batch: LambdaStreamRecord[]): Promise<void> {
    let remaining = batch;
    let invocations = 0;
    let lastOutcome: InvocationOutcome | null = null;
    for (let retries = 0; ; retries++) {
      if (retries > 0) await this.#sleep(this.#backoff(retries));
      if (this.#isStopping()) throw new Stopped();
      if (this.#tooOld(remaining)) {
        this.#deadLetter(shardId, remaining, 'RecordAgeExceeded', invocations, lastOutcome);
        return;
      }

      const outcome = await this.#options.function.invoke({ Records: remaining });
      invocations += 1;
      lastOutcome = outcome;
      if (this.#isStopping()) throw new Stopped();

      if (outcome.kind === 'result') {
        const firstFailed = this.#firstFailedIndex(remaining, outcome.result);
        if (firstFailed === null) return;
        this.#log(`${remaining.length - firstFailed} of ${remaining.length} records to retry (batchItemFailures)`);
        remaining = remaining.slice(firstFailed);
      } else {
        this.#log(
          `invocation failed (${outcome.kind === 'error' ? outcome.errorType : 'timeout'}) for ${remaining.length} records`,
        );
        if (this.#mapping.bisectBatchOnFunctionError && remaining.length > 1) {
          const half = Math.ceil(remaining.length / 2);
          await this.#deliver(shardId, remaining.slice(0, half));
          await this.#deliver(shardId, remaining.slice(half));
          return;
        }
      }
      const limit = this.#mapping.maximumRetryAttempts;
      if (limit >= 0 && retries >= limit) {
        this.#deadLetter(shardId, remaining, 'RetryAttemptsExhausted', invocations, lastOutcome);
        return;
      }
    }
  }

  /**
   * The index in `batch` to retry from, or null when nothing failed. Without
   * ReportBatchItemFailures a successful invocation is success for the whole
   * batch; with it, an identifier that names no record of the batch fails the
   * whole batch, as in Lambda.
   */
  #firstFailedIndex(batch: LambdaStreamRecord[], result: unknown): number | null {
    if (!this.#mapping.reportBatchItemFailures) return null;
    const failures = (result as { batchItemFailures?: unknown } | null)?.batchItemFailures;
    if (failures === undefined || failures === null) return null;
    if (!Array.isArray(failures)) return 0;
    if (failures.length === 0) return null;
    const indices = failures.map((failure) => {
      const identifier = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
      return batch.findIndex((record) => record.dynamodb.SequenceNumber === identifier);
    });
    return indices.some((index) => index < 0) ? 0 : Math.min(...indices);
  }

  /** Whether the batch's first (oldest) record is older than the mapping's maximum record age. */
  #tooOld(batch: LambdaStreamRecord[]): boolean {
    const limit = this.#mapping.maximumRecordAgeSeconds;
    const created = batch[0]?.dynamodb.ApproximateCreationDateTime;
    return limit >= 0 && created !== undefined && this.#now() / 1000 - created > limit;
  }

  /** The on-failure destination's message, shaped as Lambda's for a stream batch. */
  #deadLetter(
    shardId: string,
    batch: LambdaStreamRecord[],
    condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded',
    invocations: number,
    lastOutcome: InvocationOutcome | null,
  ): void {
    const [first] = batch;
    const last = batch.at(-1);
    if (first === undefined || last === undefined) return;
    const arrival = (record: LambdaStreamRecord) =>
      new Date((record.dynamodb.ApproximateCreationDateTime ?? 0) * 1000).toISOString();
    const message = {
      requestContext: {
        requestId: randomUUID(),
        functionArn: `arn:aws:lambda:${this.#options.region}:123456789012:function:${this.#mapping.functionId}`,
        condition,
        approximateInvokeCount: invocations,
      },
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        functionError: lastOutcome && lastOutcome.kind !== 'result' ? 'Unhandled' : undefined,
      },
      version: '1.0',
      timestamp: new Date(this.#now()).toISOString(),
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: first.dynamodb.SequenceNumber,
        endSequenceNumber: last.dynamodb.SequenceNumber,
        approximateArrivalOfFirstRecord: arrival(first),
        approximateArrivalOfLastRecord: arrival(last),
        batchSize: batch.length,
        streamArn: this.#options.source.streamArn,
      },
    };
    mkdirSync(dirname(this.#options.deadLetterFile), { recursive: true });
    appendFileSync(this.#options.deadLetterFile, `${JSON.stringify(message)}\n`);
    this.#log(
      `${batch.length} records (${condition}) written to the dead-letter file ${this.#options.deadLetterFile}: ${JSON.stringify(message.DDBStreamBatchInfo)}`,
    );
  }

  #checkpoint(shardId: string, sequenceNumber: string): void {
    if (this.#checkpoints[shardId] === sequenceNumber) return;
    this.#checkpoints[shardId] = sequenceNumber;
    mkdirSync(dirname(this.#options.checkpointFile), { recursive: true });
    writeFileSync(
      this.#options.checkpointFile,
      `${JSON.stringify({ streamArn: this.#options.source.streamArn, shards: this.#checkpoints }, null, 2)}\n`,
    );
  }

  /** Exponential, with full jitter, like the backoff of the functions' own retries. */
  #backoff(retries: number): number {
    const { baseMs, maxMs } = this.#options.retryBackoff ?? DEFAULT_BACKOFF;
    return Math.floor((this.#options.random ?? Math.random)() * Math.min(maxMs, baseMs * 2 ** (retries - 1)));
  }

  #sleep(ms: number): Promise<void> {
    return (this.#options.sleep ?? abortableSleep)(ms, this.#stopping.signal);
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  #log(message: string): void {
    this.#options.logOutput?.write(`[stream ${this.#mapping.functionId}] ${message}\n`);
  }
}

function readCheckpoints(file: string, streamArn: string): Record<string, string> {
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { streamArn?: string; shards?: Record<string, string> };
    // A table made afresh has a new stream: positions in the old one mean nothing there.
    return saved.streamArn === streamArn && saved.shards ? { ...saved.shards } : {};
  } catch {
    return {};
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((wake) => {
    if (signal.aborted) {
      wake();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      wake();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
