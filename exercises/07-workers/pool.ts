// CPU work off the event loop: the task (a password stretched by many rounds of SHA-256) and a
// bounded pool of worker threads that runs it. This file is both: the main thread calls
// createHashPool(), and each worker thread loads this same file and runs its default export.
import { createHash } from 'node:crypto';

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

// TODO: the tasks run on the main thread: while one hashes, no other request is served, however
// many cores the machine has. Keep the module's API and run the tasks in a bounded pool of worker
// threads (piscina): maxThreads threads started once, at most maxQueue tasks waiting (PoolBusyError
// past that), and the signal passed on, so an aborted task stops.
export function createHashPool(_options: PoolOptions = {}): HashPool {
  return {
    run: async (input) => stretch(input),
    destroy: async () => {},
  };
}
