import type { ChildProcess } from 'node:child_process';

/** How long a child server gets to shut down cleanly before it is killed. */
const STOP_GRACE_MS = 5_000;

/** SIGTERM, then SIGKILL if the child has not exited within the grace period. */
export function stopProcess(child: ChildProcess): Promise<void> {
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
