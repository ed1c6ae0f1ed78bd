/**
 * The local event source mapping: its settings read from template.yaml, Lambda's
 * event filter patterns, and the poller's delivery semantics (batching,
 * partial batch responses, bisecting, retries, the dead-letter file), against
 * a scripted stream and function.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { InvocationOutcome } from '../../../local/api/lambda-runtime/function-runtime.js';
import { matchesPattern, parseFilterPattern, passesFilters } from '../../../local/event-source/event-filter.js';
import {
  readStreamEventSourceMappings,
  type StreamEventSourceMapping,
} from '../../../local/event-source/event-source-mapping.js';
import {
  StreamPoller,
  type LambdaStreamRecord,
  type StreamPollerOptions,
  type ShardPosition,
  type StreamSource,
} from '../../../local/event-source/stream-poller.js';
import { localStack } from '../../../local/system/local-stack.js';

let stateDir: string;
beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'event-source-test-'));
});
afterEach(() => {
  rmSync(stateDir, { recursive: true, force: true });
});

describe('the mapping read from template.yaml', () => {
  test("AnalyzeTicketFunction reads the tickets table's stream with the template's settings", () => {
    const [mapping] = readStreamEventSourceMappings(localStack({ region: 'us-east-1', stateDir }));
    expect(mapping).toMatchObject({
      functionId: 'AnalyzeTicketFunction',
      tableLogicalId: 'TicketsTable',
      startingPosition: 'TRIM_HORIZON',
      batchSize: 25,
      reportBatchItemFailures: true,
      bisectBatchOnFunctionError: true,
      maximumBatchingWindowSeconds: 2,
      maximumRetryAttempts: -1,
      maximumRecordAgeSeconds: 21_600,
      onFailureDestination: 'AnalyzeTicketDeadLetterQueue',
    });
    // Ticket items and comments owing an analysis.
    expect(mapping!.filters).toHaveLength(2);
  });

  test('PublishEventsFunction reads the same stream with its own settings, and no other function does', () => {
    const mappings = readStreamEventSourceMappings(localStack({ region: 'us-east-1', stateDir }));
    expect(mappings.map(({ functionId }) => functionId)).toEqual(['AnalyzeTicketFunction', 'PublishEventsFunction']);
    expect(mappings[1]).toMatchObject({
      functionId: 'PublishEventsFunction',
      tableLogicalId: 'TicketsTable',
      startingPosition: 'TRIM_HORIZON',
      reportBatchItemFailures: true,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: -1,
      maximumRecordAgeSeconds: 21_600,
      onFailureDestination: 'PublishEventsDeadLetterQueue',
    });
    expect(mappings[1]!.filters).toHaveLength(3);
  });
});

const ticketRecord = (status: string, overrides: Record<string, unknown> = {}) => ({
  eventName: 'MODIFY',
  dynamodb: {
    Keys: marshall({ pk: 'TICKET#1', sk: 'TICKET' }),
    NewImage: marshall({ pk: 'TICKET#1', sk: 'TICKET', version: 2, analysis: { status, keyPhrases: ['a'] } }),
  },
  ...overrides,
});

describe('event filter patterns', () => {
  const mapping = readStreamEventSourceMappings(localStack({ region: 'us-east-1', stateDir: tmpdir() })).find(
    ({ functionId }) => functionId === 'AnalyzeTicketFunction',
  );

  test("the template's filter admits ticket items whose new image is pending, and nothing else", () => {
    const filters = mapping!.filters;
    expect(passesFilters(ticketRecord('pending'), filters)).toBe(true);
    expect(passesFilters(ticketRecord('pending', { eventName: 'INSERT' }), filters)).toBe(true);
    expect(passesFilters(ticketRecord('complete'), filters)).toBe(false);
    expect(passesFilters(ticketRecord('pending', { eventName: 'REMOVE' }), filters)).toBe(false);
    const history = ticketRecord('pending');
    history.dynamodb.Keys = marshall({ pk: 'TICKET#1', sk: 'HISTORY#0000000002' });
    expect(passesFilters(history, filters)).toBe(false);
    expect(
      passesFilters({ eventName: 'MODIFY', dynamodb: { Keys: marshall({ pk: 'x', sk: 'TICKET' }) } }, filters),
    ).toBe(false);
  });

  test('conditions: exact values, prefix, suffix, anything-but, numeric, exists, equals-ignore-case; arrays match by any element', () => {
    const record = { name: 'Ticket-42', size: 12, tags: ['a', 'b'], nested: { flag: true, nothing: null } };
    const pattern = (text: string) => parseFilterPattern(text, 'test');
    expect(matchesPattern(record, pattern('{"name":[{"prefix":"Ticket-"}]}'))).toBe(true);
    expect(matchesPattern(record, pattern('{"name":[{"suffix":"-41"}]}'))).toBe(false);
    expect(matchesPattern(record, pattern('{"name":[{"equals-ignore-case":"ticket-42"}]}'))).toBe(true);
    expect(matchesPattern(record, pattern('{"name":[{"anything-but":["Ticket-42"]}]}'))).toBe(false);
    expect(matchesPattern(record, pattern('{"name":[{"anything-but":{"prefix":"Other"}}]}'))).toBe(true);
    expect(matchesPattern(record, pattern('{"size":[{"numeric":[">",10,"<=",12]}]}'))).toBe(true);
    expect(matchesPattern(record, pattern('{"size":[{"numeric":["<",10]}]}'))).toBe(false);
    expect(matchesPattern(record, pattern('{"size":["12"]}'))).toBe(false);
    expect(matchesPattern(record, pattern('{"tags":["b"]}'))).toBe(true);
    expect(matchesPattern(record, pattern('{"nested":{"flag":[true],"nothing":[null]}}'))).toBe(true);
    expect(matchesPattern(record, pattern('{"missing":[{"exists":false}],"name":[{"exists":true}]}'))).toBe(true);
    expect(matchesPattern(record, pattern('{"nested":{"deeper":{"x":["y"]}}}'))).toBe(false);
    // Conditions hold on leaves: under a map the record lacks (or a value that is no map), no leaf exists.
    expect(matchesPattern(record, pattern('{"missing":{"S":[{"exists":false}]}}'))).toBe(true);
    expect(matchesPattern(record, pattern('{"name":{"S":[{"exists":false}]}}'))).toBe(true);
    expect(matchesPattern(record, pattern('{"missing":{"S":[{"exists":true}]}}'))).toBe(false);
    expect(matchesPattern(record, pattern('{"nested":{"flag":[{"exists":false}]}}'))).toBe(false);
    // Several filters: any one admits the record.
    expect(passesFilters(record, [pattern('{"name":["nope"]}'), pattern('{"size":[12]}')])).toBe(true);
    expect(passesFilters(record, [])).toBe(true);
  });

  test('a malformed pattern is refused when the template is read, naming where', () => {
    expect(() => parseFilterPattern('{"a":', 'Fn.Filters[0]')).toThrow(/Fn\.Filters\[0\]: Pattern is not JSON/);
    expect(() => parseFilterPattern('{"a":[]}', 'here')).toThrow(/here\.a: a list of conditions may not be empty/);
    expect(() => parseFilterPattern('{"a":[{"numeric":[">"]}]}', 'here')).toThrow(/not a filter condition/);
    expect(() => parseFilterPattern('{"a":"b"}', 'here')).toThrow(/must be a JSON object/);
  });
});

// --- the poller against a scripted stream and function ---------------------------

function streamRecord(sequence: number, status = 'pending', createdSecondsAgo = 1): LambdaStreamRecord {
  return {
    eventID: `event-${sequence}`,
    eventName: 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:stream',
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000) - createdSecondsAgo,
      Keys: marshall({ pk: `TICKET#${sequence}`, sk: 'TICKET' }),
      NewImage: marshall({ analysis: { status } }),
      SequenceNumber: String(sequence).padStart(5, '0'),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

/** One shard whose records are all there from the start. */
class ScriptedStream implements StreamSource {
  readonly streamArn = 'arn:aws:dynamodb:local:stream/test';
  readonly positions: ShardPosition[] = [];
  constructor(private readonly all: LambdaStreamRecord[]) {}
  shards() {
    return Promise.resolve([{ shardId: 'shard-1' }]);
  }
  iterator(_shardId: string, position: ShardPosition) {
    this.positions.push(position);
    const start =
      position.type === 'AFTER_SEQUENCE_NUMBER'
        ? this.all.findIndex((record) => record.dynamodb.SequenceNumber === position.sequenceNumber) + 1
        : 0;
    return Promise.resolve(String(start));
  }
  records(iterator: string) {
    const start = Number(iterator);
    const page = this.all.slice(start, start + 10);
    return Promise.resolve({ records: page, nextIterator: String(start + page.length) });
  }
}

type Answer = (records: LambdaStreamRecord[]) => InvocationOutcome;

class ScriptedFunction {
  readonly batches: string[][] = [];
  constructor(private readonly answer: Answer) {}
  invoke(event: { Records: LambdaStreamRecord[] }): Promise<InvocationOutcome> {
    this.batches.push(event.Records.map((record) => record.dynamodb.SequenceNumber));
    return Promise.resolve(this.answer(event.Records));
  }
}

const ok: Answer = () => ({ kind: 'result', result: { batchItemFailures: [] } });
const failing =
  (...sequences: string[]): Answer =>
  (records) => ({
    kind: 'result',
    result: {
      batchItemFailures: records
        .filter((record) => sequences.includes(record.dynamodb.SequenceNumber))
        .map((record) => ({ itemIdentifier: record.dynamodb.SequenceNumber })),
    },
  });

const MAPPING: StreamEventSourceMapping = {
  functionId: 'AnalyzeTicketFunction',
  eventName: 'PendingAnalysis',
  tableLogicalId: 'TicketsTable',
  startingPosition: 'TRIM_HORIZON',
  batchSize: 3,
  maximumBatchingWindowSeconds: 0,
  filters: [parseFilterPattern('{"dynamodb":{"NewImage":{"analysis":{"M":{"status":{"S":["pending"]}}}}}}', 'test')],
  reportBatchItemFailures: true,
  bisectBatchOnFunctionError: true,
  maximumRetryAttempts: 2,
  maximumRecordAgeSeconds: 3600,
  onFailureDestination: 'AnalyzeTicketDeadLetterQueue',
};

/** A clock of the test's own: it moves only when the poller sleeps. */
class TestClock {
  static readonly START = Date.parse('2026-03-02T09:00:00.000Z');
  now = TestClock.START;
  elapsed = () => this.now - TestClock.START;
}

/** A record the stream received when the test clock started. */
const recordAtStart = (sequence: number): LambdaStreamRecord => {
  const record = streamRecord(sequence);
  record.dynamodb.ApproximateCreationDateTime = TestClock.START / 1000;
  return record;
};

/** Runs a poller until `done` holds; sleeping is instant, and moves `clock` on if one is given. */
async function runPoller(
  records: LambdaStreamRecord[],
  fn: ScriptedFunction,
  done: () => boolean,
  mapping: Partial<StreamEventSourceMapping> = {},
  {
    clock,
    onSleep,
    ...options
  }: { clock?: TestClock; onSleep?: () => void } & Pick<StreamPollerOptions, 'random' | 'retryBackoff'> = {},
) {
  const source = new ScriptedStream(records);
  const sleeps: number[] = [];
  const poller = new StreamPoller({
    mapping: { ...MAPPING, ...mapping },
    source,
    function: fn,
    region: 'us-east-1',
    deadLetterFile: join(stateDir, 'analyze-ticket-dlq.jsonl'),
    checkpointFile: join(stateDir, 'checkpoints.json'),
    logOutput: null,
    sleep: async (ms) => {
      sleeps.push(ms);
      if (clock) clock.now += ms;
      onSleep?.();
      await new Promise((wake) => setImmediate(wake));
    },
    ...(clock ? { now: () => clock.now } : {}),
    ...options,
  });
  poller.start();
  while (!done()) await new Promise((wake) => setImmediate(wake));
  await poller.stop();
  return { source, sleeps };
}

const deadLetters = () =>
  existsSync(join(stateDir, 'analyze-ticket-dlq.jsonl'))
    ? readFileSync(join(stateDir, 'analyze-ticket-dlq.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown)
    : [];

describe('the stream poller', () => {
  test('filters, then delivers in batches of BatchSize, in order', async () => {
    const records = [1, 2, 3, 4, 5, 6].map((n) => streamRecord(n, n === 3 ? 'complete' : 'pending'));
    const fn = new ScriptedFunction(ok);
    await runPoller(records, fn, () => fn.batches.flat().length === 5);
    expect(fn.batches).toEqual([
      ['00001', '00002', '00004'],
      ['00005', '00006'],
    ]);
  });

  test('retries from the first record the function names, with growing pauses, until it succeeds', async () => {
    let calls = 0;
    const fn = new ScriptedFunction((records) => (++calls <= 4 ? failing('00002')(records) : ok(records)));
    const { sleeps } = await runPoller(
      [1, 2, 3].map((n) => streamRecord(n)),
      fn,
      () => calls === 5,
      { maximumRetryAttempts: -1 },
      { retryBackoff: { baseMs: 100, maxMs: 300 }, random: () => 0.5 },
    );
    expect(fn.batches).toEqual([
      ['00001', '00002', '00003'],
      ['00002', '00003'],
      ['00002', '00003'],
      ['00002', '00003'],
      ['00002', '00003'],
    ]);
    expect(deadLetters()).toEqual([]);
    // Half (random 0.5) of a ceiling that doubles from 100 ms up to 300 ms.
    expect(sleeps.slice(0, 4)).toEqual([50, 100, 150, 150]);
  });

  test('MaximumRetryAttempts -1 retries a batch until its records are older than MaximumRecordAgeInSeconds', async () => {
    const clock = new TestClock();
    const fn = new ScriptedFunction(failing('00001'));
    await runPoller(
      [recordAtStart(1)],
      fn,
      () => deadLetters().length === 1,
      { maximumRetryAttempts: -1, maximumRecordAgeSeconds: 60 },
      { clock, retryBackoff: { baseMs: 10_000, maxMs: 10_000 }, random: () => 0.999 },
    );
    // Invoked at 0 s, then every 9.99 s while the record is at most 60 s old: seven times, far beyond any retry count of 2.
    expect(fn.batches).toHaveLength(7);
    expect(deadLetters()).toEqual([
      expect.objectContaining({
        requestContext: expect.objectContaining({ condition: 'RecordAgeExceeded', approximateInvokeCount: 7 }),
      }),
    ]);
  });

  test('with MaximumBatchingWindowInSeconds, records are gathered until the window closes, then delivered together', async () => {
    const clock = new TestClock();
    const records = [recordAtStart(1), recordAtStart(2)];
    const invokedAt: number[] = [];
    const fn = new ScriptedFunction((batch) => {
      invokedAt.push(clock.elapsed());
      return ok(batch);
    });
    // A third record reaches the stream while the window is open.
    const arriving = () => {
      if (clock.elapsed() >= 1_000 && records.length === 2) records.push(recordAtStart(3));
    };
    await runPoller(
      records,
      fn,
      () => fn.batches.length === 1,
      { batchSize: 5, maximumBatchingWindowSeconds: 2 },
      { clock, onSleep: arriving },
    );
    expect(fn.batches).toEqual([['00001', '00002', '00003']]);
    expect(invokedAt[0]).toBeGreaterThanOrEqual(2_000);
  });

  test('an identifier that names no record of the batch fails the whole batch', async () => {
    let calls = 0;
    const fn = new ScriptedFunction((records) =>
      ++calls === 1 ? { kind: 'result', result: { batchItemFailures: [{ itemIdentifier: 'nonsense' }] } } : ok(records),
    );
    await runPoller(
      [1, 2].map((n) => streamRecord(n)),
      fn,
      () => calls === 2,
    );
    expect(fn.batches).toEqual([
      ['00001', '00002'],
      ['00001', '00002'],
    ]);
  });

  test('a function error splits the batch in two (BisectBatchOnFunctionError)', async () => {
    const fn = new ScriptedFunction((records) =>
      records.some((record) => record.dynamodb.SequenceNumber === '00003') && records.length > 1
        ? { kind: 'error', errorType: 'Error', errorMessage: 'boom' }
        : ok(records),
    );
    await runPoller(
      [1, 2, 3].map((n) => streamRecord(n)),
      fn,
      () => fn.batches.length === 3,
    );
    expect(fn.batches).toEqual([['00001', '00002', '00003'], ['00001', '00002'], ['00003']]);
    expect(deadLetters()).toEqual([]);
  });

  test('a batch failing beyond MaximumRetryAttempts lands in the dead-letter file, and the shard moves on', async () => {
    const fn = new ScriptedFunction((records) =>
      records.some((r) => r.dynamodb.SequenceNumber === '00004') ? ok(records) : failing('00002')(records),
    );
    await runPoller(
      [1, 2, 4].map((n) => streamRecord(n)),
      fn,
      () => fn.batches.some((batch) => batch.includes('00004')),
      {
        batchSize: 2,
      },
    );
    // 1 invocation + 2 retries, the retries from the failed record on.
    expect(fn.batches.slice(0, 3)).toEqual([['00001', '00002'], ['00002'], ['00002']]);
    expect(fn.batches[3]).toEqual(['00004']);
    expect(deadLetters()).toEqual([
      expect.objectContaining({
        requestContext: expect.objectContaining({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 }),
        DDBStreamBatchInfo: expect.objectContaining({
          shardId: 'shard-1',
          startSequenceNumber: '00002',
          endSequenceNumber: '00002',
          batchSize: 1,
          streamArn: 'arn:aws:dynamodb:local:stream/test',
        }),
      }),
    ]);
  });

  test('records older than MaximumRecordAgeInSeconds go to the dead-letter file without an invocation', async () => {
    const fn = new ScriptedFunction(ok);
    await runPoller([streamRecord(1, 'pending', 7200), streamRecord(2)], fn, () => fn.batches.length === 1, {
      batchSize: 1,
    });
    expect(fn.batches).toEqual([['00002']]);
    expect(deadLetters()).toEqual([
      expect.objectContaining({
        requestContext: expect.objectContaining({ condition: 'RecordAgeExceeded', approximateInvokeCount: 0 }),
      }),
    ]);
  });

  test('a restarted poller resumes after the last record it was done with', async () => {
    const records = [1, 2, 3].map((n) => streamRecord(n));
    const first = new ScriptedFunction(ok);
    await runPoller(records, first, () => first.batches.flat().length === 3);
    const second = new ScriptedFunction(ok);
    const { source } = await runPoller([...records, streamRecord(4)], second, () => second.batches.flat().length === 1);
    expect(source.positions).toEqual([{ type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '00003' }]);
    expect(second.batches).toEqual([['00004']]);
  });
});
