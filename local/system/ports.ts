import { createServer } from 'node:net';
import { LocalSystemError } from './errors.js';

/*
 * Every port the local system needs is checked before anything starts, so a
 * second `npm start` fails at once with one clear message instead of half
 * starting (a DynamoDB Local up, an API that cannot bind). A port taken after
 * the check (during the build, or between the check and the bind) gets the
 * same message from the part that failed to bind it.
 */

export interface NeededPort {
  /** What would listen there, for the message. */
  name: string;
  port: number;
  /** The setting that changes it. */
  setting: string;
}

export class PortsInUseError extends LocalSystemError {
  override name = 'PortsInUseError';

  constructor(
    readonly ports: readonly NeededPort[],
    host = '127.0.0.1',
  ) {
    const lines = ports.map(
      ({ name, port, setting }) => `  ${host}:${port} (${name}) is in use; set ${setting} to use another port.`,
    );
    super(
      `Cannot start: ${ports.length === 1 ? 'a port is' : 'ports are'} already in use ` +
        `(is the local system already running?)\n${lines.join('\n')}`,
    );
  }
}

export async function assertPortsFree(ports: readonly NeededPort[], host = '127.0.0.1'): Promise<void> {
  // Port 0 means "any free port" and cannot be busy.
  const fixed = ports.filter(({ port }) => port !== 0);
  const busy = (
    await Promise.all(fixed.map(async (needed) => ((await isFree(needed.port, host)) ? null : needed)))
  ).filter((needed): needed is NeededPort => needed !== null);
  if (busy.length > 0) throw new PortsInUseError(busy, host);
}

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolveFree, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolveFree(false);
      else reject(error);
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolveFree(true)));
  });
}
