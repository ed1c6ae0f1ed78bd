import { createConnection, createServer, type AddressInfo } from 'node:net';

/*
 * Makes a service that listens on loopback only reachable on another address
 * (0.0.0.0, a Docker bridge's): each connection is piped to the loopback port.
 * The services themselves keep binding to 127.0.0.1, as `npm start` has them.
 */

export interface TcpForwarder {
  host: string;
  port: number;
  stop(): Promise<void>;
}

export async function startTcpForwarder(options: { host: string; port: number; to: number }): Promise<TcpForwarder> {
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: options.to });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      // A reset on either side ends both; the client sees its connection close.
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    host: options.host,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
