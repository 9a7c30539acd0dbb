// A worker's graceful shutdown: on SIGTERM or SIGINT, stop taking new connections, let the
// requests in flight finish, close the connections they leave open, then close the pools and
// clients the app holds, and exit 0. A deadline and a second signal force the exit.
import type { Server } from 'node:http';

export interface Resource {
  /** For the log: "postgres", "redis". */
  name: string;
  close(): Promise<unknown>;
}

export interface ShutdownOptions {
  server: Server;
  /** Closed in this order once the server has closed (nothing uses them any more). */
  resources?: Resource[];
  /** Called as soon as shutdown begins: readiness turns 503 (health.ts). */
  onShutdown?: () => void;
  /** Between onShutdown and closing the server: the time a load balancer needs to see /readyz fail and stop sending. 0 when left out. */
  drainDelayMs?: number;
  /** Shutdown unfinished after this long (a request that never ends, a client that does not close): exit 1. */
  timeoutMs?: number;
  /** One line per step; console.log when left out. */
  log?: (line: string) => void;
}

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

export function handleShutdown(options: ShutdownOptions): void {
  // TODO: the tutorial's worker exits the moment it is told to: the request it is serving is cut
  // off, its pools and clients are never closed, and a second signal or a stuck request is not
  // handled at all.
  process.on('SIGTERM', () => {
    (options.log ?? console.log)(`worker ${process.pid} shutting down`);
    process.exit(0);
  });
}
