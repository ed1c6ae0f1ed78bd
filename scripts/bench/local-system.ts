import autocannon from 'autocannon';
import { stop as stopEsbuild } from 'esbuild';
import { randomUUID } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readApiDefinition, readFunctionDefinitions } from '../../local/api/api-definition.js';
import { LocalCognitoAuthorizer } from '../../local/api/cognito-authorizer.js';
import { FunctionRuntime } from '../../local/api/lambda-runtime/function-runtime.js';
import { buildProxyEvent } from '../../local/api/proxy-event.js';
import { DYNAMODB_LOCAL_REGION } from '../../local/dynamodb/dynamodb-local.js';
import { localStack } from '../../local/system/local-stack.js';
import { unusedPort } from '../../local/system/ports.js';
import { lambdaEnvironment } from '../../local/system/system.js';
import { loadOrCreateSigningKey } from '../../local/token/signing-key.js';
import { buildAll, DEFAULT_BUILD_DIR } from '../build.js';
import { onlyResourceOfType, readTemplate, TEMPLATE_PATH } from '../sam-template.js';
import { rounded, type BenchPart, type BenchPartResult, type Figure } from './figures.js';
import { PeakRss, startNpmStart, type RunningNpmStart } from './npm-start.js';
import { localCallers, runSoak, soakReport } from './soak.js';

/*
 * The whole local system as a developer runs it: how long `npm start` takes to
 * answer with a warm build, how `GET /tickets/{id}` through it compares with
 * DynamoDB Local answering the function's own Query directly (both at 16 in
 * flight, interleaved in rounds of the same length), the memory of its whole
 * process tree under those loads and the soak, and the soak itself.
 */

const IN_FLIGHT = 16;

interface Timing {
  warmUpSeconds: number;
  rounds: number;
  roundSeconds: number;
  soakSeconds: number;
  soakWarmUpSeconds: number;
}

const FULL: Timing = { warmUpSeconds: 3, rounds: 3, roundSeconds: 8, soakSeconds: 30, soakWarmUpSeconds: 10 };
const QUICK: Timing = { warmUpSeconds: 2, rounds: 2, roundSeconds: 4, soakSeconds: 10, soakWarmUpSeconds: 10 };

/** An HTTP request as sent on the wire, to send again. */
interface CapturedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export const localSystemPart: BenchPart = {
  name: 'local-system',
  measure: async ({ quick }) => {
    const timing = quick ? QUICK : FULL;
    // A warm build: what `npm start` finds after a first start or `npm run build`.
    await buildAll();
    await stopEsbuild();
    const system = await startNpmStart();
    console.log(`  npm start answered after ${system.startupSeconds.toFixed(2)} s`);
    const memory = new PeakRss(system.pid);
    try {
      return await measureRunning(system, memory, timing);
    } finally {
      memory.stop();
      await system.stop();
    }
  },
};

async function measureRunning(system: RunningNpmStart, memory: PeakRss, timing: Timing): Promise<BenchPartResult> {
  const callers = await localCallers(system.stateDir);
  const customer = callers.customers[0] ?? callers.agent;
  const ticketId = await createTicket(system.apiUrl, customer);
  const query = await captureGetTicketQuery(system, ticketId, customer);
  const dynamoDbVerifiesSignatures = await verifiesSignatures(system.dynamoDbUrl, query);
  console.log(
    `  captured the function's request: ${query.headers['x-amz-target'] ?? '?'} ${query.body}` +
      `\n  DynamoDB Local ${dynamoDbVerifiesSignatures ? 'verifies' : 'does not verify'} request signatures`,
  );

  const apiLoad = loadOptions(`${system.apiUrl}/tickets/${ticketId}`, {
    method: 'GET',
    headers: { authorization: `Bearer ${customer}` },
  });
  const dynamoDbLoad = loadOptions(`${system.dynamoDbUrl}${query.path}`, {
    method: 'POST',
    headers: query.headers,
    body: query.body,
  });
  // Warm-up: every execution environment started, both JITs warm.
  await load({ ...apiLoad, duration: timing.warmUpSeconds });
  await load({ ...dynamoDbLoad, duration: timing.warmUpSeconds });

  const api = new Tally();
  const dynamoDb = new Tally();
  for (let round = 0; round < timing.rounds; round += 1) {
    api.add(await load({ ...apiLoad, duration: timing.roundSeconds }));
    dynamoDb.add(await load({ ...dynamoDbLoad, duration: timing.roundSeconds }));
  }
  const apiRate = api.rate;
  const dynamoDbRate = dynamoDb.rate;
  const ratio = apiRate / dynamoDbRate;
  console.log(
    `  GET /tickets/{id} ${apiRate.toFixed(0)}/s (p50 ${api.p50Ms.toFixed(1)} ms), DynamoDB Local's Query ` +
      `${dynamoDbRate.toFixed(0)}/s (p50 ${dynamoDb.p50Ms.toFixed(1)} ms): ${ratio.toFixed(2)}×`,
  );
  // Rates count answered requests only: a failing side would flatter or spoil the ratio, so it is no figure.
  if (api.failures + dynamoDb.failures > 0) {
    throw new Error(
      `Requests failed under load (API ${String(api.failures)}, DynamoDB Local ${String(dynamoDb.failures)}); no throughput figure.`,
    );
  }

  console.log(`  soak, ${String(timing.soakSeconds)} s after ${String(timing.soakWarmUpSeconds)} s of warm-up:`);
  const soak = await runSoak({
    apiUrl: system.apiUrl,
    callers,
    seconds: timing.soakSeconds,
    warmUpSeconds: timing.soakWarmUpSeconds,
    inFlight: IN_FLIGHT,
  });
  const failures = system
    .output()
    .split('\n')
    .filter((line) => line.includes(' failed: '))
    .slice(-5);
  if (failures.length > 0)
    console.log(`  function failures (the last ${String(failures.length)}):\n    ${failures.join('\n    ')}`);
  console.log(soakReport(soak).replace(/^/gm, '    '));
  memory.stop();
  console.log(
    `  RSS once serving ${memory.firstMb.toFixed(0)} MB, at the peak ${memory.peakMb.toFixed(0)} MB:` +
      Object.entries(memory.atPeakMb)
        .map(([process, mb]) => `\n    ${String(mb).padStart(5)} MB  ${process}`)
        .join(''),
  );

  return report({ system, memory, apiRate, dynamoDbRate, api, dynamoDb, soak, dynamoDbVerifiesSignatures, timing });
}

function report(measured: {
  system: RunningNpmStart;
  memory: PeakRss;
  apiRate: number;
  dynamoDbRate: number;
  api: Tally;
  dynamoDb: Tally;
  soak: Awaited<ReturnType<typeof runSoak>>;
  dynamoDbVerifiesSignatures: boolean;
  timing: Timing;
}): BenchPartResult {
  const { system, memory, apiRate, dynamoDbRate, soak, timing } = measured;
  const ratio = apiRate / dynamoDbRate;
  const figures: Figure[] = [
    {
      key: 'startupSeconds',
      value: rounded(system.startupSeconds, 2),
      unit: 's',
      target: { atMost: 5 },
      note: 'npm start, warm build, to first answer',
    },
    {
      key: 'apiThroughputRatio',
      value: rounded(ratio),
      unit: 'x',
      target: { atLeast: 0.6 },
      note: `GET /tickets/{id} ${apiRate.toFixed(0)}/s over DynamoDB Local's Query ${dynamoDbRate.toFixed(0)}/s, ${String(IN_FLIGHT)} in flight`,
    },
    {
      key: 'peakRssMb',
      value: rounded(memory.peakMb, 1),
      unit: 'MB',
      target: { atMost: 600 },
      note: "npm start's whole process tree under the loads",
    },
    {
      key: 'soak.ticketsLost',
      value: soak.ticketsLost,
      unit: 'tickets',
      target: { atMost: 0 },
      note: `of ${String(soak.ticketsCreated)} created in ${String(timing.soakSeconds)} s`,
    },
    {
      key: 'soak.serverErrors',
      value: soak.serverErrors,
      unit: 'requests',
      target: { atMost: 0 },
      note: `5xx of ${String(soak.requests + soak.warmUp.requests)} requests, warm-up included`,
    },
    { key: 'soak.p99Ms', value: rounded(soak.p99Ms, 1), unit: 'ms', note: `p50 ${soak.p50Ms.toFixed(1)} ms` },
  ];
  return {
    results: {
      startupSeconds: rounded(system.startupSeconds, 2),
      peakRssMb: rounded(memory.peakMb, 1),
      rssOnceServingMb: rounded(memory.firstMb, 1),
      peakRssByProcessMb: memory.atPeakMb,
      apiThroughputRatio: rounded(ratio),
      apiRequestsPerSecond: rounded(apiRate, 1),
      dynamoDbLocalRequestsPerSecond: rounded(dynamoDbRate, 1),
      apiThroughput: {
        inFlight: IN_FLIGHT,
        rounds: timing.rounds,
        roundSeconds: timing.roundSeconds,
        apiP50Ms: measured.api.p50Ms,
        dynamoDbLocalP50Ms: measured.dynamoDb.p50Ms,
        apiFailures: measured.api.failures,
        dynamoDbLocalFailures: measured.dynamoDb.failures,
        dynamoDbLocalVerifiesSignatures: measured.dynamoDbVerifiesSignatures,
      },
      soak: {
        seconds: rounded(soak.seconds, 1),
        inFlight: soak.inFlight,
        requests: soak.requests,
        requestsByOperation: soak.requestsByOperation,
        errorsByStatus: soak.errorsByStatus,
        p50Ms: rounded(soak.p50Ms, 1),
        p99Ms: rounded(soak.p99Ms, 1),
        ticketsCreated: soak.ticketsCreated,
        ticketsLost: soak.ticketsLost,
        warmUp: soak.warmUp,
      },
    },
    figures,
  };
}

/** Requests and seconds summed over rounds; non-2xx answers and connection errors are failures. */
class Tally {
  #successes = 0;
  #seconds = 0;
  #p50s: number[] = [];
  failures = 0;

  add(result: autocannon.Result): void {
    this.#successes += result['2xx'];
    this.#seconds += result.duration;
    this.#p50s.push(result.latency.p50);
    this.failures += result.non2xx + result.errors;
  }

  get rate(): number {
    return this.#successes / this.#seconds;
  }

  /** The rounds' median latencies, averaged. */
  get p50Ms(): number {
    return this.#p50s.reduce((sum, value) => sum + value, 0) / this.#p50s.length;
  }
}

function loadOptions(
  url: string,
  request: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
): autocannon.Options {
  return { url, connections: IN_FLIGHT, pipelining: 1, ...request };
}

function load(options: autocannon.Options): Promise<autocannon.Result> {
  return autocannon(options);
}

async function createTicket(apiUrl: string, token: string): Promise<string> {
  const response = await fetch(`${apiUrl}/tickets`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      subject: 'Cannot log in',
      description: 'The login page says my password is wrong since this morning; I reset it twice already.',
    }),
  });
  const body = await response.text();
  if (response.status !== 201) throw new Error(`POST /tickets answered ${String(response.status)}: ${body}`);
  return (JSON.parse(body) as { id: string }).id;
}

/**
 * The DynamoDB request the get-ticket function makes for `ticketId`: the
 * built function, run by the local Lambda runtime with its endpoint pointed
 * at a recorder in front of DynamoDB Local, invoked with the event the local
 * API would give it. Exactly one Query is expected.
 */
async function captureGetTicketQuery(
  system: RunningNpmStart,
  ticketId: string,
  token: string,
): Promise<CapturedRequest> {
  const stack = localStack({ region: DYNAMODB_LOCAL_REGION, stateDir: system.stateDir });
  const api = readApiDefinition(stack);
  const route = api.routes.find(({ method, resourcePath }) => method === 'GET' && resourcePath === '/tickets/{id}');
  const definition = readFunctionDefinitions(stack, DEFAULT_BUILD_DIR).find(
    ({ logicalId }) => logicalId === route?.functionId,
  );
  if (!route || !definition) throw new Error('template.yaml has no function for GET /tickets/{id}.');
  const [layerLogicalId] = onlyResourceOfType(readTemplate(TEMPLATE_PATH), 'AWS::Serverless::LayerVersion');
  const recorder = await startRecorder(system.dynamoDbUrl);
  // The other services are never called to read a ticket: nothing listens there.
  const nowhere = `http://127.0.0.1:${String(await unusedPort())}`;
  const runtime = new FunctionRuntime(definition, {
    layerDir: join(DEFAULT_BUILD_DIR, layerLogicalId),
    environment: lambdaEnvironment(definition, {
      dynamoDb: recorder.url,
      comprehend: nowhere,
      eventBridge: nowhere,
      secretsManager: nowhere,
    }),
    logOutput: null,
    maxEnvironments: 1,
  });
  try {
    const authorization = await new LocalCognitoAuthorizer(await loadOrCreateSigningKey(system.stateDir)).authorize(
      `Bearer ${token}`,
    );
    if (!authorization.authorized) throw new Error(`The token was refused: ${authorization.message}`);
    const path = `/tickets/${ticketId}`;
    const event = buildProxyEvent(
      {
        method: 'GET',
        rawPath: path,
        rawQuery: '',
        rawHeaders: ['Host', new URL(system.apiUrl).host, 'Authorization', `Bearer ${token}`],
        body: Buffer.alloc(0),
        sourceIp: '127.0.0.1',
        localPort: Number(new URL(system.apiUrl).port),
      },
      {
        resourcePath: route.resourcePath,
        pathParameters: { id: ticketId },
        stage: api.stageName,
        apiId: 'local',
        requestId: randomUUID(),
        claims: authorization.claims,
        receivedAt: new Date(),
      },
    );
    const outcome = await runtime.invoke(event);
    const statusCode = outcome.kind === 'result' ? (outcome.result as { statusCode?: unknown }).statusCode : undefined;
    if (statusCode !== 200) throw new Error(`The get-ticket function answered ${JSON.stringify(outcome)}.`);
    const queries = recorder.requests.filter(({ headers }) => headers['x-amz-target']?.endsWith('.Query'));
    const [query] = queries;
    if (!query || recorder.requests.length !== 1) {
      const targets = recorder.requests.map(({ headers }) => headers['x-amz-target']).join(', ');
      throw new Error(`Expected one Query from the get-ticket function, saw: ${targets}.`);
    }
    return query;
  } finally {
    await runtime.stop();
    await recorder.stop();
  }
}

/** Whether DynamoDB Local refuses the request with its signature spoiled. */
async function verifiesSignatures(dynamoDbUrl: string, query: CapturedRequest): Promise<boolean> {
  const spoiled = (query.headers.authorization ?? '').replace(/Signature=\w+/, `Signature=${'0'.repeat(64)}`);
  const response = await fetch(`${dynamoDbUrl}${query.path}`, {
    method: query.method,
    headers: { ...query.headers, authorization: spoiled },
    body: query.body,
  });
  await response.arrayBuffer();
  return response.status !== 200;
}

/** Headers that belong to one connection or one body, not to the request. */
const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'keep-alive', 'transfer-encoding']);

/** A forwarding proxy to `target` that keeps every request it forwards. */
async function startRecorder(
  target: string,
): Promise<{ url: string; requests: CapturedRequest[]; stop: () => Promise<void> }> {
  const requests: CapturedRequest[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({
        method: incoming.method ?? 'POST',
        path: incoming.url ?? '/',
        headers: requestHeaders(incoming.headers),
        body: body.toString('utf8'),
      });
      const forwarded = request(
        new URL(incoming.url ?? '/', target),
        { method: incoming.method, headers: { ...incoming.headers, host: new URL(target).host } },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on('error', () => outgoing.destroy());
      forwarded.end(body);
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    requests,
    stop: () =>
      new Promise((closed) => {
        server.close(() => {
          closed();
        });
        server.closeAllConnections();
      }),
  };
}

function requestHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) =>
      HOP_HEADERS.has(name) || value === undefined ? [] : [[name, Array.isArray(value) ? value.join(', ') : value]],
    ),
  );
}
