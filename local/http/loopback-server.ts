/**
 * Binding and stopping the local servers (the stand-ins, the agent console):
 * they listen on 127.0.0.1 only, as nothing off this machine has any business
 * reaching them.
 */
import type { Server } from 'node:http';

export const LOOPBACK_HOST = '127.0.0.1';

/** Listens on `port` of 127.0.0.1 (0: a free one); rejects with the bind's error (EADDRINUSE). */
export function listenOnLoopback(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: LOOPBACK_HOST, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Stops listening and closes every connection, kept-alive ones included. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeAllConnections();
  });
}
