/**
 * `npm start`: builds the functions and the layer as `sam build` does, then
 * runs the whole system on this machine until Ctrl-C (see local/system/system.ts).
 *
 *   PORT (3000)  DYNAMODB_PORT (8000)  COMPREHEND_PORT (4620)   loopback ports; 0 picks a free
 *                one (the URLs printed once it serves say which)
 *   LOCAL_STATE_DIR (.local)   where tickets, the token key and secrets are kept
 *   LOCAL_BUILD_DIR (.aws-sam/build)   where the functions and the layer are built
 */
import { stop as stopEsbuild } from 'esbuild';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { buildAll, DEFAULT_BUILD_DIR } from '../scripts/build.js';
import { PROJECT_ROOT } from '../scripts/sam-template.js';
import { LocalSystemError } from './system/errors.js';
import { assertPortsFree } from './system/ports.js';
import { DEFAULT_PORTS, startLocalSystem, type LocalSystem } from './system/system.js';

function portFrom(variable: string, fallback: number): number {
  const text = process.env[variable];
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new LocalSystemError(`${variable}=${text} is not a port number (0–65535; 0 picks a free one).`);
  return port;
}

/** Relative to the project when inside it, absolute otherwise. */
function displayPath(path: string): string {
  const inProject = relative(PROJECT_ROOT, path);
  return inProject && !inProject.startsWith('..') && !isAbsolute(inProject) ? inProject : path;
}

/** Set once a signal or a fatal error has begun stopping everything: later failures are consequences, not news. */
let stopping = false;

async function main(): Promise<void> {
  // This process talks to DynamoDB Local to create the table; the SDK's notice
  // about Node versions concerns Lambda's runtime, not a developer's machine.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const started = performance.now();
  const ports = {
    apiPort: portFrom('PORT', DEFAULT_PORTS.api),
    dynamoDbPort: portFrom('DYNAMODB_PORT', DEFAULT_PORTS.dynamoDb),
    comprehendPort: portFrom('COMPREHEND_PORT', DEFAULT_PORTS.comprehend),
  };
  // Before the build: a second `npm start` should fail at once, not after building.
  await assertPortsFree([
    { name: 'local API', port: ports.apiPort, setting: 'PORT' },
    { name: 'DynamoDB Local', port: ports.dynamoDbPort, setting: 'DYNAMODB_PORT' },
    { name: 'Comprehend stand-in', port: ports.comprehendPort, setting: 'COMPREHEND_PORT' },
  ]);

  let starting: Promise<LocalSystem> | undefined;
  const shutDown = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${reason}: stopping the local system…`);
    // A system still starting is stopped once it has started (or failed to).
    const system = await starting?.catch(() => undefined);
    await system?.stop();
    console.log('Stopped.');
    process.exit(exitCode);
  };
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

  const buildDir = resolve(process.env.LOCAL_BUILD_DIR || DEFAULT_BUILD_DIR);
  console.log(`Building functions and layer into ${displayPath(buildDir)} (as sam build does)…`);
  await buildAll({ buildDir });
  // esbuild keeps a service process for further builds; there will be none.
  await stopEsbuild();
  if (stopping) return;
  console.log(
    `Built in ${((performance.now() - started) / 1000).toFixed(1)} s; starting DynamoDB Local, the Comprehend stand-in and the API…`,
  );

  starting = startLocalSystem({
    ...ports,
    stateDir: process.env.LOCAL_STATE_DIR ? resolve(process.env.LOCAL_STATE_DIR) : undefined,
    buildDir,
    logOutput: process.stdout,
  });
  const system = await starting;
  if (stopping) return;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`
Serving the support tickets API at ${system.apiUrl} (ready in ${seconds} s)

  DynamoDB Local       ${system.dynamoDbEndpoint} (table ${system.tableName}, data in ${displayPath(join(system.stateDir, 'dynamodb'))})
  Comprehend stand-in  ${system.comprehendEndpoint}
  Stream poller        ${Object.keys(system.deadLetterFiles).join(', ') || 'none'} on the table's stream (failed batches: ${Object.values(system.deadLetterFiles).map(displayPath).join(', ') || 'none'})

Get a token (add --agent for a support agent):
  TOKEN=$(npm run --silent token -- --sub alice --email alice@example.com)

Then, for example:
  curl -s -X POST ${system.apiUrl}/tickets -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
    -d '{"subject":"Cannot log in","description":"The login page says my password is wrong since this morning."}'
  curl -s ${system.apiUrl}/tickets -H "Authorization: Bearer $TOKEN"

Press Ctrl-C to stop.`);
}

main().catch((error: unknown) => {
  // Stopping already: the signal's handler reports and exits.
  if (stopping) return;
  // A failure the developer can act on is its message alone; anything else keeps its stack for a bug report.
  console.error(error instanceof LocalSystemError ? error.message : error);
  process.exit(1);
});
