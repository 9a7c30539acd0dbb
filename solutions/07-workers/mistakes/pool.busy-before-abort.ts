// Known wrong (the bound is checked before the signal: a caller that gave up gets PoolBusyError from a full pool).
// CPU work off the event loop: the task (a password stretched by many rounds of SHA-256) and a
// bounded pool of worker threads that runs it. This file is both: the main thread calls
// createHashPool(), and each worker thread loads this same file and runs its default export.
import os from 'node:os';
import { createHash } from 'node:crypto';
import { Piscina } from 'piscina';

export interface StretchInput {
  password: string;
  salt: string;
  /** SHA-256 applications: 1 hashes password + salt once, each further round hashes the digest + salt. */
  rounds: number;
}

/** The task, as each worker thread runs it: seconds of CPU for a large `rounds`, and no I/O to wait for. */
export default function stretch({ password, salt, rounds }: StretchInput): string {
  let digest = createHash('sha256').update(password).update(salt).digest();
  for (let round = 1; round < rounds; round += 1) digest = createHash('sha256').update(digest).update(salt).digest();
  return digest.toString('hex');
}

export interface PoolOptions {
  /** Threads at most; os.availableParallelism() when left out. */
  maxThreads?: number;
  /** Tasks waiting for a thread at most; QUEUE_PER_THREAD × maxThreads when left out. */
  maxQueue?: number;
}

export interface HashPool {
  /** The stretched hash in hex. Rejects with PoolBusyError when the queue is full, and with an AbortError once `signal` aborts. */
  run(input: StretchInput, signal?: AbortSignal): Promise<string>;
  /** Ends every thread; tasks not finished are rejected. */
  destroy(): Promise<void>;
}

/** Every thread is busy and the queue is full: the caller should answer 503, not wait. */
export class PoolBusyError extends Error {
  override name = 'PoolBusyError';
  constructor() {
    super('every worker thread is busy and the queue is full');
  }
}

export const QUEUE_PER_THREAD = 4;

export function createHashPool(options: PoolOptions = {}): HashPool {
  const maxThreads = options.maxThreads ?? os.availableParallelism();
  const maxQueue = options.maxQueue ?? QUEUE_PER_THREAD * maxThreads;
  const pool = new Piscina<StretchInput, string>({
    // This module, found from its own URL: a path relative to the working directory breaks as
    // soon as the app is started from another folder.
    filename: import.meta.url,
    maxThreads,
    // Started up front and kept: a thread costs tens of milliseconds to start.
    minThreads: maxThreads,
  });
  // Counted here rather than left to piscina's maxQueue: piscina keeps tasks that carry a signal
  // in a queue of their own that maxQueue does not bound (piscinajs/piscina#899).
  let inFlight = 0;
  return {
    async run(input, signal) {
      if (inFlight >= maxThreads + maxQueue) throw new PoolBusyError();
      signal?.throwIfAborted();
      inFlight += 1;
      try {
        return await pool.run(input, { signal });
      } finally {
        inFlight -= 1;
      }
    },
    destroy: () => pool.destroy(),
  };
}
