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
 *
 * Every environment is a thread of this process, so the functions of a local
 * system share an EnvironmentBudget: when it is spent, a new environment takes
 * the place of the least recently used idle one of another function (Lambda,
 * too, retires idle environments), else its request waits with those of every
 * function, oldest first (see EnvironmentBudget.claim and takeWaiterFor).
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
  /** This function's own limit of environments. */
  maxEnvironments?: number;
  /** Shared with the other functions of the system; without one, only the function's own limit applies. */
  budget?: EnvironmentBudget;
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

const STOPPING = 'The local API is stopping.';
/** The error type of a request withdrawn before it ran. */
const CANCELLED = 'Runtime.Cancelled';

/** One function's side of a budget. */
interface BudgetMember {
  /** Its environments, running and starting. */
  size(): number;
  /** Below its own limit of environments. */
  canGrow(): boolean;
  /** When its least recently used idle environment became idle (a budget turn, and performance.now()); undefined when none is idle. */
  oldestIdle(): { turn: number; atMs: number } | undefined;
  /** Ends its least recently used idle environment, whose slot passes to the caller once the promise resolves. */
  retireOldestIdle(): Promise<void>;
  /** Starts an environment in a slot already counted, free once `vacated` resolves. */
  start(vacated: Promise<void>): Promise<ExecutionEnvironment>;
}

/** A request waiting for an environment of its function. */
interface BudgetWaiter {
  readonly member: BudgetMember;
  resume(environment: Promise<ExecutionEnvironment>): void;
}

/**
 * How many execution environments all functions may have at once, running or
 * starting. The FunctionRuntimes sharing it keep its count: each environment
 * holds a slot from the start of its cold start until its thread is gone or
 * its slot passes to another function's environment.
 */
/**
 * An environment idle this long may be taken by another function even in a
 * quiet system, where too few invocations pass for it to age in turns.
 */
export const IDLE_ENVIRONMENT_TAKEN_AFTER_MS = 10_000;

export class EnvironmentBudget {
  #used = 0;
  #turn = 0;
  readonly #members = new Set<BudgetMember>();
  /** Requests of every function, oldest first. */
  readonly #waiting: BudgetWaiter[] = [];

  constructor(readonly size: number) {
    if (size !== Infinity && !(Number.isInteger(size) && size >= 1)) {
      throw new RangeError(`A budget of environments is a whole number from 1, not ${String(size)}.`);
    }
  }

  /** Environments running or starting, of every function. */
  get inUse(): number {
    return this.#used;
  }

  join(member: BudgetMember): void {
    this.#members.add(member);
  }

  /** The member's waiting requests, now its own to end. */
  leave(member: BudgetMember): BudgetWaiter[] {
    this.#members.delete(member);
    const theirs = this.#waiting.filter((waiter) => waiter.member === member);
    this.#waiting.splice(0, this.#waiting.length, ...this.#waiting.filter((waiter) => waiter.member !== member));
    return theirs;
  }

  /** Increasing: orders idle environments from least to most recently used across functions. */
  nextTurn(): number {
    this.#turn += 1;
    return this.#turn;
  }

  /**
   * A slot for a new environment of `claimant`: a free one, else that of the
   * least recently used idle environment of another function, retired, when
   * the claimant has no environment at all, or two fewer than that function,
   * or that environment sat idle through as many invocations as the budget
   * holds or for IDLE_ENVIRONMENT_TAKEN_AFTER_MS; undefined otherwise (the request waits: for its own function's
   * environments when it has some). Taking a warm environment from a function
   * that is merely between invocations would make it a cold start again at once.
   * The slot is the caller's once the promise resolves.
   */
  claim(claimant: BudgetMember): Promise<void> | undefined {
    if (this.#used < this.size) {
      this.#used += 1;
      return Promise.resolve();
    }
    const mayRetire = (owner: BudgetMember, idle: { turn: number; atMs: number }) =>
      claimant.size() === 0 ||
      claimant.size() + 2 <= owner.size() ||
      this.#turn - idle.turn >= this.size ||
      performance.now() - idle.atMs >= IDLE_ENVIRONMENT_TAKEN_AFTER_MS;
    let oldest: { member: BudgetMember; turn: number } | undefined;
    for (const member of this.#members) {
      const idle = member.oldestIdle();
      if (idle !== undefined && (!oldest || idle.turn < oldest.turn) && mayRetire(member, idle))
        oldest = { member, turn: idle.turn };
    }
    return oldest?.member.retireOldestIdle();
  }

  wait(waiter: BudgetWaiter): void {
    this.#waiting.push(waiter);
  }

  /** Takes back a waiting request; false when it was served already. */
  withdraw(waiter: BudgetWaiter): boolean {
    const index = this.#waiting.indexOf(waiter);
    if (index < 0) return false;
    this.#waiting.splice(index, 1);
    return true;
  }

  /** Whether requests of `member` are waiting: a new one waits behind them. */
  hasWaiting(member: BudgetMember): boolean {
    return this.#waiting.some((waiter) => waiter.member === member);
  }

  /**
   * The request an environment of `member` that just finished an invocation
   * serves next, undefined when none (it stays idle): the oldest waiting one of
   * its own function, or of another function below its own limit that has no
   * environment at all (it would starve) or two fewer than this one — the
   * environment then makes way for one of that function. A function with
   * environments of its own otherwise waits for them: moving environments
   * between functions busy alike would make nearly every invocation a cold start.
   */
  takeWaiterFor(member: BudgetMember): BudgetWaiter | undefined {
    const needsMore = (other: BudgetMember) =>
      other.canGrow() && (other.size() === 0 || other.size() + 2 <= member.size());
    const index = this.#waiting.findIndex((waiter) => waiter.member === member || needsMore(waiter.member));
    return index < 0 ? undefined : this.#waiting.splice(index, 1)[0];
  }

  /** Slots came free (environments gone, or failed to start): each goes to the oldest request whose function may grow. */
  release(slots = 1): void {
    this.#used -= slots;
    while (this.#used < this.size) {
      const index = this.#waiting.findIndex((waiter) => waiter.member.canGrow());
      if (index < 0) return;
      const [waiter] = this.#waiting.splice(index, 1);
      if (!waiter) return;
      this.#used += 1;
      waiter.resume(waiter.member.start(Promise.resolve()));
    }
  }
}

export class FunctionRuntime {
  /** Running environments, each holding a slot of the budget. */
  readonly #environments = new Set<ExecutionEnvironment>();
  /** Least recently used first, each with the budget's turn at which it became idle. */
  readonly #idle: { environment: ExecutionEnvironment; since: number; atMs: number }[] = [];
  readonly #maxEnvironments: number;
  readonly #budget: EnvironmentBudget;
  readonly #member: BudgetMember;
  #starting = 0;
  #stopped = false;

  constructor(
    readonly definition: FunctionDefinition,
    private readonly options: FunctionRuntimeOptions,
  ) {
    this.#maxEnvironments = options.maxEnvironments ?? DEFAULT_MAX_ENVIRONMENTS;
    this.#budget = options.budget ?? new EnvironmentBudget(Infinity);
    this.#member = {
      size: () => this.#environments.size + this.#starting,
      canGrow: () => !this.#stopped && this.#member.size() < this.#maxEnvironments,
      oldestIdle: () => {
        const [oldest] = this.#idle;
        return oldest && { turn: oldest.since, atMs: oldest.atMs };
      },
      retireOldestIdle: () => {
        const [oldest] = this.#idle;
        return oldest ? this.#retire(oldest.environment) : Promise.resolve();
      },
      start: (vacated) => this.#startEnvironment(vacated),
    };
    this.#budget.join(this.#member);
  }

  /**
   * Runs the event in an environment of this function. `cancelled` ends a
   * request that no environment has taken yet (API Gateway has answered it):
   * it is never run. Once an invocation runs, it runs to its end, as in Lambda.
   */
  async invoke(event: unknown, cancelled?: AbortSignal): Promise<InvocationOutcome> {
    let environment: ExecutionEnvironment;
    try {
      environment = await this.#acquire(cancelled);
    } catch (error) {
      const { errorType, errorMessage } = error as Error & Partial<WorkerError>;
      return { kind: 'error', errorType: errorType ?? 'Runtime.Unknown', errorMessage: errorMessage ?? String(error) };
    }
    if (cancelled?.aborted) {
      this.#release(environment);
      return { kind: 'error', errorType: CANCELLED, errorMessage: 'Answered before an environment was free; not run.' };
    }
    const outcome = await environment.invoke(event, this.definition.timeoutSeconds);
    this.#release(environment);
    return outcome;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const waiter of this.#budget.leave(this.#member)) waiter.resume(Promise.reject(new Error(STOPPING)));
    const environments = [...this.#environments];
    this.#environments.clear();
    this.#idle.length = 0;
    await Promise.all(environments.map((environment) => environment.terminate()));
    this.#budget.release(environments.length);
  }

  async #acquire(cancelled?: AbortSignal): Promise<ExecutionEnvironment> {
    if (this.#stopped) throw new Error(STOPPING);
    // The most recently used: the warmest.
    const idle = this.#idle.pop();
    if (idle) return idle.environment;
    const slot =
      this.#member.canGrow() && !this.#budget.hasWaiting(this.#member) ? this.#budget.claim(this.#member) : undefined;
    if (slot) return this.#startEnvironment(slot);
    return new Promise((resume, reject) => {
      const waiter: BudgetWaiter = {
        member: this.#member,
        resume: (environment) => {
          cancelled?.removeEventListener('abort', withdraw);
          resume(environment);
        },
      };
      const withdraw = () => {
        if (this.#budget.withdraw(waiter)) reject(Object.assign(new Error('Not run.'), { errorType: CANCELLED }));
      };
      cancelled?.addEventListener('abort', withdraw, { once: true });
      this.#budget.wait(waiter);
    });
  }

  /** A cold start, in a slot of the budget already counted for it. */
  async #startEnvironment(vacated: Promise<void>): Promise<ExecutionEnvironment> {
    this.#starting += 1;
    let environment: ExecutionEnvironment;
    try {
      await vacated;
      environment = await ExecutionEnvironment.start(this.definition, this.options);
    } catch (error) {
      this.#starting -= 1;
      this.#budget.release();
      throw error;
    }
    this.#starting -= 1;
    if (this.#stopped) {
      await environment.terminate();
      this.#budget.release();
      throw new Error(STOPPING);
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
    const waiter = this.#budget.takeWaiterFor(this.#member);
    if (!waiter) this.#idle.push({ environment, since: this.#budget.nextTurn(), atMs: performance.now() });
    else if (waiter.member === this.#member) waiter.resume(Promise.resolve(environment));
    // Another function's request has waited longer, and needs the slot more: it gets this environment's.
    else waiter.resume(waiter.member.start(this.#retire(environment)));
  }

  /** Ends an environment that is not invoked, keeping its slot for another; resolves once its thread is gone. */
  #retire(environment: ExecutionEnvironment): Promise<void> {
    this.#environments.delete(environment);
    this.#removeIdle(environment);
    return environment.terminate();
  }

  /** Its thread has exited: a crash, a timeout, or a stop or retirement (whose slot is already accounted for). */
  #forget(environment: ExecutionEnvironment): void {
    if (!this.#environments.delete(environment)) return;
    this.#removeIdle(environment);
    this.#budget.release();
  }

  #removeIdle(environment: ExecutionEnvironment): void {
    const index = this.#idle.findIndex((idle) => idle.environment === environment);
    if (index >= 0) this.#idle.splice(index, 1);
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
