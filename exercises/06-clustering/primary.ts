// The cluster's primary: forks the workers, replaces the ones that die, and takes the whole
// cluster down cleanly on SIGTERM or SIGINT. Each worker runs `exec` and serves the same port.
import cluster from 'node:cluster';
import os from 'node:os';

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
  cluster.setupPrimary({ exec: options.exec });

  // TODO: the tutorial's primary. It counts cpus() (every core of the machine, not the ones this
  // process may use), replaces a dead worker at once and forever (a worker that crashes at
  // start-up forks in a tight loop), and on SIGTERM its workers exit mid-request, the exit
  // handler forks replacements, and the primary never exits.
  const count = options.workers ?? os.cpus().length;
  for (let i = 0; i < count; i += 1) cluster.fork();

  cluster.on('exit', (worker) => {
    log(`worker ${worker.process.pid} died, restarting`);
    cluster.fork();
  });

  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.send('shutdown');
  });
}
