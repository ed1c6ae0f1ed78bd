import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './read-body.js';

/*
 * The stand-ins' fault switch, to see how the functions cope with a failing
 * service: `POST /__admin/faults {"mode": <mode>, "remaining": N}` makes the
 * next N calls (all, without `remaining`) fail in that mode, `DELETE` ends it.
 */

export const ADMIN_FAULTS_PATH = '/__admin/faults';

interface Fault<Mode extends string> {
  mode: Mode;
  /** Calls still to fail; null: every call until cleared. */
  remaining: number | null;
}

export class FaultSwitch<Mode extends string> {
  #current: Fault<Mode> | null = null;

  constructor(private readonly modes: readonly Mode[]) {}

  /** The fault this call meets, if any, counting it down. */
  take(): Mode | null {
    const current = this.#current;
    if (!current) return null;
    if (current.remaining !== null) {
      current.remaining -= 1;
      if (current.remaining <= 0) this.#current = null;
    }
    return current.mode;
  }

  /** Answers a request to ADMIN_FAULTS_PATH: sets the fault, or ends it. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const answer = (statusCode: number, body: unknown) => {
      res.writeHead(statusCode, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'DELETE') {
      this.#current = null;
      answer(200, { fault: null });
      return;
    }
    const spec = parseFaultSpec(await readBody(req, { maxBytes: 4096 }));
    const mode = this.modes.find((known) => known === spec?.mode);
    const remaining = spec?.remaining;
    if (
      req.method !== 'POST' ||
      !mode ||
      (remaining !== undefined && (typeof remaining !== 'number' || !Number.isInteger(remaining) || remaining < 1))
    ) {
      answer(400, { message: `POST {"mode": "${this.modes.join('" | "')}", "remaining"?: N} or DELETE.` });
      return;
    }
    this.#current = { mode, remaining: typeof remaining === 'number' ? remaining : null };
    answer(200, { fault: this.#current });
  }
}

function parseFaultSpec(body: Buffer): { mode?: unknown; remaining?: unknown } | null {
  try {
    return JSON.parse(body.toString('utf8')) as { mode?: unknown; remaining?: unknown } | null;
  } catch {
    return null;
  }
}
