import { createServer } from 'node:net';
import { LocalSystemError } from './errors.js';

/*
 * Ports on this machine: whether one is free, holding one, finding one nothing
 * listens on. Every port the local system needs is checked before anything
 * starts, so a second `npm start` fails at once with one clear message instead
 * of half starting (a DynamoDB Local up, an API that cannot bind). A port taken
 * after the check (during the build, or between the check and the bind) gets
 * the same message from the part that failed to bind it.
 */

const LOOPBACK = '127.0.0.1';

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
    host = LOOPBACK,
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

export async function assertPortsFree(ports: readonly NeededPort[], host = LOOPBACK): Promise<void> {
  // Port 0 means "any free port" and cannot be busy.
  const fixed = ports.filter(({ port }) => port !== 0);
  const free = await Promise.all(fixed.map(({ port }) => isPortFree(port, host)));
  const busy = fixed.filter((_needed, index) => !free[index]);
  if (busy.length > 0) throw new PortsInUseError(busy, host);
}

/** A port bound by this process (a listening socket that accepts nothing), until released. */
export interface HeldPort {
  port: number;
  release(): Promise<void>;
}

/** Binds `port` on `host` (0: a port the OS picks) and keeps it; rejects with EADDRINUSE if it is taken. */
export function holdPort(port = 0, host = LOOPBACK): Promise<HeldPort> {
  return new Promise((resolveHeld, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', reject);
      const address = server.address();
      resolveHeld({
        port: typeof address === 'object' && address !== null ? address.port : port,
        release: () =>
          new Promise((released) => {
            server.close(() => {
              released();
            });
          }),
      });
    });
  });
}

/** Whether `port` on `host` can be bound now. */
export async function isPortFree(port: number, host = LOOPBACK): Promise<boolean> {
  try {
    await (await holdPort(port, host)).release();
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') return false;
    throw error;
  }
}

/** A port nothing listens on: the OS picks a free one, which is released at once (a call to it is refused). */
export async function unusedPort(host = LOOPBACK): Promise<number> {
  const held = await holdPort(0, host);
  await held.release();
  return held.port;
}
