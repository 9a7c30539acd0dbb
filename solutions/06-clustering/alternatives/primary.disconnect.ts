// Another correct primary: shutdown through the cluster's own disconnect (each worker closes its
// servers, finishes its connections and exits), the cluster's worker registry instead of a set
// of our own, and worker.exitedAfterDisconnect to tell a requested exit from a death.
import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';

export interface RestartPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  maxRestarts: number;
  windowMs: number;
}

export interface PrimaryOptions {
  exec: string;
  workers?: number;
  restart?: Partial<RestartPolicy>;
  shutdownTimeoutMs?: number;
  log?: (line: string) => void;
}

export const DEFAULT_RESTART: RestartPolicy = { initialDelayMs: 100, maxDelayMs: 10_000, maxRestarts: 5, windowMs: 60_000 };
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

export function startPrimary({ exec, workers, restart, shutdownTimeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS, log = console.log }: PrimaryOptions): void {
  const { initialDelayMs, maxDelayMs, maxRestarts, windowMs } = { ...DEFAULT_RESTART, ...restart };
  const recentDeaths: number[] = [];
  let pending: NodeJS.Timeout | undefined;
  let queued = 0;
  let phase: 'running' | 'stopping' = 'running';
  /** The workers asked to stop: disconnect() takes a worker out of cluster.workers at once. */
  let stopped: Worker[] = [];
  let failed = false;

  // A worker that has exited stays listed until its channel closes too.
  const running = () => Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined && !worker.isDead());
  const stillStopping = () => stopped.filter((worker) => !worker.isDead());
  cluster.setupPrimary({ exec });
  Array.from({ length: workers ?? os.availableParallelism() }, () => cluster.fork());

  // Replacements are queued and started one per wait, the wait set by the latest death.
  const scheduleReplacement = (delay: number) => {
    queued += 1;
    clearTimeout(pending);
    pending = setTimeout(function next() {
      queued -= 1;
      cluster.fork();
      if (queued > 0) pending = setTimeout(next, delay);
    }, delay);
  };

  cluster.on('exit', (worker, code, signal) => {
    const status = signal === null ? `code ${code}` : `signal ${signal}`;
    if (phase === 'stopping' || worker.exitedAfterDisconnect) {
      log(`worker ${worker.process.pid} stopped (${status})`);
      if (code !== 0 || signal !== null) failed = true;
      if (stillStopping().length === 0) process.exit(failed ? 1 : 0);
      return;
    }
    const now = Date.now();
    while (recentDeaths.length > 0 && recentDeaths[0]! <= now - windowMs) recentDeaths.shift();
    recentDeaths.push(now);
    if (recentDeaths.length > maxRestarts) {
      log(`worker ${worker.process.pid} died (${status}); giving up after ${recentDeaths.length} deaths in ${windowMs} ms`);
      failed = true;
      shutDown();
      return;
    }
    const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** (recentDeaths.length - 1));
    log(`worker ${worker.process.pid} died (${status}); a new one in ${delay} ms`);
    scheduleReplacement(delay);
  });

  function shutDown() {
    phase = 'stopping';
    clearTimeout(pending);
    queued = 0;
    stopped = running();
    if (stopped.length === 0) process.exit(failed ? 1 : 0);
    for (const worker of stopped) worker.disconnect();
    setTimeout(() => forceExit(`still running after ${shutdownTimeoutMs} ms`), shutdownTimeoutMs);
  }

  function forceExit(why: string) {
    log(`workers ${why}: killing them`);
    for (const worker of stillStopping()) worker.process.kill('SIGKILL');
    process.exit(1);
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => (phase === 'stopping' ? forceExit(`asked twice to stop (${signal})`) : shutDown()));
  }
}
