import type { Writable } from 'node:stream';

/*
 * Keeps a child server of the local system running: when it dies without
 * having been asked to stop (`kill -9`, a crash), says so and starts it again
 * the same way (same port, same data), instead of leaving the API answering
 * 503 until someone notices. Restarts are bounded: a server that keeps dying is
 * left down, with a message saying so.
 */

/** How a child process ended, as Node's 'exit' event reports it. */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running server the supervisor can watch, stop and replace. */
export interface Restartable {
  pid: number;
  /** Settles when the process has ended, however it ended. */
  exited: Promise<ExitStatus>;
  stop(): Promise<void>;
}

export interface RestartPolicy {
  /** How many restarts a server gets within `windowMs` before it is left down. */
  maxRestarts: number;
  windowMs: number;
  /**
   * How long an ending that looks like an ordinary stop (SIGINT, SIGTERM, exit
   * code 0) waits before it counts as a death: Ctrl-C reaches the children
   * before the local system is asked to stop.
   */
  stopGraceMs: number;
  /** The pause after a failed restart, before the next attempt. */
  retryDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  maxRestarts: 5,
  windowMs: 60_000,
  stopGraceMs: 2_000,
  retryDelayMs: 500,
};

export interface SupervisorOptions<Server extends Restartable> {
  /** Names the server in messages. */
  name: string;
  /** Where it listens, for messages ("127.0.0.1:8000"). */
  address: string;
  /** What a restart keeps, for messages ("its data in .local/dynamodb"); nothing by default. */
  keeps?: string;
  first: Server;
  /** Starts the server again, on the same port and data as the first. */
  restart: () => Promise<Server>;
  /** Where the messages go; nowhere when null. */
  output: Writable | null;
  policy?: Partial<RestartPolicy>;
  /** The clock restarts are counted by; Date.now by default. */
  now?: () => number;
}

export interface Supervised<Server extends Restartable> {
  /** The server running now (the first, or the latest restart). */
  readonly current: Server;
  /** How many times it has been restarted. */
  readonly restarts: number;
  /** From now on a death is not restarted: the system is stopping, and stops this server in its turn. */
  stopRestarting(): void;
  /** Stops the server for good: no restart follows, even of one that is starting. */
  stop(): Promise<void>;
}

const STOP_SIGNALS = new Set<NodeJS.Signals>(['SIGINT', 'SIGTERM', 'SIGHUP']);

/** An ending a stop request would also cause: by SIGINT, SIGTERM or SIGHUP, or their 128 + n exit codes, or exit code 0. */
export function looksLikeStop({ code, signal }: ExitStatus): boolean {
  if (signal !== null) return STOP_SIGNALS.has(signal);
  return code === 0 || code === 129 || code === 130 || code === 143;
}

export function describeExit({ code, signal }: ExitStatus): string {
  return signal !== null ? `killed by ${signal}` : `exit code ${String(code)}`;
}

export function supervise<Server extends Restartable>(options: SupervisorOptions<Server>): Supervised<Server> {
  const policy = { ...DEFAULT_RESTART_POLICY, ...options.policy };
  const now = options.now ?? Date.now;
  const say = (message: string) => options.output?.write(`[${options.name}] ${message}\n`);
  let current = options.first;
  let restartCount = 0;
  let stopping = false;
  // Read through a call: the flag changes while a restart awaits.
  const isStopping = () => stopping;
  /** When each recent restart was attempted, to bound them within the window. */
  let attempts: number[] = [];
  let restarting: Promise<void> = Promise.resolve();

  const pause = (ms: number) =>
    new Promise<void>((wake) => {
      // Never what keeps the process alive: its owner decides when it ends.
      setTimeout(wake, ms).unref();
    });

  /** Restarts until one start succeeds, the bound is reached or the server is stopped. */
  const restartUntilRunning = async (): Promise<void> => {
    for (;;) {
      const at = now();
      attempts = attempts.filter((attempt) => at - attempt < policy.windowMs);
      if (attempts.length >= policy.maxRestarts) {
        say(
          `died again after ${policy.maxRestarts} restarts within ${policy.windowMs / 1000} s; not restarting it any more. ` +
            'Requests that need it fail until the local system (npm start) is stopped and started again.',
        );
        return;
      }
      attempts.push(at);
      try {
        const next = await options.restart();
        if (isStopping()) {
          await next.stop();
          return;
        }
        current = next;
        restartCount++;
        say(`restarted on ${options.address} (process ${next.pid}).`);
        watch(next);
        return;
      } catch (error) {
        say(`could not be restarted: ${error instanceof Error ? error.message : String(error)}`);
        await pause(policy.retryDelayMs);
        if (isStopping()) return;
      }
    }
  };

  const onEnded = async (server: Server, status: ExitStatus): Promise<void> => {
    if (stopping || server !== current) return;
    if (looksLikeStop(status)) {
      await pause(policy.stopGraceMs);
      if (isStopping()) return;
    }
    const keeping = options.keeps === undefined ? '' : `, keeping ${options.keeps}`;
    say(`died (${describeExit(status)}); restarting it on ${options.address}${keeping}…`);
    restarting = restartUntilRunning();
    await restarting;
  };

  function watch(server: Server): void {
    void server.exited.then((status) => onEnded(server, status));
  }

  watch(current);
  return {
    get current() {
      return current;
    },
    get restarts() {
      return restartCount;
    },
    stopRestarting: () => {
      stopping = true;
    },
    stop: async () => {
      stopping = true;
      await restarting;
      await current.stop();
    },
  };
}
