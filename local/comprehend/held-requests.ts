/**
 * Requests held back by a `delay` or `timeout` fault. stop() releases them all, so a test that
 * forgets a held request cannot keep the process (or jest) from exiting.
 */
import type { ServerResponse } from 'node:http';

export type HoldOutcome = 'elapsed' | 'released' | 'client-gone';

export class HeldRequests {
  #releases = new Set<() => void>();

  /** Waits `delayMs` (forever when undefined), until releaseAll(), or until the client hangs up. */
  hold(res: ServerResponse, delayMs?: number): Promise<HoldOutcome> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (outcome: HoldOutcome) => {
        clearTimeout(timer);
        this.#releases.delete(release);
        res.off('close', onClientGone);
        resolve(outcome);
      };
      const release = () => {
        finish('released');
      };
      const onClientGone = () => {
        finish('client-gone');
      };
      if (delayMs !== undefined)
        timer = setTimeout(() => {
          finish('elapsed');
        }, delayMs);
      this.#releases.add(release);
      res.on('close', onClientGone);
    });
  }

  get size(): number {
    return this.#releases.size;
  }

  releaseAll(): void {
    for (const release of [...this.#releases]) release();
  }
}
