import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { addressInUseError } from './errors.js';
import { stopProcess } from './stop-process.js';

/*
 * A server run as a child process the local system owns: started, awaited until
 * it prints the line that says it is listening, stopped with SIGTERM (then
 * SIGKILL if it lingers). Its stdin is a pipe held open by this process, so a
 * child that watches it (exit-with-parent.mjs) goes when this process goes.
 */

export interface ChildServerOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** The line printed once it listens; the first capture group is returned. */
  readyLine: RegExp;
  /** A line it prints when its port is taken: the start then fails with an EADDRINUSE error. */
  portInUseLine?: RegExp;
  timeoutMs?: number;
  /** Where its output goes, each line prefixed with its name; dropped when null. */
  output: Writable | null;
}

export interface ChildServer {
  /** The ready line's first capture group (e.g. the endpoint it listens on). */
  ready: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = () => stopProcess(child).finally(() => process.off('exit', killOnExit));
  try {
    const ready = await waitForReadyLine(child, options);
    return { ready, pid: child.pid!, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function waitForReadyLine(child: ChildProcess, options: ChildServerOptions): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  let recentOutput = '';
  const remember = (line: string) => {
    recentOutput = `${recentOutput}${line}\n`.slice(-4_000);
  };
  return new Promise((resolveReady, reject) => {
    let readyValue: string | null = null;
    let portInUse: string | null = null;
    const forward = (line: string) => {
      options.output?.write(`[${options.name}] ${line}\n`);
      if (readyValue !== null) return;
      remember(line);
      if (portInUse === null && options.portInUseLine?.test(line)) portInUse = line;
    };
    createInterface({ input: child.stderr! }).on('line', forward);
    createInterface({ input: child.stdout! }).on('line', (line) => {
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
        reject(addressInUseError(`${options.name} could not start: ${portInUse}`));
        return;
      }
      reject(new Error(`${options.name} did not start: ${reason}.${recentOutput ? `\n${recentOutput}` : ''}`));
    };
    const onExit = (code: number | null, signal: string | null) => fail(`it exited (${signal ?? `code ${code}`})`);
    const onError = (error: Error) => fail(error.message);
    const timer = setTimeout(() => fail(`not ready within ${timeoutMs} ms`), timeoutMs);
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
