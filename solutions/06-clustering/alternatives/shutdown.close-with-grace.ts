// Another correct shutdown, on close-with-grace: the library owns the signals, the deadline
// (its `delay`), the second signal and the exit code; what is left is closing the server, its
// keep-alive connections and the resources, in order.
import type { Server, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import closeWithGrace from 'close-with-grace';

export interface Resource {
  name: string;
  close(): Promise<unknown>;
}

export interface ShutdownOptions {
  server: Server;
  resources?: Resource[];
  onShutdown?: () => void;
  drainDelayMs?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

export function handleShutdown({ server, resources = [], onShutdown, drainDelayMs = 0, timeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS, log = console.log }: ShutdownOptions): void {
  // Responses still to be sent: at shutdown each is told to close its connection when done.
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  server.on('request', (_request, response) => {
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
    if (closing && !response.headersSent) response.setHeader('connection', 'close');
  });

  closeWithGrace(
    {
      delay: timeoutMs,
      logger: { error: (message: unknown) => log(String(message)) },
      // Only the two stop signals: errors and other signals keep their usual meaning here.
      skip: ['SIGHUP', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGSEGV', 'SIGUSR2', 'uncaughtException', 'unhandledRejection', 'beforeExit'],
    },
    async ({ signal }) => {
      closing = true;
      for (const response of inFlight) if (!response.headersSent) response.setHeader('connection', 'close');
      log(`${signal}: shutting down`);
      onShutdown?.();
      await sleep(drainDelayMs);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      const results = [];
      for (const resource of resources) results.push(await Promise.allSettled([resource.close()]));
      const failed = results.flat().filter((result) => result.status === 'rejected');
      // A rejection here makes close-with-grace exit 1.
      if (failed.length > 0) throw new Error(`${failed.length} resource(s) failed to close`);
    },
  );
}
