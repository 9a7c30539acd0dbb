// Known wrong (a worker killed by a signal during shutdown has no exit code, and passes for a clean stop).
// The cluster's primary: forks the workers, replaces the ones that die, and takes the whole
// cluster down cleanly on SIGTERM or SIGINT. Each worker runs `exec` and serves the same port.
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';

export interface RestartPolicy {
  /** Wait before replacing the first worker that dies; each further death within windowMs doubles it. */
  initialDelayMs: number;
  /** The wait never grows past this. */
  maxDelayMs: number;
  /** More deaths than this within windowMs is a crash loop: stop the cluster and exit 1. */
  maxRestarts: number;
  windowMs: number;
}

export interface PrimaryOptions {
  /** The file each worker runs. */
  exec: string;
  /** How many workers; os.availableParallelism() when left out. */
  workers?: number;
  restart?: Partial<RestartPolicy>;
  /**
   * On SIGTERM or SIGINT the primary exits 0 once every worker has exited with code 0, and 1 if
   * one did not; workers still running after this long are killed and the primary exits 1.
   */
  shutdownTimeoutMs?: number;
  /** One line per event (each worker's exit with its code or signal); console.log when left out. */
  log?: (line: string) => void;
}

export const DEFAULT_RESTART: RestartPolicy = { initialDelayMs: 100, maxDelayMs: 10_000, maxRestarts: 5, windowMs: 60_000 };
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

export function startPrimary(options: PrimaryOptions): void {
  const log = options.log ?? console.log;
  const policy = { ...DEFAULT_RESTART, ...options.restart };
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const live = new Set<Worker>();
  const restarts = new Set<NodeJS.Timeout>();
  let deaths: number[] = [];
  let stopping = false;
  let exitCode = 0;

  cluster.setupPrimary({ exec: options.exec });
  const fork = () => live.add(cluster.fork());
  // The cores this process may use (a container's CPU limit, taskset), not every core of the host.
  for (let i = 0; i < (options.workers ?? availableParallelism()); i += 1) fork();

  cluster.on('exit', (worker, code, signal) => {
    live.delete(worker);
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (stopping) {
      log(`worker ${worker.process.pid} ${how} during shutdown`);
      if (code) exitCode = 1;
      if (live.size === 0) process.exit(exitCode);
      return;
    }
    const now = Date.now();
    deaths = [...deaths.filter((at) => now - at < policy.windowMs), now];
    if (deaths.length > policy.maxRestarts) {
      log(`worker ${worker.process.pid} ${how}: ${deaths.length} deaths within ${policy.windowMs} ms, a crash loop; stopping`);
      stop(1);
      return;
    }
    // Doubling waits: a worker that cannot start does not fork in a tight loop.
    const delay = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (deaths.length - 1));
    log(`worker ${worker.process.pid} ${how}; replacing it in ${delay} ms`);
    const timer = setTimeout(() => {
      restarts.delete(timer);
      fork();
    }, delay);
    restarts.add(timer);
  });

  function stop(code: number) {
    stopping = true;
    exitCode = code;
    restarts.forEach(clearTimeout);
    if (live.size === 0) process.exit(exitCode);
    // Each worker stops accepting, finishes what it is serving and exits (its own SIGTERM handler).
    for (const worker of live) worker.process.kill('SIGTERM');
    setTimeout(() => {
      log(`${live.size} worker(s) still running after ${shutdownTimeoutMs} ms: killing them`);
      killAll();
    }, shutdownTimeoutMs);
  }

  function killAll(): never {
    for (const worker of live) worker.process.kill('SIGKILL');
    process.exit(1);
  }

  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`${signal} again: killing the workers now`);
      killAll();
    }
    log(`${signal}: stopping ${live.size} worker(s)`);
    stop(0);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
