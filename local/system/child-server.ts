import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
// Extensionless: also loaded as CommonJS by jest's global setup, through dynamodb-local.ts.
import { addressInUseError } from './errors';
import type { ExitStatus } from './supervisor';

/*
 * A server run as a child process the local system owns (DynamoDB Local's JVM,
 * the Comprehend stand-in): started, awaited until it prints the line that says
 * it is listening, stopped with SIGTERM (then SIGKILL if it lingers), and
 * killed if this process exits first. Its stdin is a pipe held open by this
 * process, so a child that watches it (exit-with-parent.mjs, the DynamoDB Local
 * launcher) goes when this process goes, even when it dies by SIGKILL, which
 * runs no 'exit' handler.
 */

export interface ChildServerOptions {
  /** Names the server in messages and prefixes its output lines. */
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** The line printed once it listens; the first capture group is returned. */
  readyLine: RegExp;
  /** A line it prints when its port is taken: the start then fails with an EADDRINUSE error. */
  portInUseLine?: RegExp;
  /** That error's message; by default the server's name and the line it printed. */
  portInUseMessage?: string;
  /** Settles once the server, having printed its ready line, really serves; a rejection stops it. */
  untilServing?: (ready: string) => Promise<void>;
  /** How long the ready line (and then untilServing) may take; 30 s by default. */
  timeoutMs?: number;
  /** Where its output goes, each line prefixed with its name; dropped when null. */
  output: Writable | null;
}

export interface ChildServer {
  /** The ready line's first capture group (e.g. the endpoint it listens on). */
  ready: string;
  pid: number;
  /** Settles when the process has ended, whether stopped, crashed or killed. */
  exited: Promise<ExitStatus>;
  stop(): Promise<void>;
}

type Child = ChildProcessByStdio<Writable, Readable, Readable>;

/** How long a child server gets to shut down cleanly before it is killed. */
const STOP_GRACE_MS = 5_000;
/** How much of its output a server that did not start shows in the error. */
const RECENT_OUTPUT_CHARS = 4_000;

export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const child: Child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const killOnExit = () => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const exited = new Promise<ExitStatus>((resolveExited) => {
    child.once('exit', (code, signal) => {
      // A child restarted many times must not leave a listener behind for each time.
      process.off('exit', killOnExit);
      resolveExited({ code, signal });
    });
  });
  const stop = () =>
    stopProcess(child).finally(() => {
      process.off('exit', killOnExit);
    });
  try {
    const ready = await waitForReadyLine(child, options);
    await options.untilServing?.(ready);
    if (child.pid === undefined) throw new Error(`${options.name} has no process id.`);
    detachFromEventLoop(child);
    return { ready, pid: child.pid, exited, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** SIGTERM, then SIGKILL if the child has not exited within the grace period. */
function stopProcess(child: Child): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStopped) => {
    const forceKill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(forceKill);
      resolveStopped();
    });
    child.kill('SIGTERM');
  });
}

function waitForReadyLine(child: Child, options: ChildServerOptions): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  let recentOutput = '';
  return new Promise((resolveReady, reject) => {
    let readyValue: string | null = null;
    let portInUse: string | null = null;
    const forward = (line: string) => {
      options.output?.write(`[${options.name}] ${line}\n`);
      if (readyValue !== null) return;
      recentOutput = `${recentOutput}${line}\n`.slice(-RECENT_OUTPUT_CHARS);
      if (portInUse === null && options.portInUseLine?.test(line)) portInUse = line;
    };
    createInterface({ input: child.stderr }).on('line', forward);
    createInterface({ input: child.stdout }).on('line', (line) => {
      forward(line);
      const match = readyValue === null ? options.readyLine.exec(line) : null;
      if (!match) return;
      readyValue = match[1] ?? match[0];
      settle();
      resolveReady(readyValue);
    });
    const fail = (reason: string) => {
      settle();
      if (portInUse !== null) {
        reject(addressInUseError(options.portInUseMessage ?? `${options.name} could not start: ${portInUse}`));
        return;
      }
      reject(new Error(`${options.name} did not start: ${reason}.${recentOutput ? `\n${recentOutput}` : ''}`));
    };
    const onExit = (code: number | null, signal: string | null) => {
      fail(`it exited (${signal ?? `code ${code}`})`);
    };
    const onError = (error: Error) => {
      fail(error.message);
    };
    const timer = setTimeout(() => {
      fail(`not ready within ${timeoutMs} ms`);
    }, timeoutMs);
    const settle = () => {
      clearTimeout(timer);
      child.off('close', onExit);
      child.off('error', onError);
    };
    // 'close', not 'exit': by then its output has been read to the end, the reason it gives included.
    child.once('close', onExit);
    child.once('error', onError);
  });
}

/** A running server must not keep this process's event loop alive: its owner decides when to stop. */
function detachFromEventLoop(child: Child): void {
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    // Pipes are sockets, which can be unreferenced; the stream types do not say so.
    (stream as Partial<{ unref: () => void }>).unref?.();
  }
  child.unref();
}
