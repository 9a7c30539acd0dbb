// Another correct shutdown, on http-terminator: it closes the server, sends "connection: close"
// on the responses still in flight, and destroys idle and (past its timeout) busy sockets.
import type { Server } from 'node:http';
import { createHttpTerminator } from 'http-terminator';

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

export function handleShutdown(options: ShutdownOptions): void {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const log = options.log ?? console.log;
  // Its own timeout must not cut requests off before ours: ours decides.
  const terminator = createHttpTerminator({ server: options.server, gracefulTerminationTimeout: timeoutMs + 1_000 });
  let signals = 0;

  const onSignal = async (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      log(`${signal} again: exiting now`);
      process.exit(1);
    }
    log(`${signal}: draining`);
    const deadline = setTimeout(() => {
      log(`not done after ${timeoutMs} ms: exiting`);
      process.exit(1);
    }, timeoutMs);
    deadline.unref();
    options.onShutdown?.();
    await new Promise((resolve) => setTimeout(resolve, options.drainDelayMs ?? 0));
    await terminator.terminate();
    log('server closed');
    const outcomes = await (options.resources ?? []).reduce(
      async (previous, resource) => [
        ...(await previous),
        await resource.close().then(
          () => (log(`${resource.name} closed`), true),
          (error: Error) => (log(`${resource.name} failed to close: ${error.message}`), false),
        ),
      ],
      Promise.resolve<boolean[]>([]),
    );
    process.exit(outcomes.every(Boolean) ? 0 : 1);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
