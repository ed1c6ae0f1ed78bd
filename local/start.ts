/**
 * `npm start`: builds the functions and the layer as `sam build` does, then
 * runs the whole system on this machine until Ctrl-C (see local/system/system.ts).
 *
 *   PORT (3000)  CONSOLE_PORT (3001)  DYNAMODB_PORT (8000)  COMPREHEND_PORT (4620)  EVENTBRIDGE_PORT (4621)
 *   SECRETS_MANAGER_PORT (4622)
 *                loopback ports; 0 picks a free one (the URLs printed once it serves say which); CONSOLE_PORT
 *                serves the agent console (built into web/dist at each start) and its local sign-in
 *   LOCAL_STATE_DIR (.local)   where tickets, the token key, secrets and events.jsonl are kept
 *   LOCAL_BUILD_DIR (.aws-sam/build)   where the functions and the layer are built
 *   LOCAL_ENVIRONMENT_BUDGET (8)  how many execution environments (worker threads, ~40–50 MB each) all
 *                              functions keep at once; beyond it a function's new environment replaces
 *                              another's least recently used idle one, else its request waits its turn
 *   SERVICE_LEVEL_TARGETS      the template's ServiceLevelTargets (urgent=1h/4h,…); its default when unset
 *   PARAMETER_OVERRIDES        other template parameters, as `sam deploy --parameter-overrides` takes them:
 *                              `ApiThrottlingRateLimit=500 ApiThrottlingBurstLimit=1000`
 */
import { stop as stopEsbuild } from 'esbuild';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { buildAll, DEFAULT_BUILD_DIR } from '../scripts/build.js';
import { buildConsole, DEFAULT_CONSOLE_DIR } from '../scripts/build-console.js';
import { buildInputsHash, isBuildUpToDate } from '../scripts/build-inputs.js';
import { PROJECT_ROOT, TEMPLATE_PATH } from '../scripts/sam-template.js';
import { LocalSystemError } from './system/errors.js';
import { assertPortsFree } from './system/ports.js';
import {
  listingLine,
  LOCAL_PARTS,
  LOCAL_SERVICES,
  LOCAL_SYSTEM_PORTS,
  portOption,
  type LocalService,
  type PortOptions,
} from './system/parts.js';
import { DEFAULT_ENVIRONMENT_BUDGET, neededPorts, startLocalSystem, type LocalSystem } from './system/system.js';

/** The port its setting names in the environment, else its default. */
function portFrom({ setting, defaultPort }: { setting: string; defaultPort: number }): number {
  const text = process.env[setting];
  if (text === undefined || text === '') return defaultPort;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new LocalSystemError(`${setting}=${text} is not a port number (0–65535; 0 picks a free one).`);
  return port;
}

/** An environment variable's value; unset and empty alike are none. */
function nonEmpty(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

/** Relative to the project when inside it, absolute otherwise. */
function displayPath(path: string): string {
  const inProject = relative(PROJECT_ROOT, path);
  return inProject && !inProject.startsWith('..') && !isAbsolute(inProject) ? inProject : path;
}

/** Set once a signal or a fatal error has begun stopping everything: later failures are consequences, not news. */
let stopping = false;
/** The system's start, once begun: a signal stops the system once it has started (or failed to). */
let starting: Promise<LocalSystem> | undefined;

async function main(): Promise<void> {
  // This process talks to DynamoDB Local to create the table; the SDK's notice
  // about Node versions concerns Lambda's runtime, not a developer's machine.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const started = performance.now();
  const ports = portsFromEnvironment();
  const parameterOverrides = parameterOverridesFromEnvironment();
  const environmentBudget = environmentBudgetFromEnvironment();
  // Before the build: a second `npm start` should fail at once, not after building.
  await assertPortsFree(Object.values(neededPorts(ports)));
  stopOnSignalsAndFatalErrors();

  const buildDir = resolve(nonEmpty(process.env.LOCAL_BUILD_DIR) ?? DEFAULT_BUILD_DIR);
  const built = await build(buildDir);
  if (stopping) return;
  console.log(
    `${built ? 'Built' : 'The build is up to date'} in ${secondsSince(started)} s; starting DynamoDB Local, the Comprehend, EventBridge and Secrets Manager stand-ins, the agent console and the API…`,
  );

  starting = startLocalSystem({
    ...ports,
    stateDir: process.env.LOCAL_STATE_DIR ? resolve(process.env.LOCAL_STATE_DIR) : undefined,
    buildDir,
    ...(Object.keys(parameterOverrides).length > 0 && { parameterOverrides }),
    logOutput: process.stdout,
    environmentBudget,
  });
  const system = await starting;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a signal handler may have set it during the await
  if (stopping) return;
  console.log(servingMessage(system, secondsSince(started)));
}

/** As `sam deploy --parameter-overrides` would set them: PARAMETER_OVERRIDES, then SERVICE_LEVEL_TARGETS. */
function parameterOverridesFromEnvironment(): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const pair of (process.env.PARAMETER_OVERRIDES ?? '').split(/\s+/).filter(Boolean)) {
    const separator = pair.indexOf('=');
    if (separator <= 0) {
      throw new LocalSystemError(`PARAMETER_OVERRIDES: "${pair}" is not Name=Value (pairs separated by spaces).`);
    }
    overrides[pair.slice(0, separator)] = pair.slice(separator + 1);
  }
  const serviceLevelTargets = nonEmpty(process.env.SERVICE_LEVEL_TARGETS);
  if (serviceLevelTargets) overrides.ServiceLevelTargets = serviceLevelTargets;
  return overrides;
}

/** LOCAL_ENVIRONMENT_BUDGET, else the default. */
function environmentBudgetFromEnvironment(): number {
  const text = nonEmpty(process.env.LOCAL_ENVIRONMENT_BUDGET);
  if (text === undefined) return DEFAULT_ENVIRONMENT_BUDGET;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new LocalSystemError(`LOCAL_ENVIRONMENT_BUDGET=${text} is not a number of environments (1 or more).`);
  return Number(text);
}

/** Each port its `npm start` variable names, else its default. */
function portsFromEnvironment(): PortOptions {
  return Object.fromEntries(LOCAL_PARTS.map((part) => [portOption(part), portFrom(LOCAL_SYSTEM_PORTS[part])]));
}

/** Stops the system (once it has started, or failed to) and exits; only the first call does anything. */
async function shutDown(reason: string, exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${reason}: stopping the local system…`);
  const system = await starting?.catch(() => undefined);
  await system?.stop();
  console.log('Stopped.');
  process.exit(exitCode);
}

function stopOnSignalsAndFatalErrors(): void {
  // `on`, not `once`: Ctrl-C reaches this process twice under `npm start` (from
  // the terminal and forwarded by npm), and the second must not cut the stop short.
  process.on('SIGINT', () => void shutDown('SIGINT', 0));
  process.on('SIGTERM', () => void shutDown('SIGTERM', 0));
  process.on('uncaughtException', (error) => {
    console.error(error);
    void shutDown('Unexpected error', 1);
  });
  process.on('unhandledRejection', (error) => {
    console.error(error);
    void shutDown('Unexpected error', 1);
  });
}

/**
 * The functions and the layer, as `sam build` builds them, unless the build
 * folder holds a finished build of the same sources (the template, the code,
 * the lockfile); false when it did.
 */
async function build(buildDir: string): Promise<boolean> {
  // The console's build takes a fraction of a second: it is always made afresh.
  await buildConsole({ outDir: DEFAULT_CONSOLE_DIR });
  const upToDate = await isBuildUpToDate(buildDir, await buildInputsHash(TEMPLATE_PATH));
  if (!upToDate) {
    console.log(`Building functions and layer into ${displayPath(buildDir)} (as sam build does)…`);
    await buildAll({ buildDir });
  }
  // esbuild keeps a service process for further builds; there will be none.
  await stopEsbuild();
  return !upToDate;
}

/** Seconds since `start` (a `performance.now()`), to a tenth. */
function secondsSince(start: number): string {
  return ((performance.now() - start) / 1000).toFixed(1);
}

/** Where each part serves, and how to call the API. */
function servingMessage(system: LocalSystem, seconds: string): string {
  const notes: Record<LocalService, string> = {
    dynamoDb: ` (table ${system.tableName}, data in ${displayPath(join(system.stateDir, 'dynamodb'))})`,
    comprehend: '',
    eventBridge: ` (events appended to ${displayPath(system.eventsFile)}, and printed here: "event <detail-type> ticket=…")`,
    secretsManager: ` (the cursor secret, kept in ${displayPath(join(system.stateDir, 'secrets'))})`,
  };
  const services = LOCAL_SERVICES.map(
    (service) => `  ${listingLine(service, `${system[`${service}Endpoint`]}${notes[service]}`)}\n`,
  ).join('');
  return `
Serving the support tickets API at ${system.apiUrl} (ready in ${seconds} s)
Agent console at ${system.consoleUrl} (sign in with any user id; tick "Support agent" for the agents' view)

${services}  Stream poller             ${Object.keys(system.deadLetterFiles).join(', ') || 'none'} on the table's stream (failed batches: ${Object.values(system.deadLetterFiles).map(displayPath).join(', ') || 'none'})

Get a token (add --agent for a support agent):
  TOKEN=$(npm run --silent token -- --sub alice --email alice@example.com)

Then, for example:
  curl -s -X POST ${system.apiUrl}/tickets -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
    -d '{"subject":"Cannot log in","description":"The login page says my password is wrong since this morning."}'
  curl -s ${system.apiUrl}/tickets -H "Authorization: Bearer $TOKEN"

Press Ctrl-C to stop.`;
}

main().catch((error: unknown) => {
  // Stopping already: the signal's handler reports and exits.
  if (stopping) return;
  // A failure the developer can act on is its message alone; anything else keeps its stack for a bug report.
  console.error(error instanceof LocalSystemError ? error.message : error);
  process.exit(1);
});
