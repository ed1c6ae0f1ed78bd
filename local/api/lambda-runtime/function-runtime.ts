import { randomUUID } from 'node:crypto';
import { Transform, type Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { FunctionDefinition } from '../api-definition.js';

/*
 * Runs one function the way Lambda does: each execution environment (a worker
 * thread, see function-worker.mjs) loads the built handler once — its cold
 * start — and then serves one invocation at a time. A request that finds every
 * environment busy gets a new one, up to a limit; beyond it, requests wait. An
 * environment whose invocation times out, or that crashes, is thrown away, so
 * the next invocation starts a fresh one, as in Lambda.
 */

export type InvocationOutcome =
  | { kind: 'result'; result: unknown }
  | { kind: 'error'; errorType: string; errorMessage: string }
  | { kind: 'timeout'; timeoutSeconds: number };

export interface FunctionRuntimeOptions {
  /** The built layer's folder (.aws-sam/build/SharedLayer), Lambda's /opt. */
  layerDir: string;
  /** The complete process environment of the function: template variables plus Lambda's own. */
  environment: Record<string, string>;
  maxEnvironments?: number;
  /** Where the function's stdout/stderr go, each line prefixed with its name; dropped when null. */
  logOutput: Writable | null;
}

interface WorkerError {
  errorType: string;
  errorMessage: string;
}

const DEFAULT_MAX_ENVIRONMENTS = 4;

/**
 * A small young generation per environment: a handler's garbage is short-lived
 * and small, and V8's default (up to 48 MB a thread) multiplied by every
 * environment of every function is most of the local system's memory.
 */
const WORKER_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 8 };

export class FunctionRuntime {
  readonly #environments = new Set<ExecutionEnvironment>();
  readonly #idle: ExecutionEnvironment[] = [];
  readonly #waiting: ((environment: ExecutionEnvironment | Error) => void)[] = [];
  readonly #maxEnvironments: number;
  #starting = 0;
  #stopped = false;

  constructor(
    readonly definition: FunctionDefinition,
    private readonly options: FunctionRuntimeOptions,
  ) {
    this.#maxEnvironments = options.maxEnvironments ?? DEFAULT_MAX_ENVIRONMENTS;
  }

  async invoke(event: unknown): Promise<InvocationOutcome> {
    let environment: ExecutionEnvironment;
    try {
      environment = await this.#acquire();
    } catch (error) {
      const { errorType, errorMessage } = error as Error & Partial<WorkerError>;
      return { kind: 'error', errorType: errorType ?? 'Runtime.Unknown', errorMessage: errorMessage ?? String(error) };
    }
    const outcome = await environment.invoke(event, this.definition.timeoutSeconds);
    this.#release(environment);
    return outcome;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const wake of this.#waiting.splice(0)) wake(new Error('The local API is stopping.'));
    await Promise.all([...this.#environments].map((environment) => environment.terminate()));
    this.#environments.clear();
  }

  async #acquire(): Promise<ExecutionEnvironment> {
    if (this.#stopped) throw new Error('The local API is stopping.');
    const idle = this.#idle.pop();
    if (idle) return idle;
    if (this.#environments.size + this.#starting < this.#maxEnvironments) return this.#startEnvironment();
    return new Promise((resolveEnvironment, reject) => {
      this.#waiting.push((next) => {
        if (next instanceof Error) reject(next);
        else resolveEnvironment(next);
      });
    });
  }

  /** A cold start. */
  async #startEnvironment(): Promise<ExecutionEnvironment> {
    this.#starting += 1;
    let environment: ExecutionEnvironment;
    try {
      environment = await ExecutionEnvironment.start(this.definition, this.options);
    } catch (error) {
      this.#starting -= 1;
      this.#wakeWaiter();
      throw error;
    }
    this.#starting -= 1;
    if (this.#stopped) {
      await environment.terminate();
      throw new Error('The local API is stopping.');
    }
    this.#environments.add(environment);
    environment.onExit(() => {
      this.#forget(environment);
    });
    return environment;
  }

  #release(environment: ExecutionEnvironment): void {
    // A dead environment frees its slot when its thread has exited (#forget).
    if (!environment.alive) return;
    const waiter = this.#waiting.shift();
    if (waiter) waiter(environment);
    else this.#idle.push(environment);
  }

  #forget(environment: ExecutionEnvironment): void {
    this.#environments.delete(environment);
    const index = this.#idle.indexOf(environment);
    if (index >= 0) this.#idle.splice(index, 1);
    this.#wakeWaiter();
  }

  /** A slot came free: the longest-waiting request gets an environment, starting one if need be. */
  #wakeWaiter(): void {
    if (this.#stopped) return;
    const waiter = this.#waiting.shift();
    if (waiter) this.#acquire().then(waiter, waiter);
  }
}

const WORKER_FILE = new URL('./function-worker.mjs', import.meta.url);

class ExecutionEnvironment {
  #alive = true;
  #pending: ((message: WorkerMessage) => void) | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: WorkerMessage) => this.#pending?.(message));
    worker.once('exit', () => {
      this.#alive = false;
      this.#pending?.({
        type: 'error',
        error: { errorType: 'Runtime.ExitError', errorMessage: 'The runtime exited.' },
      });
    });
    // An uncaught exception ends the worker; 'exit' follows and fails the invocation.
    worker.on('error', () => undefined);
  }

  get alive(): boolean {
    return this.#alive;
  }

  /** Starts the worker and waits for the handler module to load (the init phase). */
  static start(definition: FunctionDefinition, options: FunctionRuntimeOptions): Promise<ExecutionEnvironment> {
    const worker = new Worker(WORKER_FILE, {
      workerData: {
        handlerFile: definition.handlerFile,
        handlerExport: definition.handlerExport,
        functionName: definition.logicalId,
        memorySize: definition.memorySize,
        codeDir: definition.codeDir,
        layerDir: options.layerDir,
      },
      env: options.environment,
      // The function runs as deployed: no TypeScript loader or test flags from this process.
      execArgv: [],
      stdout: true,
      stderr: true,
      resourceLimits: WORKER_RESOURCE_LIMITS,
    });
    routeOutput(worker, definition.logicalId, options.logOutput);
    const environment = new ExecutionEnvironment(worker);
    return new Promise((resolveStarted, reject) => {
      environment.#pending = (message) => {
        environment.#pending = null;
        if (message.type === 'ready') {
          resolveStarted(environment);
          return;
        }
        void environment.terminate();
        const error = message.type === 'init-error' || message.type === 'error' ? message.error : undefined;
        reject(Object.assign(new Error(error?.errorMessage ?? 'The function failed to start.'), error));
      };
    });
  }

  onExit(listener: () => void): void {
    this.worker.once('exit', listener);
  }

  invoke(event: unknown, timeoutSeconds: number): Promise<InvocationOutcome> {
    const id = randomUUID();
    const deadline = Date.now() + timeoutSeconds * 1000;
    return new Promise((resolveOutcome) => {
      const timer = setTimeout(() => {
        this.#pending = null;
        // Lambda ends an environment whose invocation timed out.
        void this.terminate();
        resolveOutcome({ kind: 'timeout', timeoutSeconds });
      }, timeoutSeconds * 1000);
      this.#pending = (message) => {
        if ('id' in message && message.id !== id) return;
        clearTimeout(timer);
        this.#pending = null;
        if (message.type === 'result') resolveOutcome({ kind: 'result', result: JSON.parse(message.resultJson) });
        else if (message.type === 'error' || message.type === 'init-error') {
          resolveOutcome({
            kind: 'error',
            errorType: message.error.errorType,
            errorMessage: message.error.errorMessage,
          });
        }
      };
      // As JSON, the way Lambda hands its runtime an event: one string is cheaper to pass than an object graph.
      this.worker.postMessage({ id, eventJson: JSON.stringify(event), awsRequestId: randomUUID(), deadline });
    });
  }

  async terminate(): Promise<void> {
    this.#alive = false;
    await this.worker.terminate();
  }
}

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: WorkerError }
  | { type: 'result'; id?: string; resultJson: string }
  | { type: 'error'; id?: string; error: WorkerError };

/** Each line the function writes goes out prefixed with its name, so interleaved logs stay readable. */
function routeOutput(worker: Worker, name: string, output: Writable | null): void {
  for (const stream of [worker.stdout, worker.stderr]) {
    if (!output) {
      stream.resume();
      continue;
    }
    // Written, not piped: every environment of every function shares the output, and each pipe would add its listeners to it.
    stream.pipe(prefixLines(`[${name}] `)).on('data', (lines: Buffer) => {
      output.write(lines);
    });
  }
}

function prefixLines(prefix: string): Transform {
  let partial = '';
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      done(null, lines.map((line) => `${prefix}${line}\n`).join(''));
    },
    flush(done) {
      done(null, partial ? `${prefix}${partial}\n` : '');
    },
  });
}
