import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unusedPort } from '../../local/system/ports.js';
import { PROJECT_ROOT } from '../sam-template.js';

/*
 * `npm start` run as a developer runs it, for the bench and the soak: its own
 * free ports and a fresh state directory, timed from the command to the API's
 * first answer, and stopped as Ctrl-C stops it (SIGINT to its process group).
 */

/**
 * The template parameters the measurements override, as `sam deploy
 * --parameter-overrides` would: the stage throttle (50 requests per second by
 * default) would otherwise measure the throttle, not the system.
 */
export const UNTHROTTLED = 'ApiThrottlingRateLimit=100000 ApiThrottlingBurstLimit=100000';

export interface RunningNpmStart {
  apiUrl: string;
  dynamoDbUrl: string;
  stateDir: string;
  /** The `npm` process: the root of the whole local system's process tree. */
  pid: number;
  /** From spawning `npm start` to the API's first answer. */
  startupSeconds: number;
  /** What it printed, newest last (the last lines only). */
  output(): string;
  stop(): Promise<void>;
}

const OUTPUT_LINES_KEPT = 200;
const STARTUP_TIMEOUT_MS = 120_000;

export async function startNpmStart(): Promise<RunningNpmStart> {
  const [apiPort, dynamoDbPort, comprehendPort, eventBridgePort, secretsManagerPort] = await Promise.all(
    Array.from({ length: 5 }, () => unusedPort()),
  );
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-state-'));
  const started = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      PORT: String(apiPort),
      DYNAMODB_PORT: String(dynamoDbPort),
      COMPREHEND_PORT: String(comprehendPort),
      EVENTBRIDGE_PORT: String(eventBridgePort),
      SECRETS_MANAGER_PORT: String(secretsManagerPort),
      LOCAL_STATE_DIR: stateDir,
      PARAMETER_OVERRIDES: UNTHROTTLED,
    },
    // Its own process group, so that a stop reaches every process of it, as Ctrl-C does in a terminal.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      lines.push(...chunk.split('\n'));
      if (lines.length > OUTPUT_LINES_KEPT) lines.splice(0, lines.length - OUTPUT_LINES_KEPT);
    });
  }
  const exited = new Promise<void>((resolveExit) => {
    child.once('exit', () => {
      resolveExit();
    });
  });
  const output = () => lines.join('\n');
  const stop = async () => {
    await stopGroup(child, exited);
    rmSync(stateDir, { recursive: true, force: true });
  };

  const apiUrl = `http://127.0.0.1:${String(apiPort)}`;
  try {
    await untilAnswering(apiUrl, exited);
  } catch (error) {
    await stop();
    throw new Error(`npm start did not serve: ${(error as Error).message}\n${output()}`, { cause: error });
  }
  return {
    apiUrl,
    dynamoDbUrl: `http://127.0.0.1:${String(dynamoDbPort)}`,
    stateDir,
    pid: child.pid ?? 0,
    startupSeconds: (performance.now() - started) / 1000,
    output,
    stop,
  };
}

/** Resolves at the first HTTP answer of any status from `url`; rejects if the process ends first or it takes too long. */
async function untilAnswering(url: string, exited: Promise<void>): Promise<void> {
  const state = { ended: false };
  void exited.then(() => {
    state.ended = true;
  });
  const deadline = performance.now() + STARTUP_TIMEOUT_MS;
  while (!(await answers(url))) {
    if (state.ended) throw new Error('it exited');
    if (performance.now() > deadline) throw new Error(`no answer within ${String(STARTUP_TIMEOUT_MS / 1000)} s`);
    await new Promise((wake) => setTimeout(wake, 20));
  }
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolveAnswer) => {
    const call = request(`${url}/`, { method: 'GET', agent: false }, (response) => {
      response.resume();
      resolveAnswer(true);
    });
    call.on('error', () => {
      resolveAnswer(false);
    });
    call.end();
  });
}

/** SIGINT to the whole group, as Ctrl-C; SIGKILL to what is left after a while. */
async function stopGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  const group = child.pid;
  if (group === undefined || child.exitCode !== null) return;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-group, name);
    } catch {
      // Already gone.
    }
  };
  signal('SIGINT');
  const stopped = await Promise.race([
    exited.then(() => true),
    new Promise<boolean>((wake) => {
      setTimeout(() => {
        wake(false);
      }, 20_000);
    }),
  ]);
  // The group's other processes follow their parent; whatever lingers is ended.
  if (!stopped) signal('SIGKILL');
  await new Promise((wake) => setTimeout(wake, 200));
  signal('SIGKILL');
}

/** The processes under `rootPid` (itself included), from /proc. */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // The command name (field 2) may hold spaces and parentheses: fields after the last ')' are plain.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const siblings = children.get(parent) ?? [];
    siblings.push(Number(name));
    children.set(parent, siblings);
  }
  const tree: number[] = [];
  const pending = [rootPid];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    tree.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** The resident set of each process of a tree, in bytes (VmRSS), by `pid command`; a process that is gone is left out. */
export function treeRss(rootPid: number): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const pid of processTree(rootPid)) {
    try {
      const kib = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'))?.[1];
      const command = readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8')
        .split('\0')
        .join(' ')
        .trim();
      sizes.set(`${String(pid)} ${command.slice(0, 60)}`, Number(kib ?? 0) * 1024);
    } catch {
      // Ended between listing and reading.
    }
  }
  return sizes;
}

/** Samples a process tree's summed RSS every `intervalMs` until stopped, keeping the peak. */
export class PeakRss {
  #peakBytes = 0;
  #firstBytes: number | undefined;
  #atPeak = new Map<string, number>();
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly rootPid: number,
    intervalMs = 250,
  ) {
    this.sample();
    this.#timer = setInterval(() => {
      this.sample();
    }, intervalMs);
  }

  sample(): void {
    const sizes = treeRss(this.rootPid);
    const total = [...sizes.values()].reduce((sum, bytes) => sum + bytes, 0);
    this.#firstBytes ??= total;
    if (total <= this.#peakBytes) return;
    this.#peakBytes = total;
    this.#atPeak = sizes;
  }

  get peakMb(): number {
    return this.#peakBytes / 2 ** 20;
  }

  /** The first sample: the system idle, once it answers. */
  get firstMb(): number {
    return (this.#firstBytes ?? 0) / 2 ** 20;
  }

  /** Each process's share of the peak, in MB, by `pid command`. */
  get atPeakMb(): Record<string, number> {
    return Object.fromEntries([...this.#atPeak].map(([process, bytes]) => [process, Math.round(bytes / 2 ** 20)]));
  }

  stop(): void {
    clearInterval(this.#timer);
    this.sample();
  }
}
