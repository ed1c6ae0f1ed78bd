/**
 * handlerOverheadRatio: what a request costs beyond the SDK calls it must
 * make. Per route, the function's handler is invoked in this process with API
 * Gateway REST proxy events (authorizer claims included) against DynamoDB
 * Local, one request at a time; each invocation's DynamoDB and Comprehend
 * commands are recorded and then sent bare, through the very clients the
 * handler used, the same commands (same keys, consistency and item sizes,
 * concurrent where the handler's were), right after. Ratio = median(handler) /
 * median(bare). A write's bare commands go to a copy of its ticket kept in
 * step with the original (the same items under another id), so that they
 * meet the same conditions and do the same work.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { agent, customer, type EventOptions } from '../../tests/support/api-gateway-event.js';
import {
  median,
  rounded,
  type BenchPart,
  type BenchPartOptions,
  type BenchPartResult,
  type Figure,
} from './figures.js';
import {
  BENCH_TICKETS,
  bareCalls,
  callName,
  inGroups,
  invoke,
  runWorker,
  SdkCallRecorder,
  sendBare,
  startHandlerBench,
  withReplacements,
  writeItems,
  type FunctionName,
  type HandlerBench,
  type Progress,
  type SdkCall,
} from './handler-bench.js';

export const handlerOverheadPart: BenchPart = {
  name: 'handler-overhead',
  measure: (options) => runWorker('handler-overhead', options),
};

const READ_TARGET = { atMost: 1.25 };
const WRITE_TARGET = { atMost: 1.5 };
/** Updates and comments per ticket before the next: a ticket's history stays as long as real ones get. */
const WRITES_PER_TICKET = 8;

const CREATOR = customer('bench-creator');
const ALICE = customer('bench-alice');
const BOB = customer('bench-bob');
const ADA = agent('bench-ada');

const REPLIES = [
  'Thanks for the details. Could you tell us which browser and version you use, and whether the error shows on every attempt or only now and then?',
  'It happens every time, on Firefox 132 and on Chrome 131, on Windows 11. It started yesterday afternoon after your maintenance window.',
];

type RouteName =
  'createTicket' | 'getTicket' | 'updateTicket' | 'listTickets' | 'addComment' | 'listComments' | 'getComment';

interface RouteRequest {
  options: EventOptions;
  status: number;
  /** How this request's commands address the copy the bare calls work on, from what it answered. */
  replacements?: (answer: unknown) => [string, string][];
}

interface RouteBench {
  name: RouteName;
  function: FunctionName;
  kind: 'read' | 'write';
  request: (index: number) => RouteRequest;
}

interface RouteMeasure {
  handlerMs: number[];
  bareMs: number[];
  /** Where each invocation's time went: before its first SDK call, in its calls, between them, after its last. */
  beforeMs: number[];
  sdkMs: number[];
  betweenMs: number[];
  afterMs: number[];
  calls: SdkCall[];
}

/** How an invocation's time divides around its SDK calls (the time some call was in flight counts as the calls'). */
function breakdown(started: number, ended: number, calls: readonly SdkCall[]) {
  const groups = inGroups(calls).map((group) => ({
    start: Math.min(...group.map(({ start }) => start)),
    end: Math.max(...group.map(({ end }) => end)),
  }));
  const first = groups[0];
  const last = groups.at(-1);
  if (!first || !last) return { before: ended - started, sdk: 0, between: 0, after: 0 };
  const sdk = groups.reduce((sum, { start, end }) => sum + (end - start), 0);
  return { before: first.start - started, sdk, between: last.end - first.start - sdk, after: ended - last.end };
}

const idOf = (answer: unknown): string => {
  const { id } = answer as { id?: unknown };
  if (typeof id !== 'string') throw new Error('The answer has no id.');
  return id;
};

export async function measureHandlerOverhead(options: BenchPartOptions, progress: Progress): Promise<BenchPartResult> {
  const warmup = options.quick ? 15 : 40;
  const samples = options.quick ? 60 : 200;
  const runs = warmup + samples;
  const recorder = new SdkCallRecorder();
  const bench = await startHandlerBench();
  try {
    progress('preparing tickets and comments');
    // BENCH_ROUTES=createTicket,getTicket measures only those (for a profile of one route).
    const only = process.env.BENCH_ROUTES?.split(',').filter(Boolean) ?? [];
    const routes = (await prepareRoutes(bench, runs)).filter(({ name }) => only.length === 0 || only.includes(name));
    const measures = new Map<RouteName, RouteMeasure>();
    for (const route of routes) {
      const measure = await measureRoute(bench, recorder, route, warmup, samples);
      measures.set(route.name, measure);
      const ratio = median(measure.handlerMs) / median(measure.bareMs);
      progress(
        `${route.name}: handler ${median(measure.handlerMs).toFixed(2)} ms, bare ${median(measure.bareMs).toFixed(2)} ms, ${ratio.toFixed(2)}× ` +
          `(before the first call ${median(measure.beforeMs).toFixed(2)} ms, in calls ${median(measure.sdkMs).toFixed(2)}, ` +
          `between ${median(measure.betweenMs).toFixed(2)}, after the last ${median(measure.afterMs).toFixed(2)})`,
      );
    }
    return report(routes, measures, samples);
  } finally {
    await bench.stop();
  }
}

async function measureRoute(
  bench: HandlerBench,
  recorder: SdkCallRecorder,
  route: RouteBench,
  warmup: number,
  samples: number,
): Promise<RouteMeasure> {
  const handler = await bench.handler(route.function);
  const measure: RouteMeasure = {
    handlerMs: [],
    bareMs: [],
    beforeMs: [],
    sdkMs: [],
    betweenMs: [],
    afterMs: [],
    calls: [],
  };
  for (let index = 0; index < warmup + samples; index++) {
    const request = route.request(index);
    const recorded = await recorder.record(() => invoke(handler, request.options, request.status));
    const { calls, value: invocation } = recorded;
    const bare = bareCalls(calls, request.replacements?.(invocation.body) ?? []);
    const ms = await sendBare(bare);
    if (index >= warmup) {
      measure.handlerMs.push(invocation.ms);
      measure.bareMs.push(ms);
      const parts = breakdown(invocation.started, invocation.ended, calls);
      measure.beforeMs.push(parts.before);
      measure.sdkMs.push(parts.sdk);
      measure.betweenMs.push(parts.between);
      measure.afterMs.push(parts.after);
    }
    measure.calls = calls;
  }
  return measure;
}

function report(routes: RouteBench[], measures: Map<RouteName, RouteMeasure>, samples: number): BenchPartResult {
  const ratios: Record<string, number> = {};
  const medians: Record<string, Record<string, number>> = {};
  const sdkCalls: Record<string, string[]> = {};
  const figures: Figure[] = [];
  for (const route of routes) {
    const measure = measures.get(route.name);
    if (!measure) continue;
    const handler = median(measure.handlerMs);
    const bare = median(measure.bareMs);
    const ratio = handler / bare;
    ratios[route.name] = rounded(ratio);
    medians[route.name] = {
      handler: rounded(handler),
      bare: rounded(bare),
      beforeFirstCall: rounded(median(measure.beforeMs)),
      inCalls: rounded(median(measure.sdkMs)),
      betweenCalls: rounded(median(measure.betweenMs)),
      afterLastCall: rounded(median(measure.afterMs)),
    };
    sdkCalls[route.name] = inGroups(measure.calls).map((group) => group.map(callName).join(' + '));
    figures.push({
      key: `handlerOverheadRatio.${route.name}`,
      value: ratio,
      unit: 'x',
      target: route.kind === 'read' ? READ_TARGET : WRITE_TARGET,
      note: `${handler.toFixed(2)} ms / ${bare.toFixed(2)} ms bare (${sdkCalls[route.name]?.join(', ') ?? ''}), median of ${String(samples)}`,
    });
  }
  return {
    results: { handlerOverheadRatio: ratios, handlerOverheadMedianMs: medians, handlerOverheadSdkCalls: sdkCalls },
    figures,
  };
}

// ---------------------------------------------------------------------------
// The data each route works on

async function createTicket(bench: HandlerBench, claims: Record<string, string>, index: number): Promise<string> {
  const handler = await bench.handler('create-ticket');
  const { body } = await invoke(handler, createRequest(claims, index).options, 201);
  return idOf(body);
}

function createRequest(claims: Record<string, string>, index: number): RouteRequest {
  return {
    options: { method: 'POST', resource: '/tickets', body: BENCH_TICKETS[index % BENCH_TICKETS.length], claims },
    status: 201,
  };
}

function updateRequest(id: string, index: number): RouteRequest {
  // An agent's triage: taken up, then put back in the queue, so that every update changes the ticket.
  const body = index % 2 === 0 ? { status: 'in_progress', assigneeId: 'bench-ada' } : { status: 'open' };
  return {
    options: { method: 'PATCH', resource: '/tickets/{id}', pathParameters: { id }, body, claims: ADA },
    status: 200,
  };
}

/** The conversation: the agent answers (waiting on the customer), the customer replies (open again). */
function commentRequest(id: string, index: number): RouteRequest {
  const fromAgent = index % 2 === 0;
  return {
    options: {
      method: 'POST',
      resource: '/tickets/{id}/comments',
      pathParameters: { id },
      body: { body: REPLIES[fromAgent ? 0 : 1] },
      claims: fromAgent ? ADA : ALICE,
    },
    status: 201,
  };
}

async function send(bench: HandlerBench, name: FunctionName, request: RouteRequest): Promise<unknown> {
  return (await invoke(await bench.handler(name), request.options, request.status)).body;
}

/** A copy of a ticket's partition (the ticket, its history and comments) under a new id; the copy's id. */
async function copyOfTicket(bench: HandlerBench, id: string): Promise<string> {
  const copy = ulid();
  const { Items = [] } = await bench.documentClient.send(
    new QueryCommand({
      TableName: bench.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `TICKET#${id}` },
      ConsistentRead: true,
    }),
  );
  await writeItems(bench, withReplacements(Items, [[id, copy]]) as typeof Items);
  return copy;
}

/** Tickets, each with its copy, for `runs` writes of WRITES_PER_TICKET each. */
async function ticketPairs(bench: HandlerBench, runs: number): Promise<[string, string][]> {
  const pairs: [string, string][] = [];
  for (let index = 0; index < Math.ceil(runs / WRITES_PER_TICKET); index++) {
    const id = await createTicket(bench, ALICE, index);
    pairs.push([id, await copyOfTicket(bench, id)]);
  }
  return pairs;
}

async function prepareRoutes(bench: HandlerBench, runs: number): Promise<RouteBench[]> {
  // A ticket read back with a short history; a conversation of ten replies.
  const readTicket = await createTicket(bench, ALICE, 0);
  for (let index = 0; index < 3; index++) await send(bench, 'update-ticket', updateRequest(readTicket, index));
  const conversation = await createTicket(bench, ALICE, 1);
  let agentReply = '';
  for (let index = 0; index < 10; index++) {
    const comment = idOf(await send(bench, 'add-comment', commentRequest(conversation, index)));
    if (index === 0) agentReply = comment;
  }
  // A customer with more tickets than a page holds.
  for (let index = 0; index < 30; index++) await createTicket(bench, BOB, index);
  const updated = await ticketPairs(bench, runs);
  const commented = await ticketPairs(bench, runs);
  const pairFor = (pairs: [string, string][], index: number) => {
    const pair = pairs[Math.floor(index / WRITES_PER_TICKET)];
    if (!pair) throw new Error(`No ticket for write ${String(index)}.`);
    return pair;
  };

  return [
    {
      name: 'createTicket',
      function: 'create-ticket',
      kind: 'write',
      request: (index) => ({
        ...createRequest(CREATOR, index),
        replacements: (answer) => [[idOf(answer), ulid()]],
      }),
    },
    {
      name: 'getTicket',
      function: 'get-ticket',
      kind: 'read',
      request: () => ({
        options: { method: 'GET', resource: '/tickets/{id}', pathParameters: { id: readTicket }, claims: ALICE },
        status: 200,
      }),
    },
    {
      name: 'updateTicket',
      function: 'update-ticket',
      kind: 'write',
      request: (index) => {
        const [id, copy] = pairFor(updated, index);
        return { ...updateRequest(id, index), replacements: () => [[id, copy]] };
      },
    },
    {
      name: 'listTickets',
      function: 'list-tickets',
      kind: 'read',
      request: () => ({
        options: { method: 'GET', resource: '/tickets', query: { limit: '20' }, claims: BOB },
        status: 200,
      }),
    },
    {
      name: 'addComment',
      function: 'add-comment',
      kind: 'write',
      request: (index) => {
        const [id, copy] = pairFor(commented, index);
        return { ...commentRequest(id, index), replacements: () => [[id, copy]] };
      },
    },
    {
      name: 'listComments',
      function: 'list-comments',
      kind: 'read',
      request: () => ({
        options: {
          method: 'GET',
          resource: '/tickets/{id}/comments',
          pathParameters: { id: conversation },
          query: { limit: '20' },
          claims: ALICE,
        },
        status: 200,
      }),
    },
    {
      name: 'getComment',
      function: 'get-comment',
      kind: 'read',
      request: () => ({
        options: {
          method: 'GET',
          resource: '/tickets/{id}/comments/{commentId}',
          pathParameters: { id: conversation, commentId: agentReply },
          claims: ALICE,
        },
        status: 200,
      }),
    },
  ];
}
