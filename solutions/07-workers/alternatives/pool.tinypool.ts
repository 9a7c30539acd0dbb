// Another correct pool, on tinypool (a small pool derived from piscina) behind the same API.
// CPU work off the event loop: the task (a password stretched by many rounds of SHA-256) and a
// bounded pool of worker threads that runs it. Its threads import TASK_MODULE, a copy of
// the task in JavaScript (see there why).
import os from 'node:os';
import { createHash } from 'node:crypto';
import Tinypool from 'tinypool';

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

// The threads' module, as JavaScript: tinypool's threads import their file as ES modules, which
// tsx does not reach in a worker thread on Node 20, so a .ts file fails there. It repeats the
// task above. (Built to JavaScript, import.meta.url would do, as with piscina.)
const TASK_MODULE = `data:text/javascript,${encodeURIComponent(`
import { createHash } from 'node:crypto';
export default function stretch({ password, salt, rounds }) {
  let digest = createHash('sha256').update(password).update(salt).digest();
  for (let round = 1; round < rounds; round += 1) digest = createHash('sha256').update(digest).update(salt).digest();
  return digest.toString('hex');
}
`)}`;

export function createHashPool(options: PoolOptions = {}): HashPool {
  const maxThreads = options.maxThreads ?? os.availableParallelism();
  const maxQueue = options.maxQueue ?? QUEUE_PER_THREAD * maxThreads;
  const pool = new Tinypool({ filename: TASK_MODULE, maxThreads, minThreads: maxThreads });
  let inFlight = 0;
  return {
    async run(input, signal) {
      signal?.throwIfAborted();
      if (inFlight >= maxThreads + maxQueue) throw new PoolBusyError();
      inFlight += 1;
      try {
        return (await pool.run(input, { signal })) as string;
      } finally {
        inFlight -= 1;
      }
    },
    destroy: () => pool.destroy(),
  };
}
