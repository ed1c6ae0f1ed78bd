/**
 * What the handler-overhead and list-scaling parts share: the functions'
 * handlers invoked in this process, as Lambda invokes them, against services
 * of their own on loopback (DynamoDB Local in memory with the template's
 * table, the Comprehend stand-in without delay, the Secrets Manager stand-in
 * serving the cursor secret), and the SDK calls a handler makes, recorded so
 * that the same calls can be issued bare.
 *
 * The Comprehend stand-in runs in a process of its own, started as the local
 * system starts it (system.ts, startComprehend), as Comprehend is a service
 * elsewhere in AWS: its work on a request is then not counted as the
 * handler's, and a handler that works while its calls are in flight gains as
 * it does in Lambda. In this process, the stand-in's work would run on the
 * handler's thread, after the handler's own, and hide any such overlap.
 *
 * The handlers are the functions' sources (functions/<name>/handler.ts with
 * the layer's src/), not the built bundles: they then share this process's
 * copy of the AWS SDK with the bare calls they are compared with, so that a
 * ratio measures the handler's own code and not two copies of the SDK, and
 * the calls a handler makes can be recorded on the SDK's clients. The build
 * is the same code through the same compiler (esbuild); what bundling changes,
 * loading, is the cold-start part's to measure.
 *
 * Each part runs in a child process of its own (runWorker): the layer keeps
 * its configuration and clients per process, as in Lambda, so each part gets
 * a fresh one wired to its own services, and `BENCH_CPU_PROF_DIR` profiles it
 * alone (`node --cpu-prof`).
 */
import { fork } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ComprehendClient } from '@aws-sdk/client-comprehend';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { createDocumentClient } from '../../layers/shared/src/aws-clients.js';
import { config } from '../../layers/shared/src/config.js';
import type { Item } from '../../layers/shared/src/repository/table-layout.js';
import { DYNAMODB_LOCAL_REGION, dynamoDbLocalClient, startDynamoDbLocal } from '../../local/dynamodb/dynamodb-local.js';
import { ensureTable } from '../../local/dynamodb/table-from-template.js';
import { samEnvironment } from '../../local/sam/sam-env.js';
import { localStack } from '../../local/system/local-stack.js';
import { startComprehend } from '../../local/system/system.js';
import { apiEvent, lambdaContext, type EventOptions } from '../../tests/support/api-gateway-event.js';
import { startCursorSecretStandIn } from '../../tests/support/secrets-manager-stand-in.js';
import { PROJECT_ROOT } from '../sam-template.js';
import type { BenchPartOptions, BenchPartResult } from './figures.js';

/** The functions the API routes to, by their folder under functions/. */
export type FunctionName =
  'create-ticket' | 'get-ticket' | 'update-ticket' | 'list-tickets' | 'add-comment' | 'list-comments' | 'get-comment';

export type LambdaHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * The stage whose settings the handlers run with: production's (its log
 * level), since that is where a request's cost matters.
 */
const STAGE = 'prod';
/** Nothing listens here: the API functions never publish events. */
const NOWHERE = 'http://127.0.0.1:9';

/**
 * Every variable the template gives the API functions (Globals and each
 * function's own), resolved for this machine, with the services' endpoints.
 * The functions agree on every variable they share.
 */
export function functionEnvironment(endpoints: {
  dynamoDb: string;
  comprehend: string;
  secretsManager: string;
}): Record<string, string> {
  const stack = localStack({
    region: DYNAMODB_LOCAL_REGION,
    stateDir: tmpdir(),
    parameterOverrides: { Stage: STAGE },
  });
  const perFunction = samEnvironment(stack, { ...endpoints, eventBridge: NOWHERE }, '');
  return Object.assign({}, ...Object.values(perFunction)) as Record<string, string>;
}

export interface HandlerBench {
  tableName: string;
  /** For the data the routes work on: a client as the layer makes its own (the bare calls go through the handlers' own). */
  documentClient: DynamoDBDocumentClient;
  handler(name: FunctionName): Promise<LambdaHandler>;
  stop(): Promise<void>;
}

/**
 * Starts the services, sets the environment as Lambda would from the template
 * (the handlers' modules read it when first imported) and creates the table.
 */
export async function startHandlerBench(): Promise<HandlerBench> {
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stoppers.splice(0).reverse()) await stopOne().catch(() => undefined);
  };
  try {
    const dynamoDb = await startDynamoDbLocal({ projectRoot: PROJECT_ROOT });
    stoppers.push(() => dynamoDb.stop());
    const comprehend = await startComprehend(0, null);
    stoppers.push(() => comprehend.stop());
    const cursorSecret = await startCursorSecretStandIn(`bench-cursor-secret-${'0123456789'.repeat(4)}`);
    stoppers.push(() => cursorSecret.stop());

    const environment = functionEnvironment({
      dynamoDb: dynamoDb.endpoint,
      comprehend: comprehend.ready,
      secretsManager: cursorSecret.standIn.endpoint,
    });
    Object.assign(process.env, environment, {
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    const tableName = config().tableName;
    const adminClient = dynamoDbLocalClient(dynamoDb.endpoint);
    await ensureTable(adminClient, tableName);
    adminClient.destroy();

    const loaded = new Map<FunctionName, LambdaHandler>();
    return {
      tableName,
      documentClient: await createDocumentClient(),
      handler: async (name) => {
        let handler = loaded.get(name);
        if (!handler) {
          const module = (await import(join(PROJECT_ROOT, 'functions', name, 'handler.ts'))) as { handler: unknown };
          // middy's handler type also takes Lambda's legacy callback; the runtime calls it with two arguments.
          handler = module.handler as LambdaHandler;
          loaded.set(name, handler);
        }
        return handler;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Tickets as customers write them: a subject, a few sentences, now and then a tag. */
export const BENCH_TICKETS: { subject: string; description: string; tags?: string[] }[] = [
  {
    subject: 'Production is down',
    description:
      'Our production database has been unreachable since 09:40 UTC and every checkout fails with a timeout. ' +
      'We are losing orders by the minute. The status page says all systems are operational, but our monitoring ' +
      'shows connection resets from your eu-west endpoint. Please help as soon as possible.',
    tags: ['outage'],
  },
  {
    subject: 'Invoice charged twice this month',
    description:
      'Hello, I was charged twice for the March invoice (both on the 3rd, same amount). Could you refund the ' +
      'duplicate payment and confirm once it is done? The invoice number is INV-2024-0311. Thank you!',
  },
  {
    subject: 'Feature request: export to CSV',
    description:
      'It would be great if the reports page could export the filtered table to CSV. Right now we copy the rows ' +
      'by hand into a spreadsheet every Friday, which takes our team about an hour each week.',
    tags: ['reports', 'export'],
  },
  {
    subject: 'Cannot reset my password',
    description:
      'The password reset e-mail never arrives. I checked the spam folder and tried twice more over the last ' +
      'hour. My colleague on the same domain gets hers without trouble. What else can I try?',
  },
];

/** One invocation's answer, its body parsed, and how long it took. */
export interface Invocation {
  statusCode: number;
  body: unknown;
  ms: number;
  /** When it started and ended (performance.now()). */
  started: number;
  ended: number;
}

/** Invokes `handler` with an API Gateway REST proxy event (authorizer claims included) and times it. */
export async function invoke(
  handler: LambdaHandler,
  options: EventOptions,
  expectedStatus: number,
): Promise<Invocation> {
  // A fresh event each time: the middlewares parse, normalize and coerce it in place.
  const event = apiEvent(structuredClone(options));
  const context = lambdaContext();
  const started = performance.now();
  const result = await handler(event, context);
  const ended = performance.now();
  const ms = ended - started;
  if (result.statusCode !== expectedStatus) {
    throw new Error(
      `${options.method} ${options.resource} answered ${String(result.statusCode)}, not ${String(expectedStatus)}: ${result.body}`,
    );
  }
  const body = result.body ? (JSON.parse(result.body) as unknown) : undefined;
  return { statusCode: result.statusCode, body, ms, started, ended };
}

// ---------------------------------------------------------------------------
// The SDK calls a handler makes

type Service = 'dynamodb' | 'comprehend';

/** A command as the SDK's clients take it: its class rebuilds it from its input. */
interface SdkCommand {
  input: unknown;
  constructor: new (input: never) => SdkCommand;
}

export interface SdkCall {
  service: Service;
  /** The client that sent it. */
  client: { send: Send };
  command: SdkCommand;
  start: number;
  end: number;
}

type Send = (this: unknown, command: SdkCommand, ...rest: unknown[]) => Promise<unknown>;

/**
 * Records the commands sent through any DynamoDB document client or
 * Comprehend client of this process while recording is on: the layer's
 * clients are those of its composition root, out of reach, but they share
 * their classes with this process.
 */
export class SdkCallRecorder {
  #calls: SdkCall[] | undefined;

  constructor() {
    this.#wrap('dynamodb', DynamoDBDocumentClient.prototype as unknown as { send: Send });
    this.#wrap('comprehend', ComprehendClient.prototype as unknown as { send: Send });
  }

  /** The calls `run` made, each with when it started and ended. */
  async record<T>(run: () => Promise<T>): Promise<{ value: T; calls: SdkCall[] }> {
    const calls: SdkCall[] = [];
    this.#calls = calls;
    try {
      return { value: await run(), calls };
    } finally {
      this.#calls = undefined;
    }
  }

  #wrap(service: Service, prototype: { send: Send }): void {
    const original = prototype.send;
    const recording = () => this.#calls;
    prototype.send = function send(this: unknown, command: SdkCommand, ...rest: unknown[]) {
      const calls = recording();
      if (!calls) return original.call(this, command, ...rest);
      const call: SdkCall = {
        service,
        client: this as { send: Send },
        command,
        start: performance.now(),
        end: Number.POSITIVE_INFINITY,
      };
      calls.push(call);
      return original.call(this, command, ...rest).finally(() => {
        call.end = performance.now();
      });
    };
  }
}

/** `DynamoDB.Query`, `Comprehend.DetectSentiment`: what a call did, for the report. */
export function callName({ service, command }: SdkCall): string {
  const operation = command.constructor.name.replace(/Command$/, '');
  return `${service === 'dynamodb' ? 'DynamoDB' : 'Comprehend'}.${operation}`;
}

/**
 * The calls grouped as they were made: the calls of a group overlapped (sent
 * together, as by Promise.all), each group started after the previous ended.
 */
export function inGroups(calls: readonly SdkCall[]): SdkCall[][] {
  const groups: SdkCall[][] = [];
  let groupEnd = Number.NEGATIVE_INFINITY;
  for (const call of [...calls].sort((a, b) => a.start - b.start)) {
    const current = groups.at(-1);
    if (current && call.start < groupEnd) {
      current.push(call);
      groupEnd = Math.max(groupEnd, call.end);
    } else {
      groups.push([call]);
      groupEnd = call.end;
    }
  }
  return groups;
}

/** Every string in `value` with each `[from, to]` replaced: the same command for another ticket. */
export function withReplacements(value: unknown, replacements: readonly (readonly [string, string])[]): unknown {
  if (replacements.length === 0) return value;
  if (typeof value === 'string') return replacements.reduce((text, [from, to]) => text.replaceAll(from, to), value);
  if (Array.isArray(value)) return value.map((item) => withReplacements(item, replacements));
  if (value instanceof Set) return new Set([...value].map((item) => withReplacements(item, replacements)));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withReplacements(item, replacements)]));
  }
  return value;
}

/** What a handler's recorded calls become when issued bare: groups of commands, rebuilt from their inputs. */
export type BareCalls = { client: { send: Send }; command: SdkCommand }[][];

export function bareCalls(
  calls: readonly SdkCall[],
  replacements: readonly (readonly [string, string])[] = [],
): BareCalls {
  return inGroups(calls).map((group) =>
    group.map(({ client, command }) => ({
      client,
      command: new command.constructor(withReplacements(command.input, replacements) as never),
    })),
  );
}

/** Sends `calls` as the handler did (each group at once, the groups one after another) and times it. */
export async function sendBare(calls: BareCalls): Promise<number> {
  const started = performance.now();
  for (const group of calls) {
    await Promise.all(group.map(({ client, command }) => client.send(command)));
  }
  return performance.now() - started;
}

type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

/** Puts items 25 at a time (BatchWriteItem), a few batches in flight, retrying what DynamoDB leaves unprocessed. */
export function writeItems(bench: HandlerBench, items: readonly Item[]): Promise<void> {
  return batchWrite(
    bench,
    items.map((item) => ({ PutRequest: { Item: item } })),
  );
}

/** Deletes the items with these keys, as writeItems puts them. */
export function deleteItems(bench: HandlerBench, keys: readonly Item[]): Promise<void> {
  return batchWrite(
    bench,
    keys.map((key) => ({ DeleteRequest: { Key: key } })),
  );
}

async function batchWrite(bench: HandlerBench, requests: readonly WriteRequest[], parallel = 4): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let index = 0; index < requests.length; index += 25) batches.push(requests.slice(index, index + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let batch: WriteRequest[] = batches[next++] ?? [];
      while (batch.length > 0) {
        const { UnprocessedItems } = await bench.documentClient.send(
          new BatchWriteCommand({ RequestItems: { [bench.tableName]: batch } }),
        );
        batch = (UnprocessedItems?.[bench.tableName] ?? []) as WriteRequest[];
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/**
 * Brings DynamoDB Local's JVM to the speed it reaches after a while (its JIT
 * compiles the request paths as they get used): `count` items, of no index,
 * written and deleted again, so that what is measured first is not measured
 * on a colder JVM than what is measured after a large write.
 */
export async function warmUpDynamoDb(bench: HandlerBench, count: number): Promise<void> {
  const keys = Array.from({ length: count }, (_, index) => ({ pk: `BENCH#WARMUP#${String(index)}`, sk: 'WARMUP' }));
  const filler = BENCH_TICKETS.map(({ description }) => description).join(' ');
  await batchWrite(
    bench,
    keys.map((key) => ({ PutRequest: { Item: { ...key, filler } } })),
  );
  await batchWrite(
    bench,
    keys.map((key) => ({ DeleteRequest: { Key: key } })),
  );
}

// ---------------------------------------------------------------------------
// A part measured in a child process

/** A worker's line of progress, printed by its parent. */
export type Progress = (line: string) => void;

/** What a worker sends its parent: a line of progress, its result, or its failure. */
type WorkerMessage = { progress: string } | { result: BenchPartResult } | { error: string };

const WORKER = fileURLToPath(new URL('./handler-bench-worker.ts', import.meta.url));

/** Runs the part `name` (see handler-bench-worker.ts) in a child process and returns its result. */
export function runWorker(name: string, options: BenchPartOptions): Promise<BenchPartResult> {
  const profileDir = process.env.BENCH_CPU_PROF_DIR;
  const nodeOptions = functionEnvironment({
    dynamoDb: NOWHERE,
    comprehend: NOWHERE,
    secretsManager: NOWHERE,
  }).NODE_OPTIONS;
  return new Promise<BenchPartResult>((resolve, reject) => {
    const child = fork(WORKER, [name, ...(options.quick ? ['--quick'] : [])], {
      execArgv: [
        '--import',
        'tsx',
        ...(nodeOptions ? nodeOptions.split(/\s+/).filter(Boolean) : []),
        ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
      ],
      // The functions' logs go where Lambda's go when nobody reads them: written, then dropped.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      cwd: PROJECT_ROOT,
      env: { ...process.env, NODE_OPTIONS: undefined, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let result: BenchPartResult | undefined;
    let failure: string | undefined;
    child.on('message', (message: WorkerMessage) => {
      if ('progress' in message) console.log(`  ${message.progress}`);
      else if ('result' in message) result = message.result;
      else failure = message.error;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (result) resolve(result);
      else reject(new Error(failure ?? `The ${name} worker ended (${String(code ?? signal)}) without a result.`));
    });
  });
}
