// startServer(app): an HTTP server on 127.0.0.1 and an ephemeral port, for suites to call.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StartedServer {
  server: Server;
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  url: string;
  close(): Promise<void>;
}

export async function startServer(app: RequestListener): Promise<StartedServer> {
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
