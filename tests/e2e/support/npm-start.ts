import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from '../../../scripts/sam-template.js';
import { processGroupMembers } from '../../support/listening-sockets.js';

/*
 * `npm start` run as a terminal runs it: in a process group of its own (npm,
 * its shell, local/start.ts and every server that starts), so a test can send
 * a signal to the whole group as Ctrl-C does, and kill whatever is left of a
 * group when a test fails half-way. Every run is tracked until killAll(),
 * which also runs when the test process exits.
 */

export interface NpmStartRun {
  /** npm's process id, which is also the id of the run's process group. */
  groupId: number;
  /** stdout and stderr, line by line, in the order they arrived. */
  lines: string[];
  stdout: string[];
  /** npm's exit; the run's processes may outlive it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Every process of the run has closed its end of the output pipes: all are gone. */
  closed: Promise<void>;
  /** The first stdout line matching `pattern`; rejects, with the output so far, if the run ends first. */
  waitForLine(pattern: RegExp): Promise<RegExpExecArray>;
  /** Sends `signal` to every process of the run, as a terminal does on Ctrl-C. */
  signalGroup(signal: NodeJS.Signals): void;
}

export class NpmStartRuns {
  readonly #runs: NpmStartRun[] = [];

  constructor() {
    process.once('exit', () => {
      this.killAll();
    });
  }

  start(env: Record<string, string>): NpmStartRun {
    const child: ChildProcess = spawn('npm', ['start'], {
      cwd: PROJECT_ROOT,
      detached: true,
      env: { ...process.env, NODE_OPTIONS: '', ...env },
      // No stdin, as from a terminal nobody types into: a pipe here would be one
      // socket shared by npm, its shell and start.ts, which npm's exit can end for all.
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    const stdout: string[] = [];
    const watchers = new Set<(line: string) => void>();
    createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      stdout.push(line);
      for (const watch of watchers) watch(line);
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
      child.once('exit', (code, signal) => {
        resolveExit({ code, signal });
      }),
    );
    const closed = new Promise<void>((resolveClosed) => {
      child.once('close', () => {
        resolveClosed();
      });
    });
    const run: NpmStartRun = {
      groupId: child.pid!,
      lines,
      stdout,
      exited,
      closed,
      waitForLine: (pattern) =>
        new Promise((resolveLine, reject) => {
          const earlier = stdout.map((line) => pattern.exec(line)).find((match) => match !== null);
          if (earlier) {
            resolveLine(earlier);
            return;
          }
          const watch = (line: string) => {
            const match = pattern.exec(line);
            if (!match) return;
            watchers.delete(watch);
            resolveLine(match);
          };
          watchers.add(watch);
          void closed.then(() => {
            if (!watchers.delete(watch)) return;
            reject(new Error(`npm start ended before printing ${pattern}:\n${lines.join('\n')}`));
          });
        }),
      signalGroup: (signal) => process.kill(-child.pid!, signal),
    };
    this.#runs.push(run);
    return run;
  }

  /** Kills every process still left of every run, whatever the test's outcome. */
  killAll(): void {
    for (const run of this.#runs.splice(0)) {
      if (processGroupMembers(run.groupId).length === 0) continue;
      try {
        process.kill(-run.groupId, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }
}
