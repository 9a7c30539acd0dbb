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
  unanswered.filter((request) => request.at >= since).map(({ method, path, seconds }) => ({ method, path, seconds }));

function withDeadline(app: RequestListener, deadlineMs: number): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    const timer = setTimeout(() => {
      if (response.writableEnded) return;
      unanswered.push({ method: request.method ?? 'GET', path: request.url ?? '/', seconds: deadlineMs / 1000, at: Date.now() });
      if (response.headersSent) response.destroy();
      else response.writeHead(504, { 'content-type': 'text/plain', connection: 'close' }).end(`no response within ${deadlineMs / 1000} s`);
    }, deadlineMs);
    timer.unref();
    response.once('close', () => clearTimeout(timer));
    app(request, response);
  };
}

export async function startServer(app: RequestListener, { routeDeadlineMs = ROUTE_DEADLINE_MS } = {}): Promise<StartedServer> {
  const server = createServer(withDeadline(app, routeDeadlineMs));
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
