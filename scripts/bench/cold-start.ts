/**
 * Cold start: how much longer than a bare `node` a fresh process takes to
 * import each function's built handler, laid out as Lambda lays it out (the
 * function's folder, its bare imports found in the built layer's
 * nodejs/node_modules), with the environment the template gives it plus what
 * Lambda's runtime sets (tracing on, as deployed); and the bytes of each
 * function's bundle and of each file of the layer.
 *
 * Each sample is a fresh process that prints performance.now() (time since
 * its start) once the handler module is imported; the bare process prints it
 * at once. Function and bare samples alternate, so a change of load on the
 * machine hits both alike; the figure is the difference of their medians.
 *
 * A function that loads its SDK client, repository or tracer on first use
 * starts sooner but pays for them in its first request, so the part also
 * times a cold process to its first answer, for a read (get ticket, one
 * DynamoDB query) and a write (create ticket: Comprehend, then DynamoDB),
 * against DynamoDB Local, the Comprehend stand-in (no delay) and the Secrets
 * Manager stand-in started here: what a caller waits for on a cold start,
 * beyond what a bare node takes to start. It has no target; it shows that
 * what the import no longer loads was moved, not hidden.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readFunctionDefinitions } from '../../local/api/api-definition.js';
import { startComprehendStandIn } from '../../local/comprehend/comprehend-stand-in.js';
import {
  DYNAMODB_LOCAL_CREDENTIALS,
  dynamoDbLocalClient,
  startDynamoDbLocal,
} from '../../local/dynamodb/dynamodb-local.js';
import { ensureTable } from '../../local/dynamodb/table-from-template.js';
import { endpointVariables } from '../../local/system/parts.js';
import { apiEvent, customer } from '../../tests/support/api-gateway-event.js';
import { startCursorSecretStandIn } from '../../tests/support/secrets-manager-stand-in.js';
import { buildAll, type BuiltArtefact } from '../build.js';
import { esbuildFunctions, PROJECT_ROOT, readTemplate } from '../sam-template.js';
import { median, rounded, type BenchPart, type Figure } from './figures.js';

const run = promisify(execFile);

const TARGET_MS = 40;
const RUNS = 20;
const QUICK_RUNS = 5;

const REGION = 'us-east-1';

interface Sandbox {
  logicalId: string;
  /** The function's folder, as Lambda's /var/task. */
  dir: string;
  env: Record<string, string>;
}

/** What Lambda's Node.js runtime adds to a function's own variables; Active tracing sets the X-Ray ones. */
function lambdaRuntimeVariables(logicalId: string, memorySize: number): Record<string, string> {
  return {
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: `support-bench-${logicalId}`,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memorySize),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    _AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129',
    _AWS_XRAY_DAEMON_PORT: '2000',
    // Credentials exist in Lambda; none is used while loading.
    AWS_ACCESS_KEY_ID: 'AKIDBENCHMARK',
    AWS_SECRET_ACCESS_KEY: 'benchmark',
    AWS_SESSION_TOKEN: 'benchmark',
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
  };
}

/** Builds everything as deployed into `root`, and one Lambda-like folder per function. */
async function lambdaLikeSandboxes(root: string): Promise<{ sandboxes: Sandbox[]; built: BuiltArtefact[] }> {
  const buildDir = join(root, 'build');
  const built = await buildAll({ buildDir });
  const layers = built.filter(({ kind }) => kind === 'layer');
  const [layer] = layers;
  if (!layer || layers.length !== 1) throw new Error('The template should have exactly one layer built by make.');

  const template = readTemplate();
  const stack = { template, stackName: 'support-bench', region: REGION, accountId: '123456789012' };
  const definitions = new Map(readFunctionDefinitions(stack, buildDir).map((fn) => [fn.logicalId, fn]));
  const sandboxes: Sandbox[] = [];
  for (const { logicalId } of esbuildFunctions(template)) {
    const definition = definitions.get(logicalId);
    if (!definition) throw new Error(`${logicalId} has no definition in the template.`);
    const dir = join(root, 'task', logicalId);
    await mkdir(dir, { recursive: true });
    await cp(join(buildDir, logicalId), dir, { recursive: true });
    // Lambda puts /opt/nodejs/node_modules on the module path; beside the handler, Node finds it alike.
    await symlink(join(layer.dir, 'nodejs', 'node_modules'), join(dir, 'node_modules'), 'dir');
    sandboxes.push({
      logicalId,
      dir,
      env: {
        PATH: process.env.PATH ?? '',
        ...definition.environment,
        ...lambdaRuntimeVariables(logicalId, definition.memorySize),
        LAMBDA_TASK_ROOT: dir,
      },
    });
  }
  return { sandboxes, built };
}

/** Milliseconds from process start to the end of `script`, measured inside a fresh process. */
async function timedProcess(args: string[], cwd: string, env: Record<string, string>): Promise<number> {
  const { stdout } = await run(process.execPath, args, { cwd, env });
  const value = Number(stdout.trim().split('\n').at(-1));
  if (!Number.isFinite(value)) throw new Error(`No timing printed by node ${args.join(' ')}: ${stdout}`);
  return value;
}

const importHandler = (sandbox: Sandbox) =>
  timedProcess(
    ['--input-type=module', '-e', "await import('./handler.mjs'); console.log(performance.now());"],
    sandbox.dir,
    sandbox.env,
  );

const bareProcess = (sandbox: Sandbox) =>
  timedProcess(['-e', 'console.log(performance.now())'], sandbox.dir, sandbox.env);

// --- the first answer of a cold process ------------------------------------------

/** The functions timed to their first answer, with the request each gets. */
const FIRST_REQUESTS = {
  CreateTicketFunction: () =>
    apiEvent({
      method: 'POST',
      resource: '/tickets',
      claims: customer('bench-cold'),
      body: {
        subject: 'Invoices cannot be exported',
        description:
          'Since this morning the export of our invoices to CSV stops with an error after a few seconds. ' +
          'We need the file for the month-end closing on Friday; could you look into it?',
      },
    }),
  GetTicketFunction: (ticketId: string) =>
    apiEvent({
      method: 'GET',
      resource: '/tickets/{id}',
      pathParameters: { id: ticketId },
      claims: customer('bench-cold'),
    }),
} as const;

type FirstRequestFunction = keyof typeof FIRST_REQUESTS;

/**
 * Imports the handler, invokes it once with BENCH_EVENT and prints when the
 * import ended and when the answer came, in ms since the process started.
 */
const FIRST_REQUEST_SCRIPT = `
const { handler } = await import('./handler.mjs');
const imported = performance.now();
const context = {
  callbackWaitsForEmptyEventLoop: false, functionName: process.env.AWS_LAMBDA_FUNCTION_NAME, functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:' + process.env.AWS_LAMBDA_FUNCTION_NAME,
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, awsRequestId: crypto.randomUUID(),
  logGroupName: 'bench', logStreamName: 'bench', getRemainingTimeInMillis: () => 10000,
};
const result = await handler(JSON.parse(process.env.BENCH_EVENT), context);
console.log(JSON.stringify({ imported, answered: performance.now(), statusCode: result.statusCode, body: result.body }));
process.exit(0);
`;

interface FirstAnswer {
  imported: number;
  answered: number;
  statusCode: number;
  body: string;
}

async function firstAnswer(sandbox: Sandbox, services: Record<string, string>, event: unknown): Promise<FirstAnswer> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', FIRST_REQUEST_SCRIPT], {
    cwd: sandbox.dir,
    env: { ...sandbox.env, ...services, BENCH_EVENT: JSON.stringify(event) },
  });
  const answer = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as FirstAnswer;
  if (answer.statusCode >= 300)
    throw new Error(`${sandbox.logicalId} answered ${String(answer.statusCode)}: ${answer.body}`);
  return answer;
}

/** Medians over `runs` cold processes per function of: process start to first answer, and import end to answer. */
async function firstAnswers(
  sandboxes: Sandbox[],
  runs: number,
  bareMs: number,
): Promise<{
  results: Record<string, { firstAnswerOverBareMs: number; firstInvocationMs: number }>;
  figures: Figure[];
}> {
  const stoppers: (() => Promise<void>)[] = [];
  try {
    const dynamoDb = await startDynamoDbLocal({ projectRoot: PROJECT_ROOT });
    stoppers.push(() => dynamoDb.stop());
    const comprehend = await startComprehendStandIn({ port: 0, fault: 'none', logError: () => undefined });
    stoppers.push(() => comprehend.stop());
    const secret = await startCursorSecretStandIn(`bench-cold-start-secret-${'0123456789'.repeat(4)}`);
    stoppers.push(() => secret.stop());
    const byId = new Map(sandboxes.map((sandbox) => [sandbox.logicalId, sandbox]));
    const create = byId.get('CreateTicketFunction');
    const get = byId.get('GetTicketFunction');
    if (!create || !get) throw new Error('The template has no CreateTicketFunction or GetTicketFunction.');
    const tableName = create.env.TABLE_NAME ?? '';
    const admin = dynamoDbLocalClient(dynamoDb.endpoint);
    await ensureTable(admin, tableName);
    admin.destroy();
    const services = {
      ...endpointVariables({
        dynamoDb: dynamoDb.endpoint,
        comprehend: comprehend.endpoint,
        eventBridge: 'http://127.0.0.1:9',
        secretsManager: secret.environment.AWS_ENDPOINT_URL_SECRETS_MANAGER,
      }),
      CURSOR_SECRET_ARN: secret.environment.CURSOR_SECRET_ARN,
      AWS_ACCESS_KEY_ID: DYNAMODB_LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DYNAMODB_LOCAL_CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: '',
    };

    const samples: Record<FirstRequestFunction, FirstAnswer[]> = { CreateTicketFunction: [], GetTicketFunction: [] };
    for (let round = 0; round < runs; round++) {
      const created = await firstAnswer(create, services, FIRST_REQUESTS.CreateTicketFunction());
      samples.CreateTicketFunction.push(created);
      const { id } = JSON.parse(created.body) as { id: string };
      samples.GetTicketFunction.push(await firstAnswer(get, services, FIRST_REQUESTS.GetTicketFunction(id)));
    }
    const results: Record<string, { firstAnswerOverBareMs: number; firstInvocationMs: number }> = {};
    const figures: Figure[] = [];
    for (const [logicalId, answers] of Object.entries(samples)) {
      const overBare = median(answers.map(({ answered }) => answered)) - bareMs;
      const invocation = median(answers.map(({ imported, answered }) => answered - imported));
      results[logicalId] = { firstAnswerOverBareMs: rounded(overBare, 1), firstInvocationMs: rounded(invocation, 1) };
      console.log(
        `  ${logicalId}: first answer ${overBare.toFixed(1)} ms over bare node, of which the first invocation ${invocation.toFixed(1)} ms`,
      );
      figures.push({
        key: `coldFirstAnswerMs.${logicalId}`,
        value: rounded(overBare, 1),
        unit: 'ms',
        note: `cold process to its first answer minus bare node; first invocation ${invocation.toFixed(1)} ms`,
      });
    }
    return { results, figures };
  } finally {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
  }
}

const LAYER_PACKAGE_DIR = 'nodejs/node_modules/@aws-support-system/shared/';

/** A function's bundle (handler.mjs) in bytes; for the layer, each module (entry points and chunks) and its total. */
function bundleBytes(built: BuiltArtefact[]): Record<string, number | Record<string, number>> {
  const result: Record<string, number | Record<string, number>> = {};
  for (const artefact of [...built].sort((a, b) => a.logicalId.localeCompare(b.logicalId))) {
    if (artefact.kind === 'function') {
      result[artefact.logicalId] = artefact.files.find(({ path }) => path === 'handler.mjs')?.bytes ?? Number.NaN;
      continue;
    }
    const modules = artefact.files.filter(({ path }) => path.endsWith('.mjs'));
    result[artefact.logicalId] = {
      ...Object.fromEntries(modules.map(({ path, bytes }) => [path.replace(LAYER_PACKAGE_DIR, ''), bytes])),
      modulesTotal: modules.reduce((sum, { bytes }) => sum + bytes, 0),
      total: artefact.bytes,
    };
  }
  return result;
}

export const coldStartPart: BenchPart = {
  name: 'cold-start',
  measure: async ({ quick }) => {
    const runs = quick ? QUICK_RUNS : RUNS;
    const root = await mkdtemp(join(tmpdir(), 'support-cold-start-'));
    try {
      console.log('  building every function and the layer as deployed');
      const { sandboxes, built } = await lambdaLikeSandboxes(root);
      const samples = new Map(sandboxes.map(({ logicalId }) => [logicalId, { handler: [] as number[] }]));
      const bare: number[] = [];
      for (let round = 0; round < runs; round++) {
        for (const sandbox of sandboxes) {
          // Alternated, so machine load hits the function and the bare process alike.
          bare.push(await bareProcess(sandbox));
          samples.get(sandbox.logicalId)?.handler.push(await importHandler(sandbox));
        }
        console.log(`  round ${String(round + 1)}/${String(runs)}: bare node ${median(bare).toFixed(1)} ms so far`);
      }
      const bareMs = median(bare);
      const overhead: Record<string, number> = {};
      for (const [logicalId, { handler }] of samples) {
        overhead[logicalId] = rounded(median(handler) - bareMs, 1);
        console.log(
          `  ${logicalId}: ${median(handler).toFixed(1)} ms to import, ${(median(handler) - bareMs).toFixed(1)} ms over bare node`,
        );
      }

      console.log('  timing cold processes to their first answer');
      const first = await firstAnswers(sandboxes, Math.max(3, Math.round(runs / 2)), bareMs);

      const bytes = bundleBytes(built);
      const figures: Figure[] = [
        ...Object.entries(overhead).map(([logicalId, value]) => ({
          key: `coldStartOverheadMs.${logicalId}`,
          value,
          unit: 'ms',
          target: { atMost: TARGET_MS },
          note: `median of ${String(runs)} fresh processes minus bare node (${bareMs.toFixed(1)} ms)`,
        })),
        ...first.figures,
        ...Object.entries(bytes).flatMap(([logicalId, value]) =>
          typeof value === 'number'
            ? [{ key: `bundleBytes.${logicalId}`, value, unit: 'bytes', note: 'handler.mjs' }]
            : [
                {
                  key: `bundleBytes.${logicalId}.modulesTotal`,
                  value: value.modulesTotal ?? Number.NaN,
                  unit: 'bytes',
                  note: 'every entry point and chunk',
                },
                {
                  key: `bundleBytes.${logicalId}.total`,
                  value: value.total ?? Number.NaN,
                  unit: 'bytes',
                  note: 'with source maps and data files',
                },
              ],
        ),
      ];
      return {
        results: {
          coldStartOverheadMs: overhead,
          coldStartBareNodeMs: rounded(bareMs, 1),
          coldFirstAnswer: first.results,
          bundleBytes: bytes,
        },
        figures,
      };
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
};
