import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { DEFAULT_BUILD_DIR } from '../../scripts/build.js';
import { DEFAULT_CONSOLE_DIR } from '../../scripts/build-console.js';
import { onlyResourceOfType, PROJECT_ROOT, readTemplate, TEMPLATE_PATH } from '../../scripts/sam-template.js';
import { readApiDefinition, readFunctionDefinitions, type FunctionDefinition } from '../api/api-definition.js';
import { LocalCognitoAuthorizer } from '../api/cognito-authorizer.js';
import { resolveValue, type LocalStack } from '../api/intrinsics.js';
import { startConsoleServer, type ConsoleServer } from '../console/console-server.js';
import { EnvironmentBudget, FunctionRuntime } from '../api/lambda-runtime/function-runtime.js';
import { startLocalApi, type LocalApi } from '../api/local-api.js';
import {
  DYNAMODB_LOCAL_CREDENTIALS,
  DYNAMODB_LOCAL_REGION,
  dynamoDbLocalClient,
  startDynamoDbLocal,
  type DynamoDbLocal,
} from '../dynamodb/dynamodb-local.js';
import {
  ensureTable,
  readTableDefinition,
  TableDefinitionMismatchError,
  type TableDefinition,
} from '../dynamodb/table-from-template.js';
import { openDynamoDbStream } from '../event-source/dynamodb-stream-source.js';
import { readStreamEventSourceMappings, type StreamEventSourceMapping } from '../event-source/event-source-mapping.js';
import { StreamPoller } from '../event-source/stream-poller.js';
import { eventLine } from '../eventbridge/event-line.js';
import { startEventBridgeStandIn, type EventBridgeStandIn } from '../eventbridge/eventbridge-stand-in.js';
import { startSecretsManagerStandIn, type SecretsManagerStandIn } from '../secretsmanager/secrets-manager-stand-in.js';
import { DEFAULT_STATE_DIR, loadOrCreateSigningKey, type LocalSigningKey } from '../token/signing-key.js';
import { startChildServer, type ChildServer } from './child-server.js';
import { isAddressInUse, LocalSystemError } from './errors.js';
import { generatedSecretFiles, LOCAL_ACCOUNT_ID, localStack } from './local-stack.js';
import {
  endpointVariables,
  LOCAL_PARTS,
  LOCAL_SERVICES,
  LOCAL_SYSTEM_PORTS,
  portOption,
  type LocalPart,
  type LocalService,
  type PortOptions,
  type ServiceEndpoints,
} from './parts.js';
import { assertPortsFree, PortsInUseError, type NeededPort } from './ports.js';
import { supervise, type Supervised } from './supervisor.js';

/*
 * The whole system on one machine: DynamoDB Local (data under the state
 * directory), the Comprehend stand-in (a child process), the EventBridge
 * stand-in (in this process: it only appends events to a file), the Secrets
 * Manager stand-in (in this process: it only reads the secrets' files under
 * the state directory), the agent console (its built files and a local
 * sign-in), and the local API running the built functions. Started in dependency order, stopped in
 * reverse; a failure half-way stops what already started. DynamoDB Local and
 * the Comprehend stand-in are restarted on their ports if they die meanwhile.
 */

/**
 * The parts that take their default port when the options name none. The
 * others take a free one: only the functions, which are given their
 * endpoints, need to find them (`npm start` passes every setting, defaults
 * included).
 */
const ON_DEFAULT_PORT: ReadonlySet<LocalPart> = new Set(['api', 'dynamoDb', 'comprehend']);

/** Each part's port (`apiPort`…): 0 picks a free one; left out, its default if ON_DEFAULT_PORT, else a free one. */
export interface LocalSystemOptions extends PortOptions {
  /** Where data, keys and secrets are kept between runs; `.local/` by default. */
  stateDir?: string;
  /** Where the built functions and layer are (as `sam build` leaves them); .aws-sam/build by default. */
  buildDir?: string;
  /** Template parameter values, like `sam deploy --parameter-overrides`. */
  parameterOverrides?: Record<string, string>;
  /** Function logs, child servers' output and the access log; nothing when null. */
  logOutput?: Writable | null;
  /** Apply the stage's throttling from the template (on by default). */
  throttling?: boolean;
  /** The JDK that runs DynamoDB Local; JAVA_HOME, else java and javac on the PATH. */
  javaHome?: string;
  /** Restart DynamoDB Local or the Comprehend stand-in when it dies (on by default; off to see the outage). */
  restartServices?: boolean;
  /** How many execution environments (worker threads of this process) all functions may keep at once; DEFAULT_ENVIRONMENT_BUDGET by default. */
  environmentBudget?: number;
  /** The built agent console the console part serves (`npm start` and `npm run build:console` write it); web/dist by default. */
  consoleDir?: string;
}

/**
 * Enough for a few functions under load on a developer's machine: each
 * environment costs this process some 40–50 MB, and beyond it idle
 * environments of other functions make way, then requests wait.
 */
export const DEFAULT_ENVIRONMENT_BUDGET = 8;

/** Where each service is: `dynamoDbEndpoint`, `comprehendEndpoint`… */
export type LocalSystemEndpoints = { [Service in LocalService as `${Service}Endpoint`]: string };

export interface LocalSystem extends LocalSystemEndpoints {
  apiUrl: string;
  /** The agent console's origin (its sign-in answers there too), e.g. http://127.0.0.1:3001 */
  consoleUrl: string;
  /** Where every event published to the stack's bus is appended, one JSON line each. */
  eventsFile: string;
  tableName: string;
  stateDir: string;
  /** Process ids of the child processes running now (a restart after a crash changes them). */
  readonly dynamoDbPid: number;
  readonly comprehendPid: number;
  /** Per stream-consuming function: where its batches that failed beyond their retries are described. */
  deadLetterFiles: Record<string, string>;
  stop(): Promise<void>;
}

/** The ports `options` asks for (the default where it names none), each with what listens there and its setting. */
export function neededPorts(options: PortOptions): Record<LocalPart, NeededPort> {
  const needed = (part: LocalPart): NeededPort => {
    const { name, setting, defaultPort } = LOCAL_SYSTEM_PORTS[part];
    return { name, setting, port: options[portOption(part)] ?? (ON_DEFAULT_PORT.has(part) ? defaultPort : 0) };
  };
  return Object.fromEntries(LOCAL_PARTS.map((part) => [part, needed(part)])) as Record<LocalPart, NeededPort>;
}

/** `AnalyzeTicketFunction` → `analyze-ticket`, as its folder under functions/ is named. */
function localName(functionId: string): string {
  return functionId
    .replace(/Function$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
}

/** Where a stream-consuming function's batches that failed beyond their retries are described. */
function deadLetterFile(stateDir: string, functionId: string): string {
  return join(stateDir, `${localName(functionId)}-dlq.jsonl`);
}

/** Where every event published locally is appended. */
export function eventsFileOf(stateDir: string): string {
  return join(stateDir, 'events.jsonl');
}

/**
 * What the Lambda service puts in every function's environment, with local
 * endpoints and dummy credentials, and the console's origin (CONSOLE_ORIGIN,
 * an allowed origin of the API) when a console is served.
 */
export function lambdaEnvironment(definition: FunctionDefinition, endpoints: ServiceEndpoints, consoleOrigin?: string) {
  return {
    // The template's first: what this machine sets wins, as `sam local --env-vars` wins over the
    // template (the template declares the endpoints empty for sam local to fill in).
    ...definition.environment,
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_REGION: DYNAMODB_LOCAL_REGION,
    AWS_DEFAULT_REGION: DYNAMODB_LOCAL_REGION,
    // DynamoDB Local rejects access keys with anything but letters and digits.
    AWS_ACCESS_KEY_ID: DYNAMODB_LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DYNAMODB_LOCAL_CREDENTIALS.secretAccessKey,
    // Never fall through to the instance metadata service looking for real credentials.
    AWS_EC2_METADATA_DISABLED: 'true',
    ...endpointVariables(endpoints),
    // In AWS, the distribution's domain; here, the console part's origin, or none without a console
    // (the template's value would resolve to a placeholder ARN).
    CONSOLE_ORIGIN: consoleOrigin ?? '',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    // No X-Ray daemon here: Powertools Tracer would trace as in Lambda.
    POWERTOOLS_TRACE_ENABLED: 'false',
    // Lambda runs Node 22; on an older local Node the SDK would warn once per cold start.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_LAMBDA_FUNCTION_NAME: definition.logicalId,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(definition.memorySize),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${definition.logicalId}`,
    LAMBDA_TASK_ROOT: definition.codeDir,
  };
}

/** What the template gives the local system, read before any process starts. */
interface LocalStackPlan {
  api: ReturnType<typeof readApiDefinition>;
  definitions: FunctionDefinition[];
  table: TableDefinition;
  tableName: string;
  layerLogicalId: string;
  streamMappings: StreamEventSourceMapping[];
  /** Per stream-consuming function: where its batches that failed beyond their retries are described. */
  deadLetterFiles: Record<string, string>;
  /** The names of the template's event buses, as `!Ref` resolves them locally. */
  eventBuses: string[];
  /** The template's generated secrets by name (`!Ref` locally), each with the file holding its value. */
  secretFiles: Record<string, string>;
}

/** What has started, stopped in reverse order: the API stops taking requests before its dependencies go. */
class StartedParts {
  private readonly stoppers: (() => Promise<void>)[] = [];
  private readonly stoppingHooks: (() => void)[] = [];

  add(stop: () => Promise<void>): void {
    this.stoppers.push(stop);
  }

  /** Runs first thing when the stop begins, before any part is stopped. */
  whenStopping(hook: () => void): void {
    this.stoppingHooks.push(hook);
  }

  /** Stops each part once; a part that fails to stop does not keep the others running. */
  async stopAll(): Promise<void> {
    for (const hook of this.stoppingHooks.splice(0)) hook();
    for (const stopOne of this.stoppers.splice(0).reverse()) await stopOne().catch(() => undefined);
  }
}

export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const needed = neededPorts(options);
  await assertPortsFree(Object.values(needed));

  const stateDir = options.stateDir ?? DEFAULT_STATE_DIR;
  const buildDir = options.buildDir ?? DEFAULT_BUILD_DIR;
  // Read everything from the template first: a mistake there fails before any process starts.
  const plan = readLocalStack(stateDir, buildDir, options.parameterOverrides);

  const started = new StartedParts();
  try {
    return await startInOrder(
      plan,
      {
        needed,
        stateDir,
        buildDir,
        output: options.logOutput ?? null,
        javaHome: options.javaHome,
        throttling: options.throttling,
        restartServices: options.restartServices ?? true,
        environmentBudget: new EnvironmentBudget(options.environmentBudget ?? DEFAULT_ENVIRONMENT_BUDGET),
        consoleDir: options.consoleDir ?? DEFAULT_CONSOLE_DIR,
      },
      started,
    );
  } catch (error) {
    await started.stopAll();
    throw error;
  }
}

/** Where and how the parts run: the options, each resolved to its value or default. */
interface StartSettings {
  needed: ReturnType<typeof neededPorts>;
  stateDir: string;
  buildDir: string;
  output: Writable | null;
  javaHome: string | undefined;
  throttling: boolean | undefined;
  restartServices: boolean;
  environmentBudget: EnvironmentBudget;
  consoleDir: string;
}

/** Starts each part after those it depends on, adding each to `started` as soon as it runs. */
async function startInOrder(
  plan: LocalStackPlan,
  settings: StartSettings,
  started: StartedParts,
): Promise<LocalSystem> {
  const { needed, stateDir, output } = settings;
  const dynamoDbData = join(stateDir, 'dynamodb');
  mkdirSync(dynamoDbData, { recursive: true });
  const services = await startServices(
    { needed, dynamoDbData, javaHome: settings.javaHome, output, restartServices: settings.restartServices },
    started,
  );
  // Their endpoints stay the same across restarts: a restart takes the same port.
  const dynamoDb = services.dynamoDb.current;
  const comprehend = services.comprehend.current;
  const { tableName } = plan;
  await createTable(dynamoDb, { name: tableName, definition: plan.table }, dynamoDbData);
  const eventBridge = await startEventBridge(needed.eventBridge, { stateDir, eventBuses: plan.eventBuses, output });
  started.add(() => eventBridge.stop());
  const secretsManager = await startSecretsManager(needed.secretsManager, { secretFiles: plan.secretFiles, output });
  started.add(() => secretsManager.stop());

  const endpoints: ServiceEndpoints = {
    dynamoDb: dynamoDb.endpoint,
    comprehend: comprehend.ready,
    eventBridge: eventBridge.endpoint,
    secretsManager: secretsManager.endpoint,
  };
  const signingKey = await loadOrCreateSigningKey(stateDir);
  // Before the functions, which are told its origin; it learns the API's URL once the API listens.
  const api: { url?: string } = {};
  const agentConsole = await startConsole(needed.console, {
    dir: settings.consoleDir,
    signingKey,
    apiUrl: () => api.url,
  });
  started.add(() => agentConsole.stop());
  const functions = functionRuntimes(plan.definitions, {
    layerDir: join(settings.buildDir, plan.layerLogicalId),
    endpoints,
    consoleOrigin: agentConsole.url,
    output,
    budget: settings.environmentBudget,
  });
  started.add(async () => {
    await Promise.all([...functions.values()].map((runtime) => runtime.stop()));
  });
  const localApi = await startApi(needed.api, {
    api: plan.api,
    functions,
    signingKey,
    output,
    throttling: settings.throttling,
  });
  started.add(() => localApi.stop());
  api.url = localApi.url;

  // Added after the runtimes, so stopped before them: no batch is handed to a stopping function.
  for (const mapping of plan.streamMappings) {
    started.add(await startStreamPoller(mapping, { dynamoDb, tableName, functions, stateDir, output }));
  }

  return {
    apiUrl: localApi.url,
    consoleUrl: agentConsole.url,
    ...(Object.fromEntries(
      LOCAL_SERVICES.map((service) => [`${service}Endpoint`, endpoints[service]]),
    ) as LocalSystemEndpoints),
    eventsFile: eventBridge.eventsFile,
    tableName,
    stateDir,
    get dynamoDbPid() {
      return services.dynamoDb.current.pid;
    },
    get comprehendPid() {
      return services.comprehend.current.pid;
    },
    deadLetterFiles: plan.deadLetterFiles,
    stop: () => started.stopAll(),
  };
}

/** The API, the functions, the table and its stream's consumers as the template declares them for this machine. */
function readLocalStack(
  stateDir: string,
  buildDir: string,
  parameterOverrides: Record<string, string> | undefined,
): LocalStackPlan {
  const stack = localStack({ region: DYNAMODB_LOCAL_REGION, stateDir, parameterOverrides });
  const api = readApiDefinition(stack);
  const definitions = readFunctionDefinitions(stack, buildDir);
  const table = readTableDefinition(TEMPLATE_PATH);
  const [layerLogicalId] = onlyResourceOfType(readTemplate(TEMPLATE_PATH), 'AWS::Serverless::LayerVersion');
  const tableName = String(resolveValue({ Ref: table.logicalId }, stack));
  const streamMappings = readStreamEventSourceMappings(stack);
  for (const mapping of streamMappings) {
    if (mapping.tableLogicalId !== table.logicalId) {
      throw new LocalSystemError(`${mapping.functionId}: only the stream of ${table.logicalId} is polled locally.`);
    }
  }
  const deadLetterFiles = Object.fromEntries(
    streamMappings.map(({ functionId }) => [functionId, deadLetterFile(stateDir, functionId)]),
  );
  const eventBuses = eventBusNames(stack);
  const secretFiles = generatedSecretFiles(stateDir, stack.template);
  return {
    api,
    definitions,
    table,
    tableName,
    layerLogicalId,
    streamMappings,
    deadLetterFiles,
    eventBuses,
    secretFiles,
  };
}

/** The template's event buses by the name `!Ref` gives them here, which is what the functions are told. */
function eventBusNames(stack: LocalStack): string[] {
  return Object.entries(stack.template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Events::EventBus')
    .map(([logicalId]) => String(resolveValue({ Ref: logicalId }, stack)));
}

/**
 * DynamoDB Local and the Comprehend stand-in, started at once. Each one that
 * started is added to `started` before a failure of the other is rethrown, so a
 * failed start leaves no child behind. Once both run, each is supervised: one
 * that dies is started again on the port it took (DynamoDB Local on the same data).
 */
async function startServices(
  settings: Pick<StartSettings, 'needed' | 'javaHome' | 'output' | 'restartServices'> & { dynamoDbData: string },
  started: StartedParts,
): Promise<{ dynamoDb: Supervised<DynamoDbLocal>; comprehend: Supervised<ChildServer> }> {
  const { needed, output } = settings;
  const dynamoDbOn = (port: number) =>
    startDynamoDbLocal({ port, dbPath: settings.dynamoDbData, projectRoot: PROJECT_ROOT, javaHome: settings.javaHome });
  const [dynamoDbStart, comprehendStart] = await Promise.allSettled([
    dynamoDbOn(needed.dynamoDb.port),
    startComprehend(needed.comprehend.port, output),
  ]);
  const starts = [dynamoDbStart, comprehendStart];
  if (starts.some((start) => start.status === 'rejected')) {
    for (const start of starts) if (start.status === 'fulfilled') started.add(() => start.value.stop());
  }
  if (dynamoDbStart.status === 'rejected') throw portsInUseOr(dynamoDbStart.reason, needed.dynamoDb);
  if (comprehendStart.status === 'rejected') throw portsInUseOr(comprehendStart.reason, needed.comprehend);
  // Port 0 asked for a free port: a restart takes the one the first start got.
  const dynamoDbPort = dynamoDbStart.value.port;
  const comprehendPort = Number(new URL(comprehendStart.value.ready).port);
  const dynamoDb = supervise({
    name: 'DynamoDB Local',
    address: `127.0.0.1:${dynamoDbPort}`,
    keeps: `its data in ${settings.dynamoDbData}`,
    first: dynamoDbStart.value,
    restart: () => dynamoDbOn(dynamoDbPort),
    output,
  });
  const comprehend = supervise({
    name: 'comprehend',
    address: `127.0.0.1:${comprehendPort}`,
    first: comprehendStart.value,
    restart: () => startComprehend(comprehendPort, output),
    output,
  });
  started.add(() => dynamoDb.stop());
  started.add(() => comprehend.stop());
  // Once the system stops, a child that ends (Ctrl-C reaches it too) is not restarted while the rest stops.
  const noMoreRestarts = () => {
    dynamoDb.stopRestarting();
    comprehend.stopRestarting();
  };
  if (!settings.restartServices) noMoreRestarts();
  started.whenStopping(noMoreRestarts);
  return { dynamoDb, comprehend };
}

/** A runtime per built function, by logical id, each with the layer and Lambda's environment pointing at local endpoints, all sharing one budget of environments. */
function functionRuntimes(
  definitions: readonly FunctionDefinition[],
  settings: {
    layerDir: string;
    endpoints: ServiceEndpoints;
    consoleOrigin: string;
    output: Writable | null;
    budget: EnvironmentBudget;
  },
): Map<string, FunctionRuntime> {
  return new Map(
    definitions.map((definition) => [
      definition.logicalId,
      new FunctionRuntime(definition, {
        layerDir: settings.layerDir,
        environment: lambdaEnvironment(definition, settings.endpoints, settings.consoleOrigin),
        logOutput: settings.output,
        budget: settings.budget,
      }),
    ]),
  );
}

/** The local API on `port`; its authorizer checks tokens against the state directory's key and logs why it refuses one. */
function startApi(
  port: NeededPort,
  settings: Pick<StartSettings, 'output' | 'throttling'> & {
    api: LocalStackPlan['api'];
    functions: Map<string, FunctionRuntime>;
    signingKey: LocalSigningKey;
  },
): Promise<LocalApi> {
  return startLocalApi({
    port: port.port,
    api: settings.api,
    functions: settings.functions,
    authorizer: new LocalCognitoAuthorizer(settings.signingKey, {
      log: (line) => settings.output?.write(`${line}\n`),
    }),
    accessLog: settings.output,
    throttling: settings.throttling,
  }).catch((error: unknown) => {
    throw portsInUseOr(error, port);
  });
}

/** The agent console and its local sign-in, whose tokens the API's authorizer accepts (the same key). */
function startConsole(
  port: NeededPort,
  settings: { dir: string; signingKey: LocalSigningKey; apiUrl: () => string | undefined },
): Promise<ConsoleServer> {
  return startConsoleServer({ port: port.port, ...settings }).catch((error: unknown) => {
    throw portsInUseOr(error, port);
  });
}

/** A port taken after the check (during a build, or by a race) reads as the check's own message. */
function portsInUseOr(error: unknown, port: NeededPort): unknown {
  return isAddressInUse(error) ? new PortsInUseError([port]) : error;
}

/** The Comprehend stand-in as a child process on `port` (0: any free one); its ready value is its endpoint. */
export function startComprehend(port: number, output: Writable | null): Promise<ChildServer> {
  return startChildServer({
    name: 'comprehend',
    command: process.execPath,
    args: [
      '--import',
      new URL('./exit-with-parent.mjs', import.meta.url).href,
      '--import',
      'tsx',
      join(PROJECT_ROOT, 'local', 'comprehend', 'main.ts'),
      '--port',
      String(port),
    ],
    cwd: PROJECT_ROOT,
    // Not inherited: a fault setting meant for a test elsewhere must not leak in.
    env: { ...process.env, COMPREHEND_STAND_IN_FAULT: undefined, NODE_OPTIONS: undefined },
    readyLine: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    portInUseLine: /EADDRINUSE/,
    output,
  });
}

/** The EventBridge stand-in, appending to the state directory's events file and printing each event on one line. */
function startEventBridge(
  port: NeededPort,
  settings: { stateDir: string; eventBuses: string[]; output: Writable | null },
): Promise<EventBridgeStandIn> {
  const { output } = settings;
  return startEventBridgeStandIn({
    port: port.port,
    eventsFile: eventsFileOf(settings.stateDir),
    eventBuses: settings.eventBuses,
    region: DYNAMODB_LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
    onEvent: output ? (event) => output.write(`${eventLine(event)}\n`) : undefined,
    logError: (message, error) => output?.write(`[eventbridge] ${message}: ${String(error)}\n`),
  }).catch((error: unknown) => {
    throw portsInUseOr(error, port);
  });
}

/** The Secrets Manager stand-in, serving the template's generated secrets from their files. */
function startSecretsManager(
  port: NeededPort,
  settings: { secretFiles: Record<string, string>; output: Writable | null },
): Promise<SecretsManagerStandIn> {
  const { output } = settings;
  return startSecretsManagerStandIn({
    port: port.port,
    secretFiles: settings.secretFiles,
    region: DYNAMODB_LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
    logError: (message, error) => output?.write(`[secretsmanager] ${message}: ${String(error)}\n`),
  }).catch((error: unknown) => {
    throw portsInUseOr(error, port);
  });
}

/** Lambda's event source mapping for one stream event of the template, reading DynamoDB Local's stream. */
async function startStreamPoller(
  mapping: StreamEventSourceMapping,
  context: {
    dynamoDb: DynamoDbLocal;
    tableName: string;
    functions: Map<string, FunctionRuntime>;
    stateDir: string;
    output: Writable | null;
  },
): Promise<() => Promise<void>> {
  const runtime = context.functions.get(mapping.functionId);
  if (!runtime) throw new LocalSystemError(`${mapping.functionId} is not a function this runtime built.`);
  const source = await openDynamoDbStream({
    endpoint: context.dynamoDb.endpoint,
    region: DYNAMODB_LOCAL_REGION,
    credentials: DYNAMODB_LOCAL_CREDENTIALS,
    tableName: context.tableName,
  });
  const poller = new StreamPoller({
    mapping,
    source,
    function: runtime,
    region: DYNAMODB_LOCAL_REGION,
    deadLetterFile: deadLetterFile(context.stateDir, mapping.functionId),
    checkpointFile: join(context.stateDir, 'stream-checkpoints', `${mapping.functionId}.json`),
    logOutput: context.output,
  });
  poller.start();
  return async () => {
    await poller.stop();
    source.stop();
  };
}

async function createTable(
  dynamoDb: DynamoDbLocal,
  table: { name: string; definition: TableDefinition },
  dataDir: string,
): Promise<void> {
  const client = dynamoDbLocalClient(dynamoDb.endpoint);
  try {
    await ensureTable(client, table.name, table.definition);
  } catch (error) {
    if (!(error instanceof TableDefinitionMismatchError)) throw error;
    throw new LocalSystemError(
      `The table in ${dataDir} was made from an older template.yaml (${error.differences.join('; ')}); ` +
        `delete ${dataDir} to have it created afresh (its tickets go with it).`,
      { cause: error },
    );
  } finally {
    client.destroy();
  }
}
