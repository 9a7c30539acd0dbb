// startServer(app): an HTTP server on 127.0.0.1 and an ephemeral port, for suites to call.
// A request no handler answers within ROUTE_DEADLINE_MS is answered by the server itself (504,
// or the connection closed if headers went out) and remembered, so the test fails soon with
// "your route never answered" (failure-messages.ts) instead of waiting for the test's timeout.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UnansweredRequest } from './messages.ts';

export interface StartedServer {
  server: Server;
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  url: string;
  close(): Promise<void>;
}

/**
 * Half of a test's 30 s: no route in the course's suites takes a tenth of this on a busy machine
 * (held requests are released by their test long before), so only a route that never answers meets it.
 */
export const ROUTE_DEADLINE_MS = 15_000;
const unanswered: (UnansweredRequest & { at: number })[] = [];

/** Requests given up on since `since` (Date.now()), oldest first. */
export const unansweredSince = (since: number): UnansweredRequest[] =>
  unanswered.filter((request) => request.at >= since).map(({ method, path, seconds, stalled }) => ({ method, path, seconds, stalled }));

function withDeadline(app: RequestListener, deadlineMs: number, fromLastWrite: boolean): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    let wrote = false;
    const giveUp = () => {
      if (response.writableEnded) return;
      unanswered.push({ method: request.method ?? 'GET', path: request.url ?? '/', seconds: deadlineMs / 1000, stalled: wrote, at: Date.now() });
      if (response.headersSent) response.destroy();
      else response.writeHead(504, { 'content-type': 'text/plain', connection: 'close' }).end(`no response within ${deadlineMs / 1000} s`);
    };
    let timer = setTimeout(giveUp, deadlineMs);
    timer.unref();
    if (fromLastWrite) {
      // A long download is judged by its progress: the deadline starts again with every write.
      const write = response.write.bind(response) as (...args: unknown[]) => boolean;
      response.write = ((...args: unknown[]) => {
        wrote = true;
        clearTimeout(timer);
        timer = setTimeout(giveUp, deadlineMs);
        timer.unref();
        return write(...args);
      }) as ServerResponse['write'];
    }
    response.once('close', () => clearTimeout(timer));
    app(request, response);
  };
}

export interface ServerOptions {
  /** How long a request may go unanswered before the server answers it itself (default ROUTE_DEADLINE_MS). */
  routeDeadlineMs?: number;
  /**
   * Count the deadline from the response's last write instead of from the request (default
   * false): for routes that stream a large body, whose whole length depends on the machine's load.
   */
  deadlineFromLastWrite?: boolean;
}

export async function startServer(app: RequestListener, { routeDeadlineMs = ROUTE_DEADLINE_MS, deadlineFromLastWrite = false }: ServerOptions = {}): Promise<StartedServer> {
  const server = createServer(withDeadline(app, routeDeadlineMs, deadlineFromLastWrite));
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
