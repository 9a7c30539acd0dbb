// Known wrong (a second signal forces the exit only once the server is closing, not during drainDelayMs).
// A worker's graceful shutdown: on SIGTERM or SIGINT, stop taking new connections, let the
// requests in flight finish, close the connections they leave open, then close the pools and
// clients the app holds, and exit 0. A deadline and a second signal force the exit.
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

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
  const { server, resources = [], onShutdown, drainDelayMs = 0, timeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS } = options;
  const log = options.log ?? console.log;
  let stopping = false;
  let closing = false;

  // A keep-alive connection whose request finishes during shutdown would otherwise stay open
  // (server.close() only closes the idle ones it finds when called): close it once it is idle.
  server.on('request', (_request, response) => {
    response.once('finish', () => stopping && server.closeIdleConnections());
  });

  async function shutdown(signal: NodeJS.Signals) {
    if (closing) {
      log(`${signal} again: exiting now`);
      process.exit(1);
    }
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    setTimeout(() => {
      log(`shutdown unfinished after ${timeoutMs} ms: exiting`);
      process.exit(1);
    }, timeoutMs).unref();
    onShutdown?.();
    if (drainDelayMs > 0) await sleep(drainDelayMs);
    closing = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
    let failed = false;
    for (const resource of resources) {
      try {
        await resource.close();
        log(`closed ${resource.name}`);
      } catch (error) {
        failed = true;
        log(`closing ${resource.name} failed: ${(error as Error).message}`);
      }
    }
    process.exit(failed ? 1 : 0);
  }

  process.on('SIGTERM', (signal) => void shutdown(signal));
  process.on('SIGINT', (signal) => void shutdown(signal));
}
